/**
 * The Pico build's console input: lines typed on its USB serial port (usb-console.c), polled every 50 ms, carrying
 * the `config` commands exactly as the bare-metal image's UART does (src/app/gateway/console-config.ts):
 * `config Bearer <token> {json}`, `config reset Bearer <token>`, `config Bearer <token>`, under `config.apiToken`.
 * Also the report's lines for the settings and the console. Polling reads nothing and allocates nothing while idle.
 */
import { ConsoleConfig } from "../../../src/app/gateway/console-config.js";
import type { ConsoleOutput, GatewayConsole } from "../../../src/app/gateway/console.js";
import type { GatewayDocuments } from "../../../src/app/gateway/documents.js";
import type { Gateway } from "../../../src/app/gateway/gateway.js";
import type { SettingsKeeper } from "../../../src/app/gateway/settings.js";
import type { TimerApi } from "../../../src/io/types.js";
import { ConsoleInput } from "../../../src/services/console-input.js";
import { available, read } from "./usb-console.js";

const POLL_MS = 50;
/** Room beside the settings document in a reply: "settings " and a margin. */
const REPLY_EXTRA_BYTES = 16;

export interface PicoConsoleOptions {
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly keeper: SettingsKeeper;
  /** The config token (`mcconfig … apiToken=T`, at least 8 characters); empty turns the commands off. */
  readonly token: string;
  readonly output: ConsoleOutput;
  readonly timer: TimerApi;
}

function print(text: string): void {
  trace(text, "\n");
}

export class PicoConsole {
  readonly config: ConsoleConfig;
  readonly input: ConsoleInput;
  readonly #keeper: SettingsKeeper;

  constructor(options: PicoConsoleOptions) {
    const { gateway, documents, keeper } = options;
    this.#keeper = keeper;
    this.config = new ConsoleConfig({ gateway, documents, settings: keeper, token: options.token, print, output: options.output,
      replyBytes: keeper.slots.capacity + REPLY_EXTRA_BYTES, tokenHelp: "(mcconfig -m -p pico apiToken=T)" });
    this.input = new ConsoleInput(this.config, print, read);
    if (available()) options.timer.repeat(this.input.poll.bind(this.input), POLL_MS);
    else trace("stillheap: no console commands in a debug build: xsbug owns the USB serial port\n");
  }

  /** The report's last lines: settings records written, refused, failed, found corrupt or rejected; console lines and commands. */
  writeLines(report: GatewayConsole): void {
    const slots = this.#keeper.slots;
    report.line().ascii("settings writes=").integer(slots.writes).ascii(" bytes=").integer(slots.bytesWritten)
      .ascii(" refused=").integer(slots.refused).ascii(" failed=").integer(this.#keeper.failed).ascii(" corrupt=")
      .integer(slots.corrupt).ascii(" rejected=").integer(this.#keeper.rejected);
    report.end();
    const config = this.config;
    report.line().ascii("console lines=").integer(this.input.lines).ascii(" refused=").integer(this.input.refused)
      .ascii(" config-applied=").integer(config.applied).ascii(" config-unauthorized=").integer(config.unauthorized)
      .ascii(" config-rejected=").integer(config.rejected);
    report.end();
  }
}
