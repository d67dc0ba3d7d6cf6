/**
 * nodejs/llhttp's request tests (test/request/*.md, a third-party corpus) through our parser. The corpus is unpacked at
 * test time from ../shared/corpora beside the project (or STILLHEAP_CORPORA) into build/; every case's first request
 * is parsed with the device's limits and our verdict (complete, incomplete, refused) compared with llhttp's (its log
 * ends the first message with "message complete", or an error, or neither). Where we differ, the case is in
 * STRICTER below with the reason; a difference not listed, or a listed one that is gone, fails the test.
 *
 * Node only: the corpus is a tarball on disk, unpacked with tar.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_LIMITS, HttpRequest, ParseResult, parseRequest } from "../../src/net/index.js";
import { PARSE_ERRORS } from "../../src/net/request.js";
import { buildDir, projectRoot } from "../../tools/cli/paths.js";
import * as assert from "../support/assert.js";
import { skipBecause } from "../support/engines.js";

const TARBALL = "llhttp-request-tests.tar.gz";

/** The corpus's directory of request tests, unpacked into build/, or why it is not there. */
function unpack(): string {
  const dirs = [process.env.STILLHEAP_CORPORA, resolve(projectRoot, "..", "shared", "corpora")];
  const dir = dirs.find((d) => d !== undefined && existsSync(join(d, TARBALL)));
  if (dir === undefined) return `no ${TARBALL}: put it in ../shared/corpora beside the project or set STILLHEAP_CORPORA`;
  const into = join(buildDir, "corpora", "llhttp");
  mkdirSync(into, { recursive: true });
  execFileSync("tar", ["-xzf", join(dir, TARBALL), "-C", into]);
  return join(into, "llhttp", "test", "request");
}

interface Case {
  readonly key: string;
  readonly type: string;
  readonly input: string;
  readonly log: readonly string[];
}

/** llhttp's test input conventions (test/md-test.ts): CRLF line ends, escapes for CR, LF, tab, form feed, hex, octal. */
function decode(block: string): string {
  return block.replace(/\n$/, "").replace(/\\(\r\n|\r|\n)/g, "").replace(/\r\n|\r|\n/g, "\r\n")
    .replace(/\\r/g, "\r").replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\f/g, "\f")
    .replace(/\\x([0-9a-fA-F]+)/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\([0-7]{1,3})/g, (_all, digits: string) => String.fromCharCode(parseInt(digits, 8)));
}

