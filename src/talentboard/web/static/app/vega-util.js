// The three vega-util functions vega-interpreter imports, taken from the Vega bundle
// already on the page, so the CSP-safe expression interpreter needs no build step.
const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;

export { ascending, isString, DisallowedObjectProperties };
