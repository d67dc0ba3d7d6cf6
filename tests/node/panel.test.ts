// Node only: `stillheap sim` as a process and its panel in a real headless browser (Debian's chromium).
import { chromium, type Browser, type Page } from "playwright-core";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { systemChromium } from "./chromium.js";
import { screenshotAfterRecovery } from "./panel-page.js";
import { startSim, type Running } from "./sim-process.js";

/** What the in-page functions below use of the DOM; this project is type-checked without the DOM library. */
interface Tagged {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
}
declare const document: { readonly body: Tagged; getElementById(id: string): Tagged | null };

const browserFound = systemChromium();
const WAIT_MS = 15_000;

function panelPort(sim: Running): number {
  const match = /panel http:\/\/127\.0\.0\.1:(\d+)\//.exec(sim.output());
  if (match === null) throw new Error(`the sim printed no panel URL: ${sim.output()}`);
  return Number(match[1]);
}

/** Starts the sim and resolves once its panel URL is printed too (it follows the API's by a moment). */
async function startWithPanel(extra: readonly string[]): Promise<{ sim: Running; port: number }> {
  const sim = await startSim(extra);
  const started = Date.now();
  while (!/panel http:/.test(sim.output())) {
    if (Date.now() - started > WAIT_MS) throw new Error(`no panel URL within ${WAIT_MS} ms: ${sim.output()} ${sim.errors()}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return { sim, port: panelPort(sim) };
}

async function stop(sim: Running | undefined): Promise<void> {
  if (sim === undefined || sim.child.exitCode !== null) return;
  sim.child.kill("SIGTERM");
  await sim.exit;
}

const dataset = (page: Page, key: string): Promise<string> => page.evaluate((k) => document.body.dataset[k] ?? "", key);

describe("the live panel in a headless browser", function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let sim: Running | undefined;
  let port = 0;
  let page: Page;
  const errors: string[] = [];

  before(async function () {
    if ("reason" in browserFound) return;
    ({ sim, port } = await startWithPanel(["--panel-port", "0"]));
    browser = await chromium.launch({ executablePath: browserFound.path, args: ["--no-sandbox"], timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.text()} at ${JSON.stringify(message.location())}`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: WAIT_MS });
  });

  after(async () => {
    await browser?.close();
    await stop(sim);
  });

  beforeEach(function () {
    if ("reason" in browserFound) skipBecause(this, browserFound.reason);
  });

  it("loads with every sensor, a chart per reading and no console errors", async () => {
    for (const name of ["sht3x", "bmp280", "tmp117", "lis3dh"]) await page.waitForSelector(`#sensor-${name}`, { timeout: WAIT_MS });
    await page.waitForFunction(() => Number(document.body.dataset["frames"]) >= 2, undefined, { timeout: WAIT_MS });
    const titles = await page.$$eval("#readings .chart", (charts) => charts.map((c) => (c as unknown as Tagged).dataset["title"]));
    assert.ok(titles.includes("sht3x temperatureC") && titles.includes("bmp280 pressurePa"), `reading charts: ${titles.join(", ")}`);
    assert.equal(await page.textContent("#connection"), "live");
    assert.deepEqual(errors, []);
  });

  it("adds points to the plots as virtual time advances", async () => {
    const points = (): Promise<number> => page.$eval(".chart[data-title='sht3x temperatureC']", (c) => Number((c as unknown as Tagged).dataset["points"]));
    const before = { points: await points(), t: Number(await dataset(page, "t")) };
    await page.waitForFunction((was) => Number(document.body.dataset["t"]) >= was + 1500, before.t, { timeout: WAIT_MS });
    assert.ok((await points()) > before.points, `points ${before.points} → ${await points()}`);
  });

  it("shows an injected NACK as a drop, then the sensor's recovery", async () => {
    await page.selectOption("#inject-sensor", "sht3x");
    await page.selectOption("#inject-kind", "nack-address");
    await page.fill("#inject-seconds", "2.5");
    await page.click("#inject-button");
    await page.waitForFunction(() => document.getElementById("inject-result")?.textContent?.startsWith("nack-address") === true,
      undefined, { timeout: WAIT_MS });
    await page.waitForSelector("#sensor-sht3x[data-state='dropping']", { timeout: WAIT_MS });
    const row = await page.textContent("#sensor-sht3x");
    assert.ok(/nack/.test(row ?? ""), `sht3x row: ${row ?? ""}`);
    const deliveredAtDrop = Number(await page.getAttribute("#sensor-sht3x", "data-delivered"));
    await screenshotAfterRecovery(page, deliveredAtDrop, "panel.png", WAIT_MS);
    assert.deepEqual(errors, []);
  });

  it("reconnects and starts afresh when the server restarts", async () => {
    const run = await dataset(page, "run");
    await stop(sim);
    await page.waitForSelector("#connection[data-state='reconnecting']", { timeout: WAIT_MS });
    ({ sim } = await startWithPanel(["--panel-port", String(port)]));
    await page.waitForFunction((was) => document.body.dataset["run"] !== was && Number(document.body.dataset["frames"]) >= 2,
      run, { timeout: WAIT_MS });
    assert.equal(await page.textContent("#connection"), "live");
    // While the server was down the browser logs its failed reconnects as network errors; nothing else may appear.
    const unexpected = errors.filter((e) => !/ERR_CONNECTION_REFUSED|net::ERR_/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
