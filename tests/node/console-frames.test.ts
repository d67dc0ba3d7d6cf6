// Node only: the panel's reading of the bare-metal image's reader lives in the Node host.
import { ConsoleFrames } from "../../hosts/node/panel/console-frames.js";
import { defaultScenario } from "../../simulator/default-scenario.js";
import { loadScenario } from "../../simulator/scenario.js";
import type { Frame } from "../../hosts/node/panel/web/protocol.js";
import * as assert from "../support/assert.js";

const READINGS = 'readings {"uptimeMs":2000,"sensors":{"sht3x":{"produced":3,"delivered":2,"dropped":1,' +
  '"temperatureC":{"latest":22.5,"samples":2,"min10s":22.1,"max10s":22.5,"mean10s":22.3,"min60s":22.1,"max60s":22.5,"mean60s":22.3}}}}\n';

describe("the panel's reading of the gateway console", () => {
  function frames(): { reader: ConsoleFrames; seen: Frame[] } {
    const seen: Frame[] = [];
    let now = 0;
    const reader = new ConsoleFrames(loadScenario(defaultScenario), { sht3x: { address: 0x44, bus: "default" } }, () => (now += 1000), (f) => seen.push(f));
    return { reader, seen };
  }

  it("makes a frame of each report, from lines that arrive in pieces", () => {
    const { reader, seen } = frames();
    const report = `${READINGS}sensor sht3x temperatureC=22.50 produced=3 delivered=2 dropped=1\nsample sht3x invalid: nack x1\n` +
      "memory slots=4645 chunks=1904 gc=0\n";
    for (let i = 0; i < report.length; i += 7) reader.feed(report.slice(i, i + 7));
    assert.equal(seen.length, 1);
    const sht = seen[0]?.sensors[0];
    assert.deepEqual([sht?.name, sht?.address, sht?.produced, sht?.delivered, sht?.dropped], ["sht3x", 0x44, 3, 2, { nack: 1 }]);
    assert.deepEqual(sht?.readings[0], { name: "temperatureC", latest: 22.5, mean10: 22.3, min10: 22.1, max10: 22.5,
      mean60: 22.3, min60: 22.1, max60: 22.5 });
    assert.deepEqual(seen[0]?.memory, { source: "rp2040", exact: true, chunkBytesUsed: 1904, slotsUsed: 4645, gcCount: 0 });
    assert.equal(seen[0]?.http, null);
  });

  it("adds up drops over reports, and counts a readings line cut short without losing the report", () => {
    const { reader, seen } = frames();
    reader.feed(`${READINGS}sample sht3x invalid: nack x2\nmemory slots=1 chunks=2 gc=3\n`);
    reader.feed('readings {"sensors":{"sht3\nsample sht3x invalid: nack x1\nsample sht3x invalid: crc x1\nmemory slots=1 chunks=2 gc=3\n');
    assert.equal(reader.unreadable, 1);
    assert.deepEqual(seen.map((f) => f.sensors[0]?.dropped), [{ nack: 2 }, { nack: 3, crc: 1 }]);
    assert.deepEqual(reader.history().map((f) => f.t), [1000, 2000]);
  });
});
