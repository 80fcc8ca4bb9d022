// Draws each Vega-Lite chart on the page. Expressions run in vega-interpreter, so the
// Content-Security-Policy needs no 'unsafe-eval'. Every chart has a table alternative
// beside it, which stays the source of the figures when scripts are off.
import { expressionInterpreter } from "vega-interpreter";

const charts = document.querySelectorAll("[data-vega-lite]");
for (const element of charts) {
  const spec = JSON.parse(element.dataset.vegaLite);
  globalThis
    .vegaEmbed(element, spec, {
      ast: true,
      expr: expressionInterpreter,
      renderer: "svg",
      actions: false,
      // Vega's own styles would be injected as <style> elements, which the policy
      // refuses: app.css styles the tooltip instead.
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    })
    .then(() => element.setAttribute("data-rendered", "true"))
    .catch(() => {
      element.textContent = "The chart could not be drawn: the table has the same figures.";
      element.setAttribute("data-rendered", "failed");
    });
}
