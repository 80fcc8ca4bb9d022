// While a form that takes a while is submitted, say so: the button shows what is
// happening and is marked busy, and a status message is read out. Without script the
// form still submits; the page then simply loads.
for (const form of document.querySelectorAll("form[data-busy-text]")) {
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit], button:not([type])");
    const status = form.querySelector("[role=status]");
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.textContent = form.dataset.busyText;
    }
    if (status) status.textContent = form.dataset.busyText;
  });
}
