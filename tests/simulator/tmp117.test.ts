import { pico } from "../../boards/index.js";
import { TMP117_DEVICE_ID, TMP117_LSB_C, TMP117_REGISTERS, TMP117Model } from "../../simulator/devices/tmp117.js";
import { ramp } from "../../simulator/signals.js";
import { Simulation } from "../../simulator/simulation.js";
import * as assert from "../support/assert.js";

/** The TMP117's ALERT line: GP16, as the default scenario wires it. */
const ALERT_PIN = 16;

function setup() {
  const sim = new Simulation(pico);
  const model = sim.attach(new TMP117Model(sim.clock, sim.pins, { temperatureC: ramp(20, 40, 10_000), alertPin: ALERT_PIN }));
  const bus = new sim.device.io.SMBus({ ...sim.device.I2C.default, address: 0x48 });
  return { sim, model, bus };
}

const signed = (word: number): number => (word << 16) >> 16;

describe("TMP117 model", () => {
  it("answers its device ID, big-endian", () => {
    const { bus } = setup();
    assert.equal(bus.readUint16(TMP117_REGISTERS.deviceId, true), TMP117_DEVICE_ID);
  });

  it("converts on its 1 s default cycle in 7.8125 m°C steps", () => {
    const { sim, bus, model } = setup();
    sim.clock.advance(16);
    assert.equal(model.conversions, 1);
    sim.clock.advance(2000);
    assert.equal(model.conversions, 3);
    const expected = 20 + (20 * 2015.5) / 10_000;
    assert.closeTo(signed(bus.readUint16(TMP117_REGISTERS.temperature, true)) * TMP117_LSB_C, expected, TMP117_LSB_C);
  });

  it("asserts ALERT (active low) above the high limit and clears it when the configuration is read", () => {
    const { sim, bus } = setup();
    let alerts = 0;
    const alert = new sim.device.io.Digital({
      pin: ALERT_PIN, mode: sim.device.io.Digital.InputPullUp, edge: sim.device.io.Digital.Falling,
      onReadable() { alerts++; },
    });
    bus.writeUint16(TMP117_REGISTERS.highLimit, Math.round(25 / TMP117_LSB_C), true);
    sim.clock.advance(2000);
    assert.equal(alert.read(), 1, "below the limit");
    sim.clock.advance(2000); // 20 + 20·4/10 = 28 °C > 25 °C
    assert.equal(alert.read(), 0, "asserted");
    assert.equal(alerts, 1);
    const config = bus.readUint16(TMP117_REGISTERS.configuration, true);
    assert.equal(config & 0x8000, 0x8000, "HIGH_Alert flag");
    assert.equal(alert.read(), 1, "reading the configuration clears the alert");
    alert.close();
  });

  it("stops converting in shutdown mode", () => {
    const { sim, bus, model } = setup();
    bus.writeUint16(TMP117_REGISTERS.configuration, 0x0400, true);
    const before = model.conversions;
    sim.clock.advance(5000);
    assert.equal(model.conversions, before);
  });
});
