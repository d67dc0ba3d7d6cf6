/**
 * A mocha-compatible test runner for engines without mocha (XS, RP2040): the same `describe`/`it`/hooks globals,
 * async tests, `this.skip()`. Output goes through the installed engine; the last line is the tally
 * `<engine>: N passed, N failed, N skipped`.
 */
import { engine } from "../../src/engine/index.js";

type Body = (this: TestContext) => unknown;

interface Test {
  readonly title: string;
  readonly body: Body | undefined;
  readonly pending: boolean;
}

interface Suite {
  readonly title: string;
  readonly pending: boolean;
  readonly children: Array<Suite | Test>;
  readonly before: Body[];
  readonly after: Body[];
  readonly beforeEach: Body[];
  readonly afterEach: Body[];
}

class SkipSignal extends Error {
  override name = "SkipSignal";
}

/** What `this` is inside a test body: the parts of Mocha.Context the suite uses. */
class TestContext {
  test: { title: string };
  constructor(title: string) {
    this.test = { title };
  }
  skip(): never {
    throw new SkipSignal("skipped");
  }
  timeout(): this {
    return this;
  }
  slow(): this {
    return this;
  }
}

const tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function newSuite(title: string, pending: boolean): Suite {
  return { title, pending, children: [], before: [], after: [], beforeEach: [], afterEach: [] };
}

const root = newSuite("", false);
let current = root;

function isSuite(node: Suite | Test): node is Suite {
  return "children" in node;
}

function describeWith(pending: boolean) {
  return (title: string, define: () => void): void => {
    const suite = newSuite(title, pending || current.pending);
    current.children.push(suite);
    const parent = current;
    current = suite;
    try {
      define();
    } finally {
      current = parent;
    }
  };
}

function itWith(pending: boolean) {
  return (title: string, body?: Body): void => {
    if (body !== undefined && body.length > 0) {
      throw new Error(`test "${title}" takes a done callback; return a promise instead`);
    }
    current.children.push({ title, body, pending: pending || body === undefined || current.pending });
  };
}

function hook(kind: "before" | "after" | "beforeEach" | "afterEach") {
  return (body: Body): void => {
    current[kind].push(body);
  };
}

/** Defines the mocha globals; call before importing test files. */
export function installTestGlobals(): void {
  const describe = Object.assign(describeWith(false), { skip: describeWith(true), only: describeWith(false) });
  const it = Object.assign(itWith(false), { skip: itWith(true), only: itWith(false) });
  const globals = globalThis as Record<string, unknown>;
  globals["describe"] = describe;
  globals["context"] = describe;
  globals["it"] = it;
  globals["before"] = hook("before");
  globals["after"] = hook("after");
  globals["beforeEach"] = hook("beforeEach");
  globals["afterEach"] = hook("afterEach");
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const stack = typeof error.stack === "string" && error.stack !== "" ? `\n${error.stack}` : "";
    return `${error.name}: ${error.message}${stack}`;
  }
  return String(error);
}

async function runHooks(hooks: readonly Body[], context: TestContext): Promise<void> {
  for (const body of hooks) await body.call(context);
}

async function runTest(test: Test, chain: readonly Suite[], path: string, indent: string): Promise<void> {
  const print = engine().print;
  if (test.pending) {
    tally.skipped++;
    print(`${indent}- ${test.title}`);
    return;
  }
  const context = new TestContext(test.title);
  try {
    for (const suite of chain) await runHooks(suite.beforeEach, context);
    await test.body?.call(context);
    tally.passed++;
    print(`${indent}✔ ${context.test.title}`);
  } catch (error: unknown) {
    if (error instanceof SkipSignal) {
      tally.skipped++;
      print(`${indent}- ${context.test.title}`);
    } else {
      tally.failed++;
      failures.push(`${path}${test.title}\n    ${describeError(error)}`);
      print(`${indent}✗ ${test.title}\n${indent}  ${describeError(error)}`);
    }
  } finally {
    for (let i = chain.length - 1; i >= 0; i--) await runHooks(chain[i]?.afterEach ?? [], context);
  }
}

async function runSuite(suite: Suite, chain: readonly Suite[], path: string, depth: number): Promise<void> {
  const indent = "  ".repeat(Math.max(depth, 0));
  if (suite.title !== "") engine().print(`${indent}${suite.title}`);
  const context = new TestContext(suite.title);
  const inner = [...chain, suite];
  try {
    await runHooks(suite.before, context);
  } catch (error: unknown) {
    tally.failed++;
    failures.push(`${path}${suite.title} "before all" hook\n    ${describeError(error)}`);
    engine().print(`${indent}✗ "before all" hook: ${describeError(error)}`);
    return;
  }
  const prefix = suite.title === "" ? path : `${path}${suite.title} › `;
  for (const child of suite.children) {
    if (isSuite(child)) await runSuite(child, inner, prefix, depth + 1);
    else await runTest(child, inner, prefix, `${indent}  `);
  }
  await runHooks(suite.after, context);
}

/** Runs every registered test and prints the failures and the tally line. Resolves to the number of failures. */
export async function runRegisteredTests(engineName: string): Promise<number> {
  await runSuite(root, [], "", -1);
  const print = engine().print;
  if (failures.length > 0) {
    print(`\n${failures.length} failing:`);
    failures.forEach((failure, i) => print(`  ${i + 1}) ${failure}`));
  }
  print(`${engineName}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  return tally.failed;
}
