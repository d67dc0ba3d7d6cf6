/**
 * `stillheap sim --state FILE`: settings kept in a file, replaced atomically — written to a temporary file beside
 * it, flushed to the disk (fsync), renamed over the old one, the folder flushed too — so a crash leaves the old file
 * or the new one, never half of one. One slot: the rename is what a second slot is for on flash.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { SlotStore } from "../../src/services/record-slots.js";

export class StateFile implements SlotStore {
  readonly slots = 1;

  constructor(readonly path: string, readonly slotBytes = 4096) {}

  read(_slot: number, into: Uint8Array): number {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code === "ENOENT") return 0; // no settings kept yet
      throw error;
    }
    const length = Math.min(bytes.length, into.length);
    into.set(bytes.subarray(0, length));
    return length;
  }

  write(_slot: number, bytes: Uint8Array, length: number): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = openSync(temporary, "w", 0o600);
    try {
      writeSync(file, bytes, 0, length);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    renameSync(temporary, this.path);
    const folder = openSync(dirname(this.path), "r");
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  }
}
