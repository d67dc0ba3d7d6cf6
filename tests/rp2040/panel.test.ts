// Node only: `stillheap emu --panel` as a process — the bare-metal image in rp2040js — and its panel in headless chromium.
import { spawn } from "node:child_process";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildFirmware } from "../../tools/rp2040/build.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { systemChromium } from "../node/chromium.js";
import { screenshotAfterRecovery } from "../node/panel-page.js";
import { cli, eventually } from "../node/sim-process.js";

/** What the in-page functions below use of the DOM; this project is type-checked without the DOM library. */
interface Tagged {
  readonly dataset: Record<string, string | undefined>;
}
declare const document: { readonly body: Tagged; getElementById(id: string): Tagged | null };

const browserFound = systemChromium();
const WAIT_MS = 20_000;

describe("the live panel on the RP2040 emulator, in a headless browser", function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let emu: ReturnType<typeof spawn> | undefined;
  let page: Page;
  const errors: string[] = [];

  before(async function () {
    if ("reason" in browserFound) return;
    buildFirmware({ progress: () => undefined });
    emu = spawn(process.execPath, [cli, "emu", "--panel-port", "0", "--seconds", "120"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    emu.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    await eventually(() => /emu: panel http/.test(stderr), WAIT_MS, () => `no panel URL within ${WAIT_MS} ms: ${stderr}`);
    const port = Number(/emu: panel http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)?.[1]);
    browser = await chromium.launch({ executablePath: browserFound.path, args: ["--no-sandbox"], timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: WAIT_MS });
  });

  after(async () => {
    await browser?.close();
    if (emu !== undefined && emu.exitCode === null) {
      const exited = new Promise((done) => emu?.once("exit", done));
      emu.kill("SIGTERM");
      await exited;
    }
  });

  beforeEach(function () {
    if ("reason" in browserFound) skipBecause(this, browserFound.reason);
  });

  it("plots the image's console reports, memory from the XS engine's own counters, no console errors", async () => {
    for (const name of ["sht3x", "bmp280", "tmp117", "lis3dh"]) await page.waitForSelector(`#sensor-${name}`, { timeout: WAIT_MS });
    await page.waitForFunction(() => Number(document.body.dataset["frames"]) >= 3, undefined, { timeout: WAIT_MS });
    assert.ok(/XS engine counters \(rp2040\)/.test((await page.textContent("#memory-note")) ?? ""), "memory labelled as exact");
    const points = await page.$eval(".chart[data-title='memory']", (c) => Number((c as unknown as Tagged).dataset["points"]));
    assert.ok(points >= 3, `memory points: ${points}`);
    assert.deepEqual(errors, []);
  });

  it("shows a NACK injected into the emulated board as a drop, then recovery", async () => {
    await page.selectOption("#inject-sensor", "sht3x");
    await page.selectOption("#inject-kind", "nack-address");
    await page.fill("#inject-seconds", "2.5");
    await page.click("#inject-button");
    await page.waitForSelector("#sensor-sht3x[data-state='dropping']", { timeout: WAIT_MS });
    assert.ok(/nack/.test((await page.textContent("#sensor-sht3x")) ?? ""), "the drop's reason");
    const deliveredAtDrop = Number(await page.getAttribute("#sensor-sht3x", "data-delivered"));
    await screenshotAfterRecovery(page, deliveredAtDrop, "panel-rp2040.png", WAIT_MS);
    assert.deepEqual(errors, []);
  });
});
