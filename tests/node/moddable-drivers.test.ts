import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDir, distDir } from "../../tools/cli/paths.js";
import { runXs } from "../../tools/cli/xs-run.js";
import { extractModdableDrivers } from "../../tools/moddable/sdk-drivers.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";
import { describeModdableCatalogue, describeModdableDrivers, type ModdableSensorClass } from "../support/moddable-drivers.js";

// Node only: the drivers are extracted from the Moddable SDK with tar, and the XS half starts the XS host as a process
// with `timer`, `crc` and the `embedded:sensor/…` specifiers mapped (the suite's own XS run maps only this package).
const drivers = extractModdableDrivers();

async function driverClass(file: string): Promise<ModdableSensorClass> {
  const module = (await import(pathToFileURL(file).href)) as { default: ModdableSensorClass };
  return module.default;
}

if (typeof drivers === "string") {
  describe("Moddable's own drivers on the simulator", () => {
    it("run on Node and on XS", function () {
      skipBecause(this, drivers);
    });
  });
} else {
  describeModdableDrivers(await driverClass(drivers.files.sht3x), await driverClass(drivers.files.tmp117),
    await driverClass(drivers.files.lis3dh));
  describeModdableCatalogue({ aht10: await driverClass(drivers.files.aht10), shtc3: await driverClass(drivers.files.shtc3),
    mpu6050: await driverClass(drivers.files.mpu6050), tmp102: await driverClass(drivers.files.tmp102) });

  describe("Moddable's own drivers on the XS engine", function () {
    this.timeout(120_000);

    it("pass the same checks there, imported by their embedded:sensor specifiers", async () => {
      const url = (path: string): string => JSON.stringify(path);
      const entry = join(buildDir, "moddable-drivers", "xs-entry.js");
      mkdirSync(join(buildDir, "moddable-drivers"), { recursive: true });
      writeFileSync(entry, [
        `import { installXsEngine } from ${url(join(distDir, "hosts", "xs", "host.js"))};`,
        `import { installTestGlobals, runRegisteredTests } from ${url(join(distDir, "hosts", "xs", "test-runner.js"))};`,
        `import { describeModdableCatalogue, describeModdableDrivers } from ${url(join(distDir, "tests", "support", "moddable-drivers.js"))};`,
        'import SHT3x from "embedded:sensor/Humidity-Temperature/SHT3x";',
        'import TMP117 from "embedded:sensor/Temperature/TMP117";',
        'import LIS3DH from "embedded:sensor/Accelerometer/LIS3DH";',
        'import AHT10 from "embedded:sensor/Humidity-Temperature/AHT10";',
        'import SHTC3 from "embedded:sensor/Humidity-Temperature/SHTC3";',
        'import MPU6050 from "embedded:sensor/Accelerometer-Gyroscope/MPU6050";',
        'import TMP102 from "embedded:sensor/Temperature/TMP102";',
        "installXsEngine();",
        "installTestGlobals();",
        "describeModdableDrivers(SHT3x, TMP117, LIS3DH);",
        "describeModdableCatalogue({ aht10: AHT10, shtc3: SHTC3, mpu6050: MPU6050, tmp102: TMP102 });",
        'const failed = await runRegisteredTests("xs");',
        'if (failed > 0) throw new Error(`${failed} check(s) failed on xs`);',
        "",
      ].join("\n"));
      const result = await runXs({ entry, maps: drivers.maps, capture: true });
      const tally = /^xs: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(result.stdout);
      assert.ok(tally !== null, `no tally from the XS host (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
      assert.equal(`${tally[2]} failed, ${tally[3]} skipped`, "0 failed, 0 skipped", result.stdout);
      assert.equal(Number(tally[1]), 28, `all 28 checks ran:\n${result.stdout}`);
      assert.equal(result.exitCode, 0, result.stderr);
    });
  });
}