function cases(dir: string): Case[] {
  const found: Case[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
    const lines = readFileSync(join(dir, file), "latin1").split("\n");
    let heading = "";
    let type = "";
    let input: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const title = /^#{2,}\s+(.*)$/.exec(line);
      if (title !== null) heading = title[1] ?? "";
      const meta = /^<!-- meta=(\{.*\}) -->$/.exec(line);
      if (meta !== null) type = (JSON.parse(meta[1] ?? "{}") as { type?: string }).type ?? "";
      const fence = /^```(\w+)$/.exec(line);
      if (fence === null) continue;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i] ?? "");
      if (fence[1] === "http") input = decode(`${body.join("\n")}\n`);
      else if (fence[1] === "log" && input !== undefined) {
        let key = `${file}: ${heading}`;
        for (let n = 2; found.some((c) => c.key === key); n++) key = `${file}: ${heading} (${n})`;
        found.push({ key, type, input, log: body });
        input = undefined;
      }
    }
  }
  return found;
}

type Verdict = "complete" | "incomplete" | "refused";

/** llhttp's verdict on the first request; a leniency flag's case is what llhttp refuses without the flag. */
function llhttpVerdict(c: Case): Verdict {
  if (c.type.startsWith("request-lenient")) return "refused";
  for (const line of c.log) {
    if (line.includes("message complete")) return "complete";
    if (/error code=2[23] reason="Pause on (CONNECT|PRI)\/Upgrade"/.test(line)) return "complete"; // headers done, handed over
    if (line.includes("error code=")) return "refused";
  }
  return "incomplete";
}

interface Ours {
  readonly verdict: Verdict;
  readonly status: number;
  readonly reason: string;
}

function ours(text: string): Ours {
  const bytes = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  const whole = new HttpRequest().reset(bytes);
  const result = parseRequest(whole, text.length, DEFAULT_LIMITS);
  const bytewise = new HttpRequest().reset(bytes);
  let stepped: number = ParseResult.incomplete;
  for (let n = 1; n <= text.length && stepped === ParseResult.incomplete; n++) stepped = parseRequest(bytewise, n, DEFAULT_LIMITS);
  assert.equal(`${stepped} ${bytewise.errorStatus}`, `${result} ${whole.errorStatus}`, "the same verdict fed byte by byte");
  const verdict = result === ParseResult.complete ? "complete" : result === ParseResult.error ? "refused" : "incomplete";
  return { verdict, status: whole.errorStatus, reason: whole.errorReason };
}

/** The request with a Host header after its request line, when it has none (the corpus's requests mostly lack one). */
function withHost(text: string): string {
  if (/\r\nhost:/i.test(text)) return text;
  let start = 0;
  while (text.startsWith("\r\n", start)) start += 2;
  const end = text.indexOf("\r\n", start);
  return end < 0 ? text : `${text.slice(0, end + 2)}Host: corpus\r\n${text.slice(end + 2)}`;
}

const WHY = Object.freeze({
  method: "501: a method we do not implement (llhttp knows some 40, from WebDAV to RTSP and PRI); RFC 9110 §9.1",
  chunked: "411: chunked request bodies are refused (send Content-Length), as RFC 9112 §6.3 allows a server to",
  version: "400: only HTTP/1.0 and HTTP/1.1 (RTSP, ICE and HTTP/0.9's version-less request line are refused)",
  target: "400: request-target characters per RFC 3986: no fragment (#), no raw quote or vertical bar",
  oneRequest: "we read one request per connection and close: what llhttp's keep-alive leniency is about never arrives",
  skipBody: "llhttp's harness tells its parser to skip the body (as after HEAD); a server waits for the 123 bytes",
  atLineEnd: "we judge the request line when it ends (then 400); llhttp refuses at the version's digits",
});

/**
 * Where we part from llhttp, by case: llhttp's verdict → ours (and our status), and why. Every case is compared with a
 * Host header added where it has none (most of the corpus's HTTP/1.1 requests lack one), so the rest of each request
 * is tested; what the missing Host alone changes is counted in MISSING_HOST.
 */
const STRICTER: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  "connection.md: Resetting flags when keep-alive is off (1.0, lenient)": ["refused → complete", WHY.oneRequest],
  "connection.md: CRLF between requests, explicit `close` (lenient)": ["refused → complete", WHY.oneRequest],
  "lenient-headers.md: Second request header value (lenient)": ["refused → complete", WHY.oneRequest],
  "content-length.md: Content-Length reset when no body is received": ["complete → incomplete", WHY.skipBody],
  "invalid.md: Invalid HTTP version": ["refused → incomplete", WHY.atLineEnd],
  "method.md: REPORT request": ["complete → refused 501", WHY.method],
  "method.md: CONNECT request": ["complete → refused 501", WHY.method],
  "method.md: CONNECT request with CAPS": ["complete → refused 501", WHY.method],
  "method.md: CONNECT with body": ["complete → refused 501", WHY.method],
  "method.md: M-SEARCH request": ["complete → refused 501", WHY.method],
  "method.md: PATCH request": ["complete → refused 501", WHY.method],
  "method.md: PURGE request": ["complete → refused 501", WHY.method],
  "method.md: SEARCH request": ["complete → refused 501", WHY.method],
  "method.md: LINK request": ["complete → refused 501", WHY.method],
  "method.md: LINK request (2)": ["complete → refused 501", WHY.method],
  "method.md: SOURCE request": ["complete → refused 501", WHY.method],
  "method.md: SOURCE request with ICE": ["complete → refused 400", WHY.version],
  "method.md: OPTIONS request with RTSP": ["complete → refused 400", WHY.version],
  "method.md: ANNOUNCE request with RTSP": ["complete → refused 400", WHY.version],
  "method.md: PRI request HTTP2": ["complete → refused 501", WHY.method],
  "method.md: QUERY request": ["complete → refused 501", WHY.method],
  "pausing.md: on_chunk_header": ["complete → refused 411", WHY.chunked],
  "pausing.md: on_chunk_extension_name": ["complete → refused 411", WHY.chunked],
  "pausing.md: on_chunk_extension_value": ["complete → refused 411", WHY.chunked],
  "pausing.md: on_chunk_complete": ["complete → refused 411", WHY.chunked],
  "sample.md: Simple request": ["complete → refused 501", WHY.method],
  "sample.md: No HTTP version": ["complete → refused 400", WHY.version],
  "sample.md: 255 ASCII in header value": ["complete → refused 501", WHY.method],
  "transfer-encoding.md: Parsing and setting flag": ["incomplete → refused 411", WHY.chunked],
  "transfer-encoding.md: Parse chunks with lowercase size": ["complete → refused 411", WHY.chunked],
  "transfer-encoding.md: Parse chunks with uppercase size": ["complete → refused 411", WHY.chunked],
  "transfer-encoding.md: POST with `Transfer-Encoding: chunked`": ["complete → refused 411", WHY.chunked],
  "transfer-encoding.md: Two chunks and triple zero prefixed end chunk": ["complete → refused 411", WHY.chunked],
  "transfer-encoding.md: Trailing headers": ["complete → refused 411", WHY.chunked],
  "transfer-encoding.md: Chunk extensions": ["incomplete → refused 411", WHY.chunked],
  "transfer-encoding.md: Chunk extensions quoting": ["incomplete → refused 411", WHY.chunked],
  "transfer-encoding.md: POST with `chunked` as last transfer-encoding": ["complete → refused 400", WHY.target],
  "transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)": ["complete → refused 400", WHY.target],
  "uri.md: Quotes in URI": ["complete → refused 400", WHY.target],
  "uri.md: Query URL with vertical bar character": ["complete → refused 400", WHY.target],
  "uri.md: Fragment in URI": ["complete → refused 400", WHY.target],
  "uri.md: Underscore in hostname": ["complete → refused 501", WHY.method],
});
/** Cases whose published request we refuse 400 for its missing Host alone (RFC 9112 §3.2; llhttp does not check). */
const MISSING_HOST = 55;

const dir = unpack();
describe("llhttp's request corpus through our parser", () => {
  it("comes to llhttp's verdict on every case but the listed ones, each with its reason, the same fed byte by byte", function () {
    if (!existsSync(dir)) skipBecause(this, dir);
    const all = cases(dir);
    assert.ok(all.length > 150, `the corpus's cases were found (${all.length})`);
    const differences: Record<string, string> = {};
    let missingHost = 0;
    for (const c of all) {
      const theirs = llhttpVerdict(c);
      const published = ours(c.input);
      const hosted = ours(withHost(c.input));
      if (hosted.verdict !== theirs) {
        differences[c.key] = `${theirs} → ${hosted.verdict}${hosted.status === 0 ? "" : ` ${hosted.status}`} (${hosted.reason})`;
      }
      if (published.verdict === hosted.verdict && published.status === hosted.status) continue;
      assert.equal(published.reason, PARSE_ERRORS.noHost, `${c.key}: only a Host header added, and a verdict that is not Host's`);
      missingHost++;
    }
    const unlisted = Object.keys(differences).filter((key) => differences[key]?.replace(/ \(.*\)$/, "") !== STRICTER[key]?.[0]);
    const gone = Object.keys(STRICTER).filter((key) => differences[key] === undefined);
    assert.deepEqual(unlisted.map((key) => `${key}: ${differences[key] ?? ""}`), [], "differences from llhttp not listed in STRICTER");
    assert.deepEqual(gone, [], "listed differences from llhttp that are gone");
    assert.equal(missingHost, MISSING_HOST, "cases refused only for their missing Host");
  });
});
