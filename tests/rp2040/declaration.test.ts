// Node only (it builds images and runs rp2040js): the RP2040 image built with a declaration of one's own, and a bad
// declaration refused by the build before anything is compiled.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../tools/cli/command.js";
import { buildDir, projectRoot } from "../../tools/cli/paths.js";
import { buildFirmware, type Firmware } from "../../tools/rp2040/build.js";
import { SensorsFileError } from "../../tools/rp2040/sensors.js";
import * as assert from "../support/assert.js";
import { emulate, lastReadings, latest, steadyMemory, type ScenarioJson } from "./emulate.js";

/** An SHT3x at 0x45, a TMP117 at 0x49 with ALERT on GP18, a door contact on GP15: the declaration and the board. */
const GREENHOUSE = join(projectRoot, "tests", "rp2040", "scenarios", "greenhouse.json");
const quiet = (): void => undefined;

describe("RP2040 image built with a declaration of one's own", function () {
  this.timeout(300_000);
  let firmware: Firmware;
  let scenario: ScenarioJson;

  before(() => {
    firmware = buildFirmware({ sensors: GREENHOUSE, outDir: join(buildDir, "rp2040-greenhouse"), progress: quiet });
    scenario = JSON.parse(readFileSync(GREENHOUSE, "utf8")) as ScenarioJson;
  });

  it("samples the declared sensors under their names, the TMP117's alerts by interrupt on GP18, allocating nothing", () => {
    const { output, result } = emulate(new Uint8Array(readFileSync(firmware.bin)), 5.5, undefined, scenario);
    assert.equal(result.reason, "time", result.detail);
    assert.ok(output.includes("[firmware] gateway running: 3 sensors (greenhouse, soil, door)"), output);
    const sensors = lastReadings(output);
    assert.deepEqual(Object.keys(sensors), ["greenhouse", "soil", "door"]);
    assert.closeTo(latest(sensors.greenhouse, "temperatureC"), 18, 0.1);
    assert.closeTo(latest(sensors.greenhouse, "humidityRH"), 70, 0.1);
    assert.closeTo(latest(sensors.soil, "temperatureC"), 26, 0.1);
    assert.equal(latest(sensors.door, "presses"), 1, "the press at 1.5 s");
    for (const [name, sensor] of Object.entries(sensors)) {
      assert.ok(sensor.delivered > 0, `${name} delivered nothing`);
      assert.equal(sensor.produced, sensor.delivered + sensor.dropped, `${name}: produced = delivered + dropped`);
    }
    assert.ok(/^sensor greenhouse temperatureC=18\.00 humidityRH=70\.00 produced=\d+/m.test(output), output);
    // Above its 24 °C limit the soil alerts between periodic samples: more samples than the greenhouse's one a second.
    assert.ok((sensors.soil?.produced ?? 0) > (sensors.greenhouse?.produced ?? 0) + 1, JSON.stringify(sensors));
    const gpio = [...output.matchAll(/^gpio (.*)$/gm)].at(-1)?.[1] ?? "";
    assert.ok(/^interrupts=[1-9]\d* coalesced=\d+$/.test(gpio), `the door has GP15, so no edge counter of the image's own: gpio ${gpio}`);
    const steady = steadyMemory(output);
    for (const line of steady) assert.equal(line, steady[0], `slots, chunks and GC count after warm-up: ${steady.join(" | ")}`);
  });
});

describe("RP2040 build, refusing a bad declaration", function () {
  const dir = join(buildDir, "rp2040-declarations");
  const outDir = join(buildDir, "rp2040-refused");
  const sensor = { name: "soil", type: "tmp117", address: 0x49 };
  const cases: ReadonlyArray<{ readonly what: string; readonly content: unknown; readonly path: string; readonly says: RegExp }> = [
    { what: "an address the chip does not answer at", content: { sensors: [{ ...sensor, address: 0x40 }] },
      path: "$.sensors[0].address", says: /answers at 0x48 or 0x49 or 0x4a or 0x4b, not 0x40/ },
    { what: "the Pico's second bus, which this image does not drive", content: { sensors: [sensor, { name: "air", type: "sht3x", bus: "i2c1" }] },
      path: "$.sensors[1].bus", says: /runs I2C0 only/ },
    { what: "a console pin", content: [{ ...sensor, pins: { alert: 0 } }], path: "$[0].pins.alert", says: /UART0 TX/ },
    { what: "a pin taken twice", content: [{ ...sensor, pins: { alert: 18 } }, { name: "door", type: "button", pins: { input: 18 } }],
      path: "$[1].pins.input", says: /already used by \$\[0\]\.pins\.alert/ },
    { what: "a file that is not JSON", content: "[{\"name\": ", path: "$", says: /not valid JSON/ },
  ];

  before(() => {
    mkdirSync(dir, { recursive: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  for (const [i, { what, content, path, says }] of cases.entries()) {
    it(`refuses ${what}: a usage error (exit 2) naming the file and the JSON path, before anything is compiled`, () => {
      const file = join(dir, `bad-${i}.json`);
      writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
      const error = assert.throws(() => buildFirmware({ sensors: file, outDir, progress: quiet }), UsageError);
      assert.ok(error instanceof UsageError);
      if (error instanceof SensorsFileError) assert.equal(error.jsonPath, path);
      assert.ok(error.message.startsWith(`${file}: ${path}: `), error.message);
      assert.ok(says.test(error.message), error.message);
      assert.ok(!existsSync(outDir), "nothing was built");
    });
  }
});
