// While a report is prepared for download, say so. The page stays where it is (the file
// arrives as a download), so the button reads "Preparing your report…" until the
// response sets the report_ready cookie to the random token this form sent; then it says
// the report is ready. Without script the form still works and the page's note explains
// the wait. A failure answers an error page, which replaces this one.
for (const form of document.querySelectorAll("form[data-download]")) {
  const button = form.querySelector("button[type=submit], button:not([type])");
  const status = form.querySelector("[role=status]");
  const ready = form.querySelector("input[name=ready]");
  const label = button ? button.textContent : "";
  let timer = null;
  const finish = (message) => {
    clearInterval(timer);
    form.removeAttribute("aria-busy");
    if (button) {
      button.removeAttribute("aria-disabled");
      button.textContent = label;
    }
    if (status) status.textContent = message;
  };
  form.addEventListener("submit", (event) => {
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    const chosen = form.querySelector("input[name=format]:checked");
    if (chosen && chosen.value === "html") return; // opens as a page
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    if (ready) ready.value = token;
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = form.dataset.busyText;
    }
    if (status) status.textContent = form.dataset.busyText;
    clearInterval(timer);
    timer = setInterval(() => {
      if (document.cookie.split("; ").includes(`report_ready=${token}`)) {
        document.cookie = "report_ready=; Max-Age=0; Path=/reports; SameSite=Strict";
        finish("Your report is ready: it is in your downloads.");
      }
    }, 500);
  });
}
