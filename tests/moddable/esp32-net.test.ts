import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildPath, expectedIdfVersion, findSdk, generatedConfig, mcconfig, preloadWarnings, run, standInIdf } from "../../tools/moddable/sdk.js";
import * as assert from "../support/assert.js";

// The ESP32 entry with MQTT, as a user builds it: `mcconfig -m -p esp32/nodemcu mqttHost=…` (here without -m, and
// without ESP-IDF, so the build stops after its JavaScript half: every module compiled by xsc, linked by xsl with
// the preloads into mc.xs.c, which the C half would compile). The HTTP API is on the ECMA-419 listener, not the
// SDK's http module.
const found = findSdk();
const PLATFORM = "esp32/nodemcu";

describe("Moddable SDK: the ESP32 entry with MQTT, through mc.xs.c", function () {
  this.timeout(900_000);
  if (!found.ok) {
    it.skip(`builds esp32/nodemcu with mqttHost=… — skipped: ${found.reason}`);
    return;
  }
  const sdk = found.value;

  it("links the entry with MQTT from the manifest's config and HTTP on the ECMA-419 listener, preload-clean", async () => {
    const configured = await mcconfig(sdk, ["-p", PLATFORM, "mqttHost=broker.example", "mqttPort=1883", "mqttUser=gateway",
      "mqttPassword=p4ss", "mqttClientId=board-7", "mqttDiscovery=0", "apiToken=esp32-token"]);
    assert.equal(configured.status, 0, `mcconfig -p ${PLATFORM} failed:\n${configured.output.slice(-4000)}`);
    const tmp = buildPath("tmp", PLATFORM, "release");
    const target = join(tmp, "mc.xs.c");
    const made = await run("make", ["-C", tmp, `IDF_PATH=${standInIdf(expectedIdfVersion(sdk))}`, "SDKCONFIG_H=", target], sdk.env, tmp, 600_000);
    assert.equal(made.status, 0, `make mc.xs.c for ${PLATFORM} failed:\n${made.output.slice(-4000)}`);
    assert.ok(existsSync(target), `${target} was written`);
    assert.deepEqual(preloadWarnings(made.output), [], "xsl warned about stillheap's preloaded modules");
    const config = await generatedConfig(PLATFORM, "release");
    assert.deepEqual([config["mqttHost"], config["mqttUser"], config["mqttClientId"], config["mqttDiscovery"]], ["broker.example", "gateway", "board-7", "0"]);
    const makefile = readFileSync(join(tmp, "makefile"), "utf8");
    for (const module of ["stillheap/hosts/moddable/mqtt.xsb", "stillheap/hosts/moddable/http-socket.xsb", "embedded/io/socket/listener.xsb"]) {
      assert.ok(makefile.includes(module), `the build links ${module}`);
    }
    assert.ok(!makefile.includes("$(MODULES_DIR)/http.xsb"), "the SDK's http module (specifier \"http\") is no longer linked");
    assert.ok(makefile.includes("$(MODULES_DIR)/stillheap/src/net/http.xsb"), "the makefile names modules as this test expects");
  });
});
