import { SettingsRestored } from "../../src/app/gateway/settings.js";
import { ascii, asText } from "../../src/net/ascii.js";
import { FlashSlots } from "../../src/services/flash-slots.js";
import { crc32, RECORD_OVERHEAD, RecordSlots, type SlotStore } from "../../src/services/record-slots.js";
import { PowerCutError, SimulatedFlash } from "../../simulator/flash.js";
import { composeGateway, declaredSensors } from "../../hosts/sim/gateway.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Simulation } from "../../simulator/simulation.js";
import { expectNoAllocation } from "../support/alloc-guard.js";
import * as assert from "../support/assert.js";
import { SCENARIO, TOKEN } from "./gateway-harness.js";

/** A board booted on `store`: its settings restored, its gateway started. */
type Booted = ReturnType<typeof composeGateway> & { keeper: NonNullable<ReturnType<typeof composeGateway>["keeper"]>; sim: Simulation };

function boot(store: SlotStore, intervalMs = 60_000): Booted {
  const sim = loadScenario(SCENARIO);
  const parts = composeGateway({ sim, sensors: declaredSensors(sim, undefined, ""), apiToken: TOKEN, store, settingsIntervalMs: intervalMs });
  const keeper = parts.keeper;
  if (keeper === undefined) throw new Error("composed without a keeper");
  keeper.load();
  parts.gateway.start();
  keeper.start();
  return { ...parts, keeper, sim };
}

function post(parts: ReturnType<typeof composeGateway>, json: string): number {
  const token = ascii(`Bearer ${TOKEN} ${json}`);
  return parts.api.applyConfig(token, 7, TOKEN.length, 8 + TOKEN.length, json.length);
}

function periodOf(parts: ReturnType<typeof composeGateway>): number {
  return parts.gateway.channels[0]?.periodMs ?? -1;
}

