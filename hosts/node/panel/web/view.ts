/** The panel's table of sensors and its fault control: plain DOM, rebuilt from each frame. */
import type { Frame, InjectRequest } from "./protocol.js";

function cell(row: HTMLTableRowElement, text: string): void {
  row.insertCell().textContent = text;
}

function reasons(dropped: Readonly<Record<string, number>>): string {
  const parts = Object.entries(dropped).map(([reason, count]) => `${reason} ${count}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/**
 * One row per sensor: its state from the last frame — dropping (and why) when a drop was counted, ok when a reading
 * was delivered, stalled when nothing was for three periods.
 */
export function renderSensors(table: HTMLElement, frame: Frame, before: Frame | undefined): void {
  const body = document.createElement("tbody");
  for (const sensor of frame.sensors) {
    const previous = before?.sensors.find((s) => s.name === sensor.name);
    const newDrops = Object.entries(sensor.dropped).filter(([reason, count]) => count > (previous?.dropped[reason] ?? 0));
    const state = sensor.stalled ? "stalled" : newDrops.length > 0 ? "dropping" : "ok";
    const row = body.insertRow();
    row.id = `sensor-${sensor.name}`;
    row.dataset["state"] = state;
    row.dataset["delivered"] = String(sensor.delivered);
    row.className = state;
    cell(row, sensor.name);
    cell(row, sensor.address < 0 ? "?" : `0x${sensor.address.toString(16)}`);
    cell(row, state + (newDrops.length > 0 ? ` (${newDrops.map(([reason]) => reason).join(", ")})` : ""));
    cell(row, String(sensor.produced));
    cell(row, String(sensor.delivered));
    cell(row, reasons(sensor.dropped));
  }
  table.querySelector("tbody")?.replaceWith(body);
}

/** The fault control: sensor, kind and duration, sent as POST /v1/inject; hidden where nothing can be injected. */
export function renderInjectForm(form: HTMLElement, kinds: readonly string[]): void {
  form.hidden = kinds.length === 0;
  const sensors = form.querySelector<HTMLSelectElement>("#inject-sensor");
  const kind = form.querySelector<HTMLSelectElement>("#inject-kind");
  if (sensors === null || kind === null) return;
  kind.replaceChildren(...kinds.map((k) => new Option(k, k)));
  form.onsubmit = (event) => {
    event.preventDefault();
    void inject(form, sensors.value, kind.value);
  };
}

/** Offers the sensors a frame names (a device reports them only once it runs), keeping the one chosen. */
export function offerSensors(form: HTMLElement, frame: Frame): void {
  const select = form.querySelector<HTMLSelectElement>("#inject-sensor");
  const names = frame.sensors.filter((s) => s.address >= 0).map((s) => s.name);
  if (select === null || [...select.options].map((o) => o.value).join() === names.join()) return;
  const chosen = select.value;
  select.replaceChildren(...names.map((name) => new Option(name, name)));
  if (names.includes(chosen)) select.value = chosen;
}

async function inject(form: HTMLElement, sensor: string, kind: string): Promise<void> {
  const seconds = Number(form.querySelector<HTMLInputElement>("#inject-seconds")?.value ?? "3");
  const result = form.querySelector<HTMLElement>("#inject-result");
  const request: InjectRequest = { sensor, kind, durationMs: seconds * 1000 };
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch("/v1/inject", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request), signal: controller.signal });
    const answer = (await response.json()) as { error?: string };
    if (result !== null) result.textContent = response.ok ? `${kind} on ${sensor} for ${seconds} s` : `refused: ${answer.error ?? response.status}`;
  } catch (error: unknown) {
    if (result !== null) result.textContent = `not sent: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(deadline);
  }
}
