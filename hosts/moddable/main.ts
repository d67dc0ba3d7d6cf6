/** Entry point on a Moddable board (manifest.json "*": ./hosts/moddable/main): the app on the real `device`. */
import { Heartbeat } from "../../src/app/index.js";
import { installModdableEngine, Timer } from "./engine.js";

installModdableEngine();
const started = Date.now();
const app = new Heartbeat({ device, timer: Timer, nowMs: () => Date.now() - started, report: (line) => trace(line, "\n") });
app.start();
