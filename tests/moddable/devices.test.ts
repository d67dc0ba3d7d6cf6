import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { esp32, pico } from "../../boards/index.js";
import { SENSOR_TYPES } from "../../src/app/gateway/catalogue.js";
import { boardFacts, readDeclaration } from "../../src/app/gateway/declaration.js";
import { projectRoot } from "../../tools/cli/paths.js";
import { buildPath, expectedIdfVersion, findSdk, generatedConfig, mcconfig, preloadWarnings, run, standInIdf, type Sdk } from "../../tools/moddable/sdk.js";
import * as assert from "../support/assert.js";

// The esp32 builds of the unmodified manifest, and a user's own app that includes the library manifest.
// ESP-IDF is not installed here, so the esp32 builds stop after their JavaScript half: xsc compiles every module
// and xsl links them with the preloads into mc.xs.c, which is what the C half would then compile.
const found = findSdk();

/**
 * The ESP32 wiring manifest.json declares: the Pico's sensors with the TMP117's ALERT on GPIO 25 and the LIS3DH's
 * INT1 on GPIO 26 (Moddable's esp32 providers name no such pins; GPIO 16/17 are the Pico's).
 */
const ESP32_SENSORS = [
  { name: "sht3x", type: "sht3x", address: 0x44 },
  { name: "bmp280", type: "bmp280", address: 0x76 },
  { name: "tmp117", type: "tmp117", address: 0x48, pins: { alert: 25 }, settings: { highLimitC: 30 } },
  { name: "lis3dh", type: "lis3dh", address: 0x18, pins: { int1: 26 }, periodMs: 200 },
];

async function esp32Bytecode(sdk: Sdk, platform: string): Promise<void> {
  const configured = await mcconfig(sdk, ["-p", platform]);
  assert.equal(configured.status, 0, `mcconfig -p ${platform} failed:\n${configured.output.slice(-4000)}`);
  const tmp = buildPath("tmp", platform, "release");
  const target = join(tmp, "mc.xs.c");
  const idf = standInIdf(expectedIdfVersion(sdk));
  const made = await run("make", ["-C", tmp, `IDF_PATH=${idf}`, "SDKCONFIG_H=", target], sdk.env, tmp, 600_000);
  assert.equal(made.status, 0, `make mc.xs.c for ${platform} failed:\n${made.output.slice(-4000)}`);
  assert.ok(existsSync(target), `${target} was written`);
  const linked = readFileSync(target, "utf8");
  for (const module of ["stillheap/hosts/moddable/settings", "stillheap/hosts/moddable/preference-slots", "preference"]) {
    assert.ok(linked.includes(`"${module}"`), `${module} is linked into mc.xs.c: the entry keeps its settings in Preference`);
  }
  assert.deepEqual((await generatedConfig(platform, "release"))["sensors"], ESP32_SENSORS, `the ${platform} build's mc/config declares the ESP32 wiring`);
  assert.deepEqual(preloadWarnings(made.output), [], "xsl warned about stillheap's preloaded modules");
}

/**
 * Buses and pins as the Moddable host's boardDevice() makes them: the SDK providers' (modules/io/host/pico,
 * build/devices/esp32/targets/nodemcu), each bus given the board file's speed, and the board file's other buses.
 */
const PROVIDERS = Object.freeze({
  pico: { I2C: { default: { data: 4, clock: 5, hz: pico.i2c.default.hz }, i2c1: pico.i2c["i2c1"] }, pin: { led: 25 } },
  esp32: { I2C: { default: { data: 21, clock: 22, hz: esp32.i2c.default.hz } }, pin: { button: 0, led: 2 } },
});

describe("manifest.json: the sensor declarations of the device platforms", () => {
  const manifest = JSON.parse(readFileSync(join(projectRoot, "manifest.json"), "utf8")) as {
    platforms: Record<string, { config?: { sensors?: unknown } }>;
    config: Record<string, unknown>;
  };
  for (const [platform, board] of [["pico", pico], ["esp32", esp32], ["esp32/*", esp32]] as const) {
    it(`declares ${platform}'s sensors valid for its provider's buses and ${board.gpioCount} GPIOs`, () => {
      const provider = PROVIDERS[board === pico ? "pico" : "esp32"];
      const sensors = readDeclaration(manifest.platforms[platform]?.config?.sensors, boardFacts(provider, board.gpioCount), SENSOR_TYPES, "config.sensors");
      assert.equal(sensors.length, 4);
    });
  }

  it("keeps sensors out of the top-level config: mcconfig merges a platform's array into it index by index", () => {
    assert.equal(manifest.config["sensors"], undefined);
  });
});

