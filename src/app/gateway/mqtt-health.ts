/**
 * What the MQTT connection says about the gateway's health, and the lines a person needs when it goes wrong: a
 * broker that refuses the connection (with the CONNACK code's meaning), one unreachable past a threshold, a refused
 * subscription, a message the broker would not take, one too large to receive. Each is said once per change, not
 * per attempt; the health reasons are constant text made here, so /healthz allocates nothing.
 */
import { MqttState, type MqttClient } from "../../net/mqtt/client.js";
import { CONNACK_MEANINGS, InboundDrop } from "../../net/mqtt/packet.js";
import type { JsonWriter } from "../../net/writer.js";
import type { HealthReasons } from "./documents.js";

const REFUSED: readonly string[] = Object.freeze(CONNACK_MEANINGS.map((meaning, code) => `mqtt: the broker refuses the connection (CONNACK ${code}: ${meaning})`));
const SUBSCRIPTION = "mqtt: the broker refuses a subscription (config over MQTT is off until a retry is granted)";
const ADVICE: readonly string[] = Object.freeze(["", "", " (the client id is refused: choose another)", "",
  " (check the user name and the password: --mqtt-user, --mqtt-password-file)", " (this user may not connect)"]);
const LOST = "mqtt: connection to the broker lost; reconnecting with backoff";
const CONNECTED = "mqtt: connected to the broker";
/** The least time between two lines about the same repeated event (messages discarded). */
const REPEAT_MS = 60_000;

export class MqttHealth implements HealthReasons {
  readonly #unreachable: string;
  /** Since when the client has not been connected (it starts so); -1 while connected. */
  #downSinceMs: number;
  #toldCode = 0;
  #toldUnreachable = false;
  #toldSubscription = false;
  #wasConnected = false;
  #seenPoison = 0;
  #seenTimeouts = 0;
  #seenTooLarge = 0;
  #toldTooLargeMs = -Infinity;

  constructor(readonly client: MqttClient, readonly unreachableAfterMs: number, readonly log: ((line: string) => void) | undefined, nowMs: number) {
    this.#unreachable = `mqtt: no connection to the broker for over ${Math.round(unreachableAfterMs / 1000)} s`;
    this.#downSinceMs = nowMs;
  }

  /** True while the broker refuses the connection (its last answer), is unreachable past the threshold, or refuses a subscription. */
  degrades(nowMs: number): boolean {
    return this.#refusedCode() > 0 || this.#unreachableAt(nowMs) || this.#subscriptionRefused();
  }

  writeReasons(json: JsonWriter, nowMs: number): void {
    const code = this.#refusedCode();
    if (code > 0) json.text(REFUSED[code] ?? "");
    else if (this.#unreachableAt(nowMs)) json.text(this.#unreachable);
    if (this.#subscriptionRefused()) json.text(SUBSCRIPTION);
  }

  #refusedCode(): number {
    return this.client.state !== MqttState.connected && this.client.lastReturnCode > 0 ? this.client.lastReturnCode : 0;
  }

  #unreachableAt(nowMs: number): boolean {
    return this.client.state !== MqttState.stopped && this.#downSinceMs >= 0 && nowMs - this.#downSinceMs > this.unreachableAfterMs;
  }

  #subscriptionRefused(): boolean {
    return this.client.state === MqttState.connected && this.client.subscriptions.refused;
  }

  /** Follows the client (from the telemetry's poll); compares numbers, and only a change makes a line. */
  watch(nowMs: number): void {
    const client = this.client;
    const connected = client.state === MqttState.connected;
    if (connected !== this.#wasConnected) this.#changed(connected, nowMs);
    const code = this.#refusedCode();
    if (code > 0 && code !== this.#toldCode && this.log !== undefined) this.log(`${REFUSED[code] ?? ""}${ADVICE[code] ?? ""}; retrying with backoff`);
    if (code > 0) this.#toldCode = code;
    if (!this.#toldUnreachable && code === 0 && this.#unreachableAt(nowMs)) {
      this.#toldUnreachable = true;
      if (this.log !== undefined) this.log(`${this.#unreachable}; still trying`);
    }
    const refused = this.#subscriptionRefused();
    if (refused !== this.#toldSubscription && this.log !== undefined) this.log(refused ? `${SUBSCRIPTION}; retrying with backoff` : "mqtt: subscriptions granted");
    this.#toldSubscription = refused;
    this.#events(nowMs);
  }

  #changed(connected: boolean, nowMs: number): void {
    this.#wasConnected = connected;
    if (!connected) {
      this.#downSinceMs = nowMs;
      if (this.client.state !== MqttState.stopped) this.log?.(LOST);
      return;
    }
    if (this.log !== undefined) {
      this.log(this.client.connections > 1 ? `mqtt: connected to the broker again after ${((nowMs - this.#downSinceMs) / 1000).toFixed(1)} s` : CONNECTED);
    }
    this.#downSinceMs = -1;
    this.#toldCode = 0;
    this.#toldUnreachable = false;
  }

  /** Lines about what happened to messages; a device without a log skips making them (they would allocate). */
  #events(nowMs: number): void {
    const client = this.client;
    if (this.log === undefined) return;
    const poison = client.poison;
    if (poison.dropped !== this.#seenPoison) {
      this.#seenPoison = poison.dropped;
      const limit = poison.limitBytes === Infinity ? "" : `; packets of ${poison.limitBytes} bytes or more are no longer sent (the largest it acknowledged: ${poison.largestAcknowledged})`;
      const why = poison.lastDroppedTwice ? "twice in a row" : "once more, past the size it refused before";
      this.log(`mqtt: the broker closed the connection on a ${poison.lastDroppedBytes}-byte PUBLISH ${why}: dropped it${limit}`);
    }
    if (client.keepAliveTimeouts !== this.#seenTimeouts) {
      this.#seenTimeouts = client.keepAliveTimeouts;
      this.log(`mqtt: the broker sent nothing for ${client.keepAliveMs / 1000} s and did not answer PINGREQ: connection dropped`);
    }
    const tooLarge = client.inboundDropped[InboundDrop.tooLarge] ?? 0;
    if (tooLarge !== this.#seenTooLarge && nowMs - this.#toldTooLargeMs >= REPEAT_MS) {
      this.#seenTooLarge = tooLarge;
      this.#toldTooLargeMs = nowMs;
      this.log(`mqtt: ${tooLarge} message(s) from the broker larger than the ${client.outbox.maxPacketBytes}-byte receive buffer read through and discarded`);
    }
  }
}
