import { readFileSync } from "node:fs";
import { boards, type Creation } from "../../boards/index.js";
import * as assert from "../support/assert.js";

// Node only: reads manifest.json from disk, which the device engines cannot.
interface ManifestPlatform {
  readonly creation?: Creation;
  readonly error?: string;
}
interface Manifest {
  readonly platforms: Readonly<Record<string, ManifestPlatform>>;
}

const manifest = JSON.parse(readFileSync(new URL("../../../manifest.json", import.meta.url), "utf8")) as Manifest;

describe("manifest.json", () => {
  for (const board of Object.values(boards)) {
    it(`gives ${board.platform} the creation budget of boards/${board.name}`, () => {
      const keys = [board.platform, board.platform.split("/")[0] + "/*", board.platform.split("/")[0] ?? ""];
      const key = keys.find((k) => manifest.platforms[k] !== undefined);
      assert.ok(key !== undefined, `manifest.json has no platforms entry for ${board.platform}`);
      assert.deepEqual(manifest.platforms[key]?.creation, board.creation, `platforms["${key}"].creation`);
    });
  }

  it("gives every platform entry with a creation block the budget of a board", () => {
    const known = Object.values(boards).map((board) => JSON.stringify(board.creation));
    for (const [key, platform] of Object.entries(manifest.platforms)) {
      if (platform.creation === undefined) continue;
      assert.ok(known.includes(JSON.stringify(platform.creation)), `platforms["${key}"].creation matches no board`);
    }
  });

  it("refuses unknown targets with an error", () => {
    assert.ok((manifest.platforms["..."]?.error ?? "").length > 0, 'platforms["..."] must carry an error');
  });
});
