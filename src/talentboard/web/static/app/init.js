// Starts the NHS.UK frontend components (header menu, error summary focus, ...).
import { initAll } from "/assets/nhsuk-frontend.min.js";

initAll();
