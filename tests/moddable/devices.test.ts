import { existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../tools/cli/paths.js";
import { buildPath, expectedIdfVersion, findSdk, mcconfig, preloadWarnings, run, standInIdf, type Sdk } from "../../tools/moddable/sdk.js";
import * as assert from "../support/assert.js";

// The esp32 builds of the unmodified manifest, and a user's own app that includes the library manifest.
// ESP-IDF is not installed here, so the esp32 builds stop after their JavaScript half: xsc compiles every module
// and xsl links them with the preloads into mc.xs.c, which is what the C half would then compile.
const found = findSdk();

async function esp32Bytecode(sdk: Sdk, platform: string): Promise<void> {
  const configured = await mcconfig(sdk, ["-p", platform]);
  assert.equal(configured.status, 0, `mcconfig -p ${platform} failed:\n${configured.output.slice(-4000)}`);
  const tmp = buildPath("tmp", platform, "release");
  const target = join(tmp, "mc.xs.c");
  const idf = standInIdf(expectedIdfVersion(sdk));
  const made = await run("make", ["-C", tmp, `IDF_PATH=${idf}`, "SDKCONFIG_H=", target], sdk.env, tmp, 600_000);
  assert.equal(made.status, 0, `make mc.xs.c for ${platform} failed:\n${made.output.slice(-4000)}`);
  assert.ok(existsSync(target), `${target} was written`);
  assert.deepEqual(preloadWarnings(made.output), [], "xsl warned about stillheap's preloaded modules");
}

describe("Moddable SDK: the esp32 builds and the library manifest", function () {
  this.timeout(900_000);
  if (!found.ok) {
    it.skip(`builds for esp32 and esp32/nodemcu, and a user app with the library — skipped: ${found.reason}`);
    return;
  }
  const sdk = found.value;

  it("compiles and links the esp32 build's modules (xsc, xsl with the preloads) into mc.xs.c", () => esp32Bytecode(sdk, "esp32"));

  it("does the same for a board, esp32/nodemcu", () => esp32Bytecode(sdk, "esp32/nodemcu"));

  it("builds a user's own app that includes $(STILLHEAP)/manifest_stillheap.json and imports by specifier", async () => {
    const app = join(projectRoot, "tests", "moddable", "user-app");
    const built = await mcconfig(sdk, ["-m", "-p", "lin"], { cwd: app, env: { STILLHEAP: projectRoot } });
    assert.equal(built.status, 0, `the user app did not build:\n${built.output.slice(-4000)}`);
    assert.ok(existsSync(join(buildPath("bin", "lin", "release", "user-app"), "mc.so")), "mc.so was built");
  });
});
