import { AHT20, AHT20Sample, MPU6050, MPU6050Sample, SampleStatus, SHTC3, SHTC3Sample, TMP102, TMP102Sample } from "../../src/drivers/index.js";
import { loadScenario } from "../../simulator/scenario.js";
import { timerApi } from "../../simulator/timer.js";
import * as assert from "../support/assert.js";
import { catalogueScenario } from "../simulator/catalogue.scenario.js";

const faults = (driver: { counters: { faults: Uint32Array } }, status: number): number => driver.counters.faults[status] ?? 0;

describe("the AHT20, SHTC3, MPU6050 and TMP102 drivers under every fault kind", () => {
  it("report each fault as a counted status, never crash, and keep sampling", () => {
    const sim = loadScenario(catalogueScenario);
    const { device } = sim;
    const bus = { ...device.I2C.default, io: device.io.SMBus };
    const timer = timerApi(() => sim.clock);
    const aht = new AHT20({ sensor: bus });
    const shtc = new SHTC3({ sensor: bus, timer, config: { sleep: true } });
    const mpu = new MPU6050({ sensor: bus, dataReady: { io: device.io.Digital, pin: 17 }, config: { rateHz: 50 } });
    const tmp = new TMP102({ sensor: { ...bus, address: 73 }, alert: { io: device.io.Digital, pin: 16 }, config: { highLimitC: 30, lowLimitC: 28, conversionRateHz: 8, alertMode: "interrupt" } });
    const s = { aht: new AHT20Sample(), shtc: new SHTC3Sample(), mpu: new MPU6050Sample(), tmp: new TMP102Sample() };
    let rounds = 0;
    sim.clock.set(() => {
      rounds++;
      aht.sample(s.aht); // reads the one the last round triggered (100 ms ago), or starts one
      aht.trigger();
      shtc.sample(s.shtc);
      while (mpu.next(s.mpu));
      tmp.sample(s.tmp);
      while (tmp.nextAlert(s.tmp));
    }, 0, 100);
    sim.clock.advance(3000);

    assert.ok(rounds >= 29, `the loop kept running (${rounds} rounds)`);
    assert.ok(faults(aht, SampleStatus.nack) > 0, "AHT20: NACK on its address");
    assert.ok(faults(aht, SampleStatus.crc) > 0, "AHT20: corrupted CRC");
    assert.ok(faults(shtc, SampleStatus.nack) > 0, "SHTC3: NACK after a byte");
    assert.ok(faults(shtc, SampleStatus.crc) > 0, "SHTC3: corrupted CRC");
    assert.ok(faults(aht, SampleStatus.timeout) + faults(shtc, SampleStatus.timeout) + faults(tmp, SampleStatus.timeout) > 0, "stuck bus");
    assert.ok(faults(tmp, SampleStatus.outOfRange) > 0, "TMP102: out of range");
    assert.ok(faults(tmp, SampleStatus.timeout) > 0, "TMP102: clock stretching past the timeout");
    assert.ok(faults(mpu, SampleStatus.outOfRange) > 0, "MPU6050: saturated at ±2 g");
    assert.ok(faults(mpu, SampleStatus.nack) > 0, "MPU6050: vanished");
    assert.ok(mpu.counters.interrupts > 0 && sim.clock.interruptsCoalesced > 0, "MPU6050: the storm coalesced");
    assert.ok(tmp.counters.interrupts >= 2, "TMP102: the alert and the spurious edge each ran the handler");
    for (const driver of [aht, shtc, mpu, tmp]) assert.ok(driver.counters.valid > 0, `${driver.chip} produced valid samples`);
    for (const driver of [aht, shtc, tmp]) {
      const counted = Array.from(driver.counters.faults).reduce((a, b) => a + b, 0);
      assert.ok(driver.counters.attempts >= driver.counters.valid + counted - driver.counters.dropped, `${driver.chip}: every attempt accounted`);
    }
    for (const closeable of [aht, shtc, mpu, tmp]) closeable.close();
  });
});
