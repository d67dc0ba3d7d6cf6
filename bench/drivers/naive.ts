/**
 * Straightforward drivers of the same chips, written the common way: a new command array per transfer, a new buffer
 * per read, a new result object per sample. The baseline the drivers bench compares against.
 */
import type { SMBus } from "../../src/io/index.js";

export class NaiveSHT3x {
  constructor(readonly io: SMBus) {}

  sample(): { thermometer: { temperature: number }; hygrometer: { humidity: number } } {
    this.io.write(Uint8Array.of(0x2c, 0x06));
    const bytes = new Uint8Array(this.io.read(6) ?? new ArrayBuffer(6));
    return {
      thermometer: { temperature: -45 + (175 * (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0))) / 65535 },
      hygrometer: { humidity: (100 * (((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0))) / 65535 },
    };
  }
}

export class NaiveTMP117 {
  constructor(readonly io: SMBus) {}

  sample(): { temperature: number; alert: boolean } {
    const result = new DataView(this.io.readBuffer(0x00, 2) ?? new ArrayBuffer(2));
    const config = new DataView(this.io.readBuffer(0x01, 2) ?? new ArrayBuffer(2));
    return { temperature: result.getInt16(0) * 0.0078125, alert: (config.getUint16(0) & 0xc000) !== 0 };
  }
}
