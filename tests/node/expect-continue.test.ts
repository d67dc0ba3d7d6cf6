/**
 * Expect: 100-continue over real sockets against `stillheap sim` (RFC 9110 §10.1.1): the Node host sends the service's
 * 100 Continue as an interim response, or the final status comes at once. Node only: a process and its sockets.
 */
import { connect, type Socket } from "node:net";
import * as assert from "../support/assert.js";
import { startSim, TOKEN, type Running } from "./sim-process.js";

const BODY = '{"sensors":{"sht3x":{"periodMs":2000}}}';

function head(token: string): string {
  return `POST /v1/config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nExpect: 100-continue\r\n` +
    `Content-Length: ${BODY.length}\r\n\r\n`;
}

/** Resolves with what the socket has received once `until` holds of it (deadline 5 s). */
function receive(socket: Socket, seen: { text: string }, until: (text: string) => boolean): Promise<string> {
  return new Promise((done, fail) => {
    const deadline = setTimeout(() => fail(new Error(`not within 5 s; received: ${JSON.stringify(seen.text)}`)), 5000);
    const look = (): void => {
      if (!until(seen.text)) return;
      clearTimeout(deadline);
      socket.off("data", look);
      done(seen.text);
    };
    socket.on("data", look);
    look();
  });
}

describe("Expect: 100-continue against stillheap sim", function () {
  this.timeout(30_000);
  let server: Running;
  before(async () => {
    server = await startSim(["--panel-port", "off"]);
  });
  after(async () => {
    server.child.kill("SIGINT");
    await server.exit;
  });

  function open(): { socket: Socket; seen: { text: string } } {
    const socket = connect(server.port, "127.0.0.1");
    const seen = { text: "" };
    socket.setEncoding("utf8").on("data", (chunk: string) => (seen.text += chunk));
    socket.on("error", () => undefined); // a reset after the answer is the server's close, not this test's concern
    return { socket, seen };
  }

  it("gets 100 Continue before it sends the body, then the answer", async () => {
    const { socket, seen } = open();
    socket.write(head(TOKEN));
    assert.equal(await receive(socket, seen, (t) => t.includes("\r\n\r\n")), "HTTP/1.1 100 Continue\r\n\r\n");
    socket.write(BODY);
    const answer = await receive(socket, seen, (t) => t.includes("{\"applied\":true}"));
    assert.ok(answer.includes("HTTP/1.1 200 OK"), answer);
    socket.destroy();
  });

  it("gets 401 at once for a wrong token, the body never sent", async () => {
    const { socket, seen } = open();
    socket.write(head("wrong-token-0"));
    const answer = await receive(socket, seen, (t) => t.includes("}"));
    assert.ok(answer.startsWith("HTTP/1.1 401 Unauthorized\r\n"), answer);
    assert.ok(!answer.includes("100 Continue"), answer);
    socket.destroy();
  });
});
