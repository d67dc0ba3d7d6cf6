import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as assert from "../support/assert.js";

// Node only: type-checks a Moddable-style user project against typings/embedded-sensor.d.ts with tsc.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

function check(source: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "stillheap-typings-"));
  try {
    writeFileSync(join(dir, "main.ts"), source);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], module: "ESNext", moduleResolution: "Bundler", types: [],
        paths: { "stillheap/drivers": [join(root, "dist", "src", "drivers", "index.d.ts")] },
      },
      files: ["main.ts", join(root, "typings", "embedded-sensor.d.ts")],
    }));
    const run = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USER_CODE = `
import SHT3x, { SHT3xSample } from "embedded:sensor/Humidity-Temperature/SHT3x";
import TMP117 from "embedded:sensor/Temperature/TMP117";
import type { SMBusConstructor, DigitalConstructor } from "${join(root, "dist", "src", "io", "index.js")}";
declare const device: { io: { SMBus: SMBusConstructor; Digital: DigitalConstructor }; I2C: { default: { data: number; clock: number; hz: number } } };
const sensor = new SHT3x({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
const reading = sensor.sample();
const celsius: number | undefined = reading?.thermometer.temperature;
const mine = new SHT3xSample();
if (sensor.sample(mine) !== undefined && mine.valid) {
  const percent: number = mine.hygrometer.humidity;
  void percent;
}
const tmp = new TMP117({ sensor: { ...device.I2C.default, io: device.io.SMBus }, alert: { io: device.io.Digital, pin: 16 } });
tmp.configure({ highLimitC: 30 });
void celsius;
`;

describe("embedded:sensor typings", function () {
  this.timeout(60_000);

  it("type a Moddable user's imports of the drivers", () => {
    const result = check(USER_CODE);
    assert.equal(result.status, 0, result.output);
  });

  it("refuse a driver used wrongly", () => {
    const result = check(`${USER_CODE}\nnew SHT3x({});\nconst wrong: string = mine.hygrometer.humidity;\nconst unchecked: number = sensor.sample().thermometer.temperature;\n`);
    assert.notEqual(result.status, 0);
    assert.ok(result.output.includes("Property 'sensor' is missing"), result.output);
    assert.ok(result.output.includes("Type 'number' is not assignable to type 'string'"), result.output);
    assert.ok(result.output.includes("possibly 'undefined'"), "a sample that may be undefined must be checked: " + result.output);
  });
});