describe("settings kept across reboots and power cuts", () => {
  it("computes the CRC-32 of the check string", () => {
    assert.equal(crc32(ascii("123456789"), 0, 9), 0xcbf43926);
  });

  it("restores settings after a reboot, and a factory reset goes back to the declaration", () => {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const first = boot(new FlashSlots(flash, 0), 0);
    assert.equal(post(first, "{\"sensors\":{\"sht3x\":{\"periodMs\":2500},\"tmp117\":{\"highLimitC\":41}}}"), 0);
    first.keeper.stop();
    const second = boot(new FlashSlots(flash, 0));
    assert.equal(second.keeper.restored, SettingsRestored.record);
    assert.equal(periodOf(second), 2500);
    assert.equal(second.gateway.channels[2]?.settings[0], 41);
    assert.equal(second.api.resetSettings(ascii(`Bearer ${TOKEN}`), 7, TOKEN.length), 0);
    const third = boot(new FlashSlots(flash, 0));
    assert.equal(periodOf(third), 1000, "the declaration's period after a factory reset");
    assert.equal(third.gateway.channels[2]?.settings[0], 30);
  });

  it("coalesces writes: at most one per interval, and what is pending at a clean stop", () => {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const parts = boot(new FlashSlots(flash, 0), 60_000);
    for (let i = 0; i < 10; i++) post(parts, `{"sensors":{"sht3x":{"periodMs":${1000 + i * 100}}}}`);
    const advance = (ms: number): void => parts.sim.clock.advance(ms);
    advance(2000);
    assert.equal(parts.keeper.slots.writes, 1, "the first change written at once");
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":3000}}}");
    advance(30_000);
    assert.equal(parts.keeper.slots.writes, 1, "the next waits for the interval");
    advance(31_000);
    assert.equal(parts.keeper.slots.writes, 2);
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":4000}}}");
    parts.keeper.stop();
    assert.equal(parts.keeper.slots.writes, 3, "a clean stop writes what is pending");
    assert.equal(periodOf(boot(new FlashSlots(flash, 0))), 4000);
    assert.ok(flash.erases[0] === 2 && flash.erases[1] === 1, `wear spread over the two sectors: ${flash.erases.join(", ")}`);
  });

  it("always boots with exactly the old or the new settings, a power cut at every byte of the write", () => {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const old = boot(new FlashSlots(flash, 0), 0);
    post(old, "{\"sensors\":{\"sht3x\":{\"periodMs\":1500}}}");
    old.keeper.flush();
    post(old, "{\"sensors\":{\"sht3x\":{\"periodMs\":2500}}}");
    old.keeper.flush(); // two records, one in each sector: the next write goes over the older
    const before = flash.bytes.slice();
    const oldRecord = new RecordSlots(new FlashSlots(flash, 0)).load()[0];
    const oldText = asText(oldRecord?.bytes ?? new Uint8Array(0), 0, oldRecord?.length ?? 0);
    // The whole write once, to count its work and keep the new record.
    const writer = new RecordSlots(new FlashSlots(flash, 0));
    writer.load();
    const change = ascii("{\"sensors\":{\"sht3x\":{\"periodMs\":3500},\"tmp117\":{\"periodMs\":1200,\"highLimitC\":-4.5}}}");
    flash.work = 0;
    writer.save(change, change.length);
    const work = flash.work;
    assert.equal(work, flash.sectorBytes + RECORD_OVERHEAD + change.length, "the erase, then the record's bytes programmed"); // 4,194
    const newText = asText(change, 0, change.length);
    const seen = new Set<string>();
    for (let cut = 0; cut <= work; cut++) {
      flash.bytes.set(before);
      flash.powerOn();
      flash.cutAt = cut;
      const slots = new RecordSlots(new FlashSlots(flash, 0));
      slots.load();
      let finished = true;
      try {
        slots.save(change, change.length);
      } catch (error: unknown) {
        if (!(error instanceof PowerCutError)) throw error;
        finished = false;
      }
      assert.equal(finished, cut === work, `cut ${cut}`);
      flash.powerOn();
      const found = new RecordSlots(new FlashSlots(flash, 0)).load()[0];
      const text = asText(found?.bytes ?? new Uint8Array(0), 0, found?.length ?? 0);
      assert.ok(text === oldText || text === newText, `cut at byte ${cut} of ${work}: ${text}`);
      seen.add(text === oldText ? "old" : "new");
    }
    assert.deepEqual([...seen].sort(), ["new", "old"]);
    // A gateway booted on a cut at the first byte, in the middle and at the last byte of the programs.
    for (const cut of [0, flash.sectorBytes - 1, flash.sectorBytes, flash.sectorBytes + 1, work - 1]) {
      flash.bytes.set(before);
      flash.powerOn();
      flash.cutAt = cut;
      const writing = boot(new FlashSlots(flash, 0), 0);
      post(writing, newText);
      assert.throws(() => writing.keeper.flush(), PowerCutError);
      flash.powerOn();
      const rebooted = boot(new FlashSlots(flash, 0));
      assert.equal(periodOf(rebooted), 2500, `cut ${cut}: the old settings`);
      // Until the first byte is programmed the sector is the older record or erased; after it, a record cut short.
      assert.equal(rebooted.keeper.slots.corrupt, cut > flash.sectorBytes ? 1 : 0, `cut ${cut}: a cut record counted`);
    }
  });

  it("with a change pending in the coalescer, a later write cut short leaves the last one written", () => {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const parts = boot(new FlashSlots(flash, 0), 60_000);
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":1500}}}");
    parts.keeper.flush(); // written: 1500
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":2500}}}"); // pending, coalesced
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":3500}}}"); // replaces it, still pending
    flash.cutAt = flash.work + 1000; // in the erase of the write the interval brings
    assert.throws(() => parts.keeper.stop(), PowerCutError);
    flash.powerOn();
    assert.equal(periodOf(boot(new FlashSlots(flash, 0))), 1500, "the last record written; never the coalesced 2500");
  });

  it("refuses a record the declaration no longer validates, counts it, and uses the one before", () => {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const slots = new RecordSlots(new FlashSlots(flash, 0));
    slots.load();
    const good = ascii("{\"sensors\":{\"sht3x\":{\"periodMs\":1700}}}");
    const foreign = ascii("{\"sensors\":{\"attic\":{\"periodMs\":1700}}}");
    slots.save(good, good.length);
    slots.save(foreign, foreign.length);
    const parts = boot(new FlashSlots(flash, 0));
    assert.equal(parts.keeper.restored, SettingsRestored.olderRecord);
    assert.equal(parts.keeper.rejected, 1);
    assert.ok(parts.keeper.problems[0]?.includes("no sensor named \"attic\""), parts.keeper.problems[0]);
    assert.equal(periodOf(parts), 1700);
  });

  it("keeps its idle keeper allocation-free while sampling", function () {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const parts = boot(new FlashSlots(flash, 0), 1000);
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":500}}}");
    parts.sim.clock.advance(2000);
    expectNoAllocation(this, () => parts.sim.clock.advance(50), { iterations: 2000, warmup: 100 });
    assert.equal(parts.keeper.slots.writes, 1);
  });

  it("writes a record into flash slots without allocating: the document framed in place, erased and programmed", function () {
    const flash = new SimulatedFlash(undefined, { sectors: 2 });
    const parts = boot(new FlashSlots(flash, 0), 60_000);
    post(parts, "{\"sensors\":{\"sht3x\":{\"periodMs\":1500}}}"); // the request allocates; the write measured is the keeper's
    expectNoAllocation(this, () => parts.keeper.flush(), { iterations: 1, warmup: 0 });
    assert.equal(parts.keeper.slots.writes, 1);
    assert.equal(periodOf(boot(new FlashSlots(flash, 0))), 1500, "the record written is whole");
  });
});
