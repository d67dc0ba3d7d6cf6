/**
 * The settings of a Moddable build kept across reboots: a SettingsKeeper over RecordSlots in the host's store
 * (PreferenceSlots on lin and esp32, the Pico's own flash sectors), loaded before the gateway starts through
 * POST /v1/config's validation, then written at most once per `config.settingsIntervalMs` (default 60000; the
 * first change after boot at once). A record that fails its check or the validation is traced and counted
 * (/metrics, the Pico's report line) and the one before it, or the declaration's settings, used. Devices have no
 * clean shutdown here: a change made within the interval before power is lost is lost with it.
 */
import type { DeclaredSensor } from "../../src/app/gateway/declaration.js";
import type { GatewayDocuments } from "../../src/app/gateway/documents.js";
import type { Gateway } from "../../src/app/gateway/gateway.js";
import { SETTINGS_WRITE_INTERVAL_MS, SettingsKeeper, SettingsRestored, settingsSlotBytes } from "../../src/app/gateway/settings.js";
import type { TimerApi } from "../../src/io/types.js";
import { BoundedSlots, RecordSlots, type SlotStore } from "../../src/services/record-slots.js";
import type { Clock } from "../../src/services/time.js";
import config from "mc/config";

/** The longest interval taken: a day. */
const MAX_INTERVAL_MS = 86_400_000;

export interface SettingsParts {
  readonly gateway: Gateway;
  readonly documents: GatewayDocuments;
  readonly sensors: readonly DeclaredSensor[];
  readonly timer: TimerApi;
  readonly clock: Clock;
  /** Where the records go (its slots are cut to what the settings record needs). */
  readonly store: SlotStore;
  /** Where that is, for the boot trace ("Preference domain stillheap"). */
  readonly where: string;
}

/** `config.settingsDomain` (default "stillheap"): the Preference domain the settings keys live in. */
export function settingsDomain(): string {
  return String(config.settingsDomain ?? "stillheap");
}

/** `config.settingsIntervalMs`, or the default (traced) when it is not a whole number of ms from 0 to a day. */
function intervalMs(): number {
  if (config.settingsIntervalMs === undefined) return SETTINGS_WRITE_INTERVAL_MS;
  const value = Number(config.settingsIntervalMs);
  if (Number.isInteger(value) && value >= 0 && value <= MAX_INTERVAL_MS) return value;
  trace(`stillheap: config.settingsIntervalMs is ${String(config.settingsIntervalMs)}: give whole ms from 0 to ${MAX_INTERVAL_MS}; using ${SETTINGS_WRITE_INTERVAL_MS}\n`);
  return SETTINGS_WRITE_INTERVAL_MS;
}

function restoredText(keeper: SettingsKeeper): string {
  if (keeper.restored === SettingsRestored.record) return "restored";
  if (keeper.restored === SettingsRestored.olderRecord) return "restored from the record before the newest";
  return "the declaration's (no settings record kept)";
}

/** Makes the keeper, restores the kept settings into the gateway (call before gateway.start()) and starts it. */
export function composeSettings(parts: SettingsParts): SettingsKeeper {
  const { gateway, documents, timer, clock, store } = parts;
  const bounded = new BoundedSlots(store, settingsSlotBytes(parts.sensors, store.slotBytes));
  const keeper = new SettingsKeeper({ gateway, documents, slots: new RecordSlots(bounded), timer, clock, intervalMs: intervalMs() });
  keeper.load();
  for (const problem of keeper.problems) trace(`stillheap: settings: ${problem}\n`);
  trace(`stillheap: settings ${restoredText(keeper)}; two ${bounded.slotBytes}-byte records in ${parts.where}\n`);
  keeper.start();
  return keeper;
}
