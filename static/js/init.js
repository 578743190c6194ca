import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

import "./refresh-until-done.js";

initAll();
