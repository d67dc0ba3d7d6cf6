import { join } from "node:path";
import { projectRoot } from "../../tools/cli/paths.js";
import { Mcsim, hasXvfb } from "../../tools/moddable/mcsim.js";
import { buildPath, findSdk, mcconfig } from "../../tools/moddable/sdk.js";
import { XsbugLog } from "../../tools/moddable/xsbug.js";
import * as assert from "../support/assert.js";

// examples/driver as a Moddable app of a user's own: its manifest includes $(STILLHEAP)/manifest_stillheap.json, its
// sources import `stillheap/app` and `stillheap/simulator` as on Node (tests/node/driver-example.test.ts), and the
// SDK's mcconfig builds it unedited for lin; mcsim runs its gateway with the MCP9808 type on a simulated board.
const found = findSdk();
const missing = !found.ok ? found.reason : !hasXvfb() ? "xvfb-run is not installed (mcsim needs a display)" : undefined;

describe("examples/driver built by the Moddable SDK and run in mcsim", function () {
  this.timeout(900_000);
  if (!found.ok || missing !== undefined) {
    it.skip(`builds with mcconfig -m -p lin and runs in mcsim — skipped: ${missing ?? ""}`);
    return;
  }
  const sdk = found.value;

  it("builds with the package's specifiers and samples the MCP9808 in a gateway", async () => {
    const example = join(projectRoot, "examples", "driver");
    // A debug build, for its trace (it logs to an xsbug at XSBUG_HOST:XSBUG_PORT); `-t build` keeps make from
    // starting an mcsim of its own.
    const build = await mcconfig(sdk, ["-d", "-m", "-p", "lin", "-t", "build"], { cwd: example, env: { STILLHEAP: projectRoot } });
    assert.equal(build.status, 0, `examples/driver did not build:\n${build.output.slice(-4000)}`);
    const log = new XsbugLog();
    await log.listen();
    const mcsim = new Mcsim(sdk, join(buildPath("bin", "lin", "debug", "driver"), "mc.so"), log.env);
    try {
      await log.waitFor("greenhouse:", 30_000);
      const line = /greenhouse: open (\w+), delivered (\d+), temperatureC ([-\d.]+)/.exec(log.output);
      assert.ok(line !== null, log.output);
      assert.equal(line[1], "true", "the sensor opened");
      assert.ok(Number(line[2]) >= 9, `a sample every 500 ms over 5 s: ${line[2]}`);
      assert.ok(Math.abs(Number(line[3]) - 24.5) <= 1 / 16, `the model's 24.5 °C in 1/16 °C steps: ${line[3]}`);
    } finally {
      await mcsim.stop();
      await log.close();
    }
  });
});