/** Every module under `dir` as manifest_stillheap.json names it: stillheap/<path without .ts>. */
function specifiers(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specifiers(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [`stillheap/${path.split(sep).join("/").slice(0, -3)}`] : [];
  });
}

/** Every folder under `dir` that holds a module, as a manifest glob names it: stillheap/<folder>/*. */
function folders(dir: string): string[] {
  const entries = readdirSync(join(projectRoot, dir), { withFileTypes: true });
  const own = entries.some((entry) => entry.isFile() && entry.name.endsWith(".ts")) ? [`stillheap/${dir.split(sep).join("/")}/*`] : [];
  return [...own, ...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => folders(join(dir, entry.name)))];
}

/** The package-export names (`stillheap/drivers`) a manifest maps to hosts/moddable/exports. */
function exportModules(modules: Readonly<Record<string, string>>): string[] {
  return Object.keys(modules).filter((name) => modules[name]?.startsWith("./hosts/moddable/exports/") === true);
}

describe("manifest_stillheap.json", () => {
  const manifest = JSON.parse(readFileSync(join(projectRoot, "manifest_stillheap.json"), "utf8")) as {
    modules: Record<string, string>;
    preload: string[];
    platforms: Record<string, { modules?: Record<string, string> }>;
  };

  it("maps every folder of src/ and boards/ (mcconfig's module globs do not descend into folders)", () => {
    const globs = [...folders("src"), ...folders("boards")];
    assert.deepEqual(globs.filter((glob) => manifest.modules[glob] === undefined), [], "folders without a module glob");
  });

  it("names every export of package.json as a module, so an app imports by the same specifiers on Node and Moddable", () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { name: string; exports: Record<string, string> };
    const moddable = { ...manifest.modules, ...manifest.platforms["lin"]?.modules };
    const exported = Object.keys(pkg.exports).filter((subpath) => subpath !== "./package.json" && subpath !== "./hosts/xs")
      .map((subpath) => `${pkg.name}/${subpath.slice(2)}`);
    assert.deepEqual(exported.filter((name) => moddable[name] === undefined), [], "exports without a Moddable module");
  });

  it("preloads every module of src/ and boards/ by name (xsl matches preload wildcards against .js sources only)", () => {
    const modules = [...specifiers("src"), ...specifiers("boards"), ...exportModules(manifest.modules)];
    assert.deepEqual(modules.filter((name) => !manifest.preload.includes(name)), [], "modules not preloaded");
    assert.deepEqual(manifest.preload.filter((name) => !modules.includes(name)), [], "preloads of modules that do not exist");
  });
});

describe("Moddable SDK: the esp32 builds and the library manifest", function () {
  this.timeout(900_000);
  if (!found.ok) {
    it.skip(`builds for esp32 and esp32/nodemcu, and a user app with the library — skipped: ${found.reason}`);
    return;
  }
  const sdk = found.value;

  it("compiles and links the esp32 build's modules (xsc, xsl with the preloads) into mc.xs.c, declaring ALERT GPIO 25 and INT1 GPIO 26", () => esp32Bytecode(sdk, "esp32"));

  it("does the same for a board, esp32/nodemcu", () => esp32Bytecode(sdk, "esp32/nodemcu"));

  it("builds a user's own app that includes $(STILLHEAP)/manifest_stillheap.json and imports by specifier", async () => {
    const app = join(projectRoot, "tests", "moddable", "user-app");
    const built = await mcconfig(sdk, ["-m", "-p", "lin"], { cwd: app, env: { STILLHEAP: projectRoot } });
    assert.equal(built.status, 0, `the user app did not build:\n${built.output.slice(-4000)}`);
    assert.ok(existsSync(join(buildPath("bin", "lin", "release", "user-app"), "mc.so")), "mc.so was built");
  });
});
