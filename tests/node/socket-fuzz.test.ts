import { connect } from "node:net";
import * as assert from "../support/assert.js";
import { RequestFuzzer, VALID_STATUSES } from "../support/http-fuzz.js";
import { eventually, get, openFds, pause, startSim, TOKEN } from "./sim-process.js";

// Node only: real sockets against `stillheap sim` as a process — clients that reset, half-close or walk away at every
// byte offset, and seeded mutated requests — then the process must be alive, serving, and back to its descriptors.

const Ending = Object.freeze({ reset: 0, halfClose: 1, abandon: 2 });
type Ending = (typeof Ending)[keyof typeof Ending];

/** Sends `bytes`, then ends as told; resolves with what came back (deadline 10 s; a reset answer is fine). */
function client(port: number, bytes: Uint8Array, ending: Ending | -1): Promise<string> {
  return new Promise((done, fail) => {
    let answer = "";
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(bytes);
      if (ending === Ending.reset) socket.resetAndDestroy();
      else if (ending === Ending.halfClose) socket.end();
      else if (ending === Ending.abandon) socket.destroy();
    });
    const deadline = setTimeout(() => {
      socket.destroy();
      fail(new Error(`no end within 10 s after ${bytes.length} bytes (ending ${ending})`));
    }, 10_000);
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => socket.destroy()); // resets from either side are part of the test
    socket.on("close", () => {
      clearTimeout(deadline);
      done(answer);
    });
  });
}

/** Runs `jobs` with at most `width` in flight. */
async function pool(jobs: Array<() => Promise<void>>, width: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]?.();
  };
  await Promise.all(Array.from({ length: width }, lane));
}

describe("socket fuzz against stillheap sim", function () {
  this.timeout(180_000);

  it("survives resets, half-closes and abandons at every byte offset and 3,000 mutated requests; descriptors return", async () => {
    const server = await startSim(["--slots", "8", "--request-timeout-ms", "400"]);
    const pid = server.child.pid ?? -1;
    try {
      assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"));
      await pause(300);
      const baseline = openFds(pid);
      const body = "{\"bmp280PeriodMs\":1000}";
      const requests = [
        Buffer.from("GET /v1/readings HTTP/1.1\r\nHost: stillheap\r\n\r\n"),
        Buffer.from(`POST /v1/config HTTP/1.1\r\nHost: stillheap\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
      ];
      const jobs: Array<() => Promise<void>> = [];
      for (const request of requests) {
        for (let cut = 0; cut <= request.length; cut++) {
          for (const ending of [Ending.reset, Ending.halfClose, Ending.abandon]) {
            jobs.push(async () => void (await client(server.port, request.subarray(0, cut), ending)));
          }
        }
      }
      const fuzzer = new RequestFuzzer(0xf022, TOKEN);
      let invalid = "";
      let answered = 0;
      for (let i = 0; i < 3000; i++) {
        const bytes = fuzzer.next().slice();
        jobs.push(async () => {
          const answer = await client(server.port, bytes, -1);
          if (answer.length === 0) return; // closed by the server's deadline after an answer we did not wait for
          answered++;
          const status = Number(answer.slice(9, 12));
          if (!answer.startsWith("HTTP/1.1 ") || !VALID_STATUSES.includes(status)) invalid ||= answer.slice(0, 60);
        });
      }
      await pool(jobs, 16);
      assert.equal(invalid, "", "every answer a valid status");
      assert.ok(answered > 2500, `${answered} of 3000 mutated requests answered`);
      assert.equal(server.child.exitCode, null, server.errors());
      assert.ok((await get(server.port, "/healthz")).startsWith("HTTP/1.1 200"), "still serving");
      await eventually(() => openFds(pid) <= baseline, 10_000, () => `fds: ${openFds(pid)} open, ${baseline} at the start`);
    } finally {
      server.child.kill("SIGINT");
      await server.exit;
    }
  });
});
