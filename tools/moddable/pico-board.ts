/**
 * Moddable's Pico firmware in the emulator as a user at a terminal sees it: the image (or a flash left by an earlier
 * run, `emulation.flash.snapshot()`) on the real bootrom, the simulator's sensors on I2C0, and a USB host with a CDC
 * driver plugged in at power-on, whose console output is read back and into which lines are typed. Typed bytes are
 * handed to the host's 512-byte transmit FIFO as it drains (a fuller FIFO would drop them).
 */
import { installNodeEngine } from "../../hosts/node/engine.js";
import { loadScenario } from "../../simulator/scenario.js";
import { USBCDC } from "rp2040js";
import { Emulation, type EmulationResult, type EmulatorOptions } from "../rp2040/emulator.js";

export type PicoScenario = Parameters<typeof loadScenario>[0];

export class PicoBoard {
  readonly emulation: Emulation;
  output = "";
  readonly #cdc: USBCDC;
  readonly #typed: number[] = [];

  /** `flash`: the flash's contents from 0 (flashImage of the .uf2, or a snapshot). */
  constructor(flash: Uint8Array, bootrom: Uint8Array, scenario: PicoScenario, options: Partial<Pick<EmulatorOptions, "powerCut">> = {}) {
    installNodeEngine();
    this.emulation = new Emulation({ image: flash, sim: loadScenario(scenario), bootrom, onUart: () => undefined, ...options });
    this.#cdc = new USBCDC(this.emulation.mcu.usbCtrl);
    const decoder = new TextDecoder("utf-8");
    this.#cdc.onSerialData = (bytes) => (this.output += decoder.decode(bytes, { stream: true }).replaceAll("\r", ""));
  }

  /** Types `text` on the USB console. */
  type(text: string): void {
    for (const byte of new TextEncoder().encode(text)) this.#typed.push(byte);
    this.#feed();
  }

  #feed(): void {
    while (this.#typed.length > 0 && !this.#cdc.txFIFO.full) this.#cdc.sendSerialByte(this.#typed.shift() ?? 0);
  }

  /** Runs until `times` whole lines printed from now on match `pattern`, or for `withinMs` more emulated ms. */
  runUntil(pattern: RegExp, withinMs: number, times = 1): EmulationResult {
    let scanned = this.output.length;
    let seen = 0;
    const done = (): boolean => {
      this.#feed();
      const end = this.output.lastIndexOf("\n") + 1;
      for (const line of end > scanned ? this.output.slice(scanned, end).split("\n") : []) if (pattern.test(line)) seen++;
      scanned = Math.max(scanned, end);
      return seen >= times;
    };
    return this.emulation.run(this.emulation.nowMs + withinMs, withinMs * 150_000, done);
  }

  /** Types a line and runs until a line of the answer matches `answer`; returns what was printed meanwhile. */
  command(line: string, answer: RegExp, withinMs = 1000): string {
    const before = this.output.length;
    this.type(`${line}\n`);
    const result = this.runUntil(answer, withinMs);
    const reply = this.output.slice(before);
    if (!reply.split("\n").some((text) => answer.test(text))) {
      throw new Error(`no answer matching ${answer} to "${line.slice(0, 80)}" (${result.reason} ${result.detail}):\n${reply}`);
    }
    return reply;
  }

  /** The `settings {…}` lines printed (the answers to `config Bearer <token>`), as JSON. */
  settings(): unknown[] {
    return [...this.output.matchAll(/^settings (\{.*\})$/gm)].map((line) => JSON.parse(line[1] ?? "{}") as unknown);
  }
}
