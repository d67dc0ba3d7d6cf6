/** Loaded by mocha before the test files: installs the Node engine. */
import { installNodeEngine } from "./engine.js";

installNodeEngine();
