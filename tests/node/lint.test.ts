import * as assert from "../support/assert.js";
import { lintSource } from "../../tools/cli/lint.js";

// Node only: the linter reads the project's sources from disk.
function rules(file: string, source: string): string[] {
  return lintSource(file, source).map((finding) => finding.rule);
}

describe("lint", () => {
  it("refuses a lower layer importing a higher one", () => {
    assert.deepEqual(rules("src/mem/ring.ts", 'import { x } from "../drivers/sht3x.js";\n'), ["layer-direction"]);
  });

  it("allows a higher layer importing a lower one", () => {
    assert.deepEqual(rules("src/drivers/sht3x.ts", 'import { x } from "../mem/ring.js";\n'), []);
  });

  it("refuses src importing the simulator or a host", () => {
    assert.deepEqual(rules("src/drivers/a.ts", 'import { s } from "../../simulator/index.js";\n'), ["layer-direction"]);
    assert.deepEqual(rules("src/app/a.ts", 'import { s } from "../../hosts/node/engine.js";\n'), ["layer-direction"]);
  });

  it("refuses Node APIs in firmware code but not in tools", () => {
    assert.deepEqual(rules("simulator/clock.ts", 'import fs from "node:fs";\nconsole.log(1);\n'),
      ["firmware-node-api", "firmware-node-api"]);
    assert.deepEqual(rules("tools/cli/x.ts", 'import fs from "node:fs";\nconsole.log(1);\n'), []);
  });

  it("finds any types and empty catch blocks, but not inside comments or strings", () => {
    assert.deepEqual(rules("tools/x.ts", "let a: any = 1;\ntry { f(); } catch (e) {}\n"), ["no-any", "no-empty-catch"]);
    assert.deepEqual(rules("tools/x.ts", '// let a: any\nconst s = "catch {}";\n'), []);
  });

  it("reports the line of each finding", () => {
    const [finding] = lintSource("src/mem/a.ts", '\n\nimport "../app/x.js";\n');
    assert.equal(finding?.line, 3);
  });
});
