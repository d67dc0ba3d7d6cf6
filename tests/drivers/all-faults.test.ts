import { BMP280, BMP280Sample, DebouncedButton, LIS3DH, LIS3DHSample, SampleStatus, SHT3x, SHT3xSample, TMP117, TMP117Sample } from "../../src/drivers/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { allFaultsScenario } from "../simulator/all-faults.scenario.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;
/** The LIS3DH's INT1 (data ready): GP17, as the default scenario wires it. */
const DATA_READY_PIN = 17;

describe("drivers under every fault kind", () => {
  it("report each fault as a counted status, never crash, and keep sampling", () => {
    const sim = loadScenario(allFaultsScenario);
    const { device } = sim;
    const bus = { ...device.I2C.default, io: device.io.SMBus };
    const sht = new SHT3x({ sensor: { ...bus, address: 68 } });
    const bmp = new BMP280({ sensor: { ...bus, address: 118 } });
    const tmp = new TMP117({ sensor: { ...bus, address: 72 }, alert: { io: device.io.Digital, pin: ALERT_PIN } });
    const lis = new LIS3DH({ sensor: { ...bus, address: 24 }, dataReady: { io: device.io.Digital, pin: DATA_READY_PIN }, config: { rateHz: 10 } });
    const button = new DebouncedButton({ input: { io: device.io.Digital, pin: sim.board.pins.button }, timer: timerApi(() => sim.clock) });
    const samples = { sht: new SHT3xSample(), bmp: new BMP280Sample(), tmp: new TMP117Sample(), lis: new LIS3DHSample() };
    let rounds = 0;
    sim.clock.set(() => {
      rounds++;
      sht.sample(samples.sht);
      bmp.sample(samples.bmp);
      tmp.sample(samples.tmp);
      while (tmp.nextAlert(samples.tmp));
      while (lis.next(samples.lis));
    }, 0, 50);
    sim.clock.advance(3000);

    assert.ok(rounds >= 60, `the loop kept running (${rounds} rounds)`);
    assert.ok((sht.counters.faults[SampleStatus.nack] ?? 0) > 0, "SHT3x: NACK on its address");
    assert.ok((sht.counters.faults[SampleStatus.crc] ?? 0) > 0, "SHT3x: corrupted CRC");
    assert.ok((sht.counters.faults[SampleStatus.timeout] ?? 0) > 0, "SHT3x: stuck bus");
    assert.ok((bmp.counters.faults[SampleStatus.nack] ?? 0) > 0, "BMP280: vanished");
    assert.ok((tmp.counters.faults[SampleStatus.outOfRange] ?? 0) > 0, "TMP117: out of range");
    assert.ok((tmp.counters.faults[SampleStatus.timeout] ?? 0) > 0, "TMP117: clock stretching past the timeout");
    assert.ok(lis.counters.interrupts > 0 && sim.clock.interruptsCoalesced > 0, "LIS3DH: the storm coalesced");
    assert.equal(button.presses, 1, "one debounced press; the spurious edge is not a press");
    for (const driver of [sht, bmp, tmp, lis]) assert.ok(driver.counters.valid > 0, `${driver.chip} produced valid samples`);
    // Every SHT3x attempt is accounted for: valid, or invalid with a counted fault (it has no not-ready here).
    const shtFaults = Array.from(sht.counters.faults).reduce((a, b) => a + b, 0);
    assert.equal(sht.counters.attempts, sht.counters.valid + shtFaults);
    for (const closeable of [sht, bmp, tmp, lis, button]) closeable.close();
  });
});
