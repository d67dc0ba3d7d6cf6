/**
 * The file Moddable's lin Preference keeps every domain in (modules/files/preference/lin/preference.js):
 * `config.file.root` + "modpreferences.json", the root being what the build's mc/config says (modules/files/file's
 * lin default is /tmp/). ArrayBuffer values are stored as `{"buffer": "83,72,82,49,…"}`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { generatedConfig } from "./sdk.js";

type Domains = Record<string, Record<string, unknown>>;

export class LinPreferences {
  private constructor(readonly path: string) {}

  /** The preferences file of a lin build (`variant`, and `app` for a user's app). */
  static async of(variant: "release" | "debug" | "instrument", app?: string): Promise<LinPreferences> {
    const file = (await generatedConfig("lin", variant, app))["file"] as { readonly root?: unknown } | undefined;
    if (typeof file?.root !== "string") throw new Error("the lin build's mc/config has no file.root: is the preference manifest included?");
    return new LinPreferences(`${file.root}modpreferences.json`);
  }

  #read(): Domains {
    return existsSync(this.path) ? JSON.parse(readFileSync(this.path, "utf8")) as Domains : {};
  }

  /** The bytes of an ArrayBuffer value, or undefined. */
  bytes(domain: string, key: string): Uint8Array | undefined {
    const value = this.#read()[domain]?.[key] as { readonly buffer?: unknown } | undefined;
    return typeof value?.buffer === "string" ? Uint8Array.from(value.buffer.split(","), Number) : undefined;
  }

  /** Replaces an ArrayBuffer value as the SDK would store it (only while no mcsim runs: it rewrites the file whole). */
  setBytes(domain: string, key: string, bytes: Uint8Array): void {
    const domains = this.#read();
    (domains[domain] ??= {})[key] = { buffer: bytes.join(",") };
    writeFileSync(this.path, JSON.stringify(domains));
  }

  /** Removes a domain (a test's own), leaving the others' as they are. */
  deleteDomain(domain: string): void {
    const domains = this.#read();
    if (!(domain in domains)) return;
    delete domains[domain];
    writeFileSync(this.path, JSON.stringify(domains));
  }
}
