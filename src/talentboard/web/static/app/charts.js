// Draws each Vega-Lite chart on the page. Expressions run in vega-interpreter, so the
// Content-Security-Policy needs no 'unsafe-eval'. Every chart has a table alternative
// beside it, which stays the source of the figures when scripts are off.
//
// The specs are drawn for a page about 700 px wide. On a narrower screen a chart scaled
// down to fit would have text of 5 px, so there it is drawn for the width it has instead:
// the plot as wide as the screen allows, every text at least MIN_FONT px, fewer axis
// ticks, facet labels above their rows, and the chart's title and subtitle (which the
// heading and reading above the chart already give) written as text below the heading.
import { expressionInterpreter } from "vega-interpreter";

const NARROW = 640; // px of chart container below which a chart is redrawn to fit
const MIN_FONT = 13; // px: every text of a chart drawn for a narrow screen
const ROOM = 120; // px beside a facet's plot for its axis labels and title
const FONT_KEYS = new Set([
  "fontSize",
  "labelFontSize",
  "titleFontSize",
  "subtitleFontSize",
]);

function wrapped(text, chars) {
  // ``text`` in lines of at most ``chars`` characters, broken between words.
  const lines = [];
  for (const word of String(text).split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= chars) {
      lines[last] += ` ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines;
}

function wrappedLabels(domain, width) {
  // A legend's labelExpr writing each of its known labels in lines that fit the width
  // (a Vega text given as an array is drawn one line per item).
  const chars = Math.max(Math.floor((width - 90) / 7), 10);
  let expression = "datum.label";
  for (const value of [...domain].reverse()) {
    const lines = wrapped(value, chars);
    if (lines.length > 1) {
      expression = `datum.label === ${JSON.stringify(String(value))} ? ${JSON.stringify(lines)} : ${expression}`;
    }
  }
  return expression;
}

function larger(node, width) {
  // Every text of the spec at least MIN_FONT px; a legend in one column, an axis with
  // fewer ticks and a facet's labels above its rows, each within the screen's width.
  if (Array.isArray(node)) {
    node.forEach((item) => larger(item, width));
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (FONT_KEYS.has(key) && typeof value === "number" && value < MIN_FONT) {
      node[key] = MIN_FONT;
      continue;
    }
    if (key === "data" || key === "datasets" || value === null || typeof value !== "object") {
      continue;
    }
    if (key === "header") {
      Object.assign(value, {
        labelOrient: "top",
        labelAngle: 0,
        labelAlign: "left",
        labelLimit: width,
      });
    } else if (key === "legend") {
      Object.assign(value, { columns: 1, direction: "vertical", labelLimit: width - 60 });
      const domain = node.scale?.domain;
      if (Array.isArray(domain) && domain.every((v) => typeof v === "string")) {
        value.labelExpr = wrappedLabels(domain, width);
        value.labelLimit = 0;
      }
    } else if (key === "axis" && typeof value.tickCount === "number") {
      value.tickCount = Math.min(value.tickCount, 4);
    }
    larger(value, width);
  }
}

function fitted(node, plotWidth) {
  // Every numeric width of a view (top level, layer or facet's inner spec) becomes the
  // width the screen leaves for the plot.
  if (Array.isArray(node)) {
    node.forEach((item) => fitted(item, plotWidth));
    return;
  }
  if (node === null || typeof node !== "object") return;
  if (typeof node.width === "number") node.width = plotWidth;
  for (const key of ["spec", "layer", "hconcat", "vconcat", "concat"]) {
    if (node[key]) fitted(node[key], plotWidth);
  }
}

function subtitleOf(spec) {
  const title = spec.title;
  if (!title || typeof title !== "object") return [];
  const lines = title.subtitle;
  if (!lines) return [];
  return Array.isArray(lines) ? lines : [lines];
}

function forWidth(spec, width) {
  if (width >= NARROW) return { spec, notes: [] };
  const narrow = structuredClone(spec);
  const notes = subtitleOf(narrow);
  delete narrow.title;
  if (narrow.layer || narrow.mark) {
    // A single or layered view fits the width whole, axes included.
    narrow.width = width;
    narrow.autosize = { type: "fit-x", contains: "padding" };
  } else {
    fitted(narrow, Math.max(width - ROOM, 140));
  }
  larger(narrow, width);
  const config = narrow.config || {};
  narrow.config = config;
  config.axis = {
    ...(config.axis || {}),
    labelFontSize: Math.max(config.axis?.labelFontSize || 0, MIN_FONT),
    titleFontSize: Math.max(config.axis?.titleFontSize || 0, MIN_FONT),
    tickCount: 4,
    labelOverlap: "greedy",
    labelSeparation: 12,
    labelFlush: true,
  };
  config.legend = {
    ...(config.legend || {}),
    labelFontSize: Math.max(config.legend?.labelFontSize || 0, MIN_FONT),
    titleFontSize: Math.max(config.legend?.titleFontSize || 0, MIN_FONT),
    labelLimit: width - 60,
    columns: 1,
    direction: "vertical",
  };
  config.header = {
    ...(config.header || {}),
    labelFontSize: Math.max(config.header?.labelFontSize || 0, MIN_FONT),
    titleFontSize: Math.max(config.header?.titleFontSize || 0, MIN_FONT),
    labelLimit: width,
  };
  config.text = { ...(config.text || {}), fontSize: MIN_FONT };
  return { spec: narrow, notes };
}

function addNotes(element, notes) {
  // The subtitle a narrow chart leaves out, as text the page can wrap: the lines the
  // reading above the chart does not already say.
  const said = element.parentElement?.textContent || "";
  const unsaid = notes.filter((line) => !said.includes(String(line)));
  if (!unsaid.length) return;
  const note = document.createElement("p");
  note.className = "app-chart__subtitle";
  note.textContent = unsaid.join(" ");
  element.before(note);
}

const charts = document.querySelectorAll("[data-vega-lite]");
for (const element of charts) {
  const { spec, notes } = forWidth(
    JSON.parse(element.dataset.vegaLite),
    element.clientWidth || window.innerWidth,
  );
  addNotes(element, notes);
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
