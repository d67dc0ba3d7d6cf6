/** flash.js: the settings sectors of Moddable's Pico build (flash.c). Offsets are from the start of the flash. */
/** Where the two settings sectors begin; throws if the image or Moddable's Preference sectors reach into them. */
export function settingsOffset(): number;
/** Erases the 4 KB sector at `offset` (one of the two). */
export function erase(offset: number): void;
/** Programs buffer[start .. start + length) at `offset`, within one 256-byte page of the settings sectors. */
export function program(offset: number, buffer: ArrayBuffer, start: number, length: number): void;
/** Copies `length` bytes of flash at `offset` into buffer[start ..). */
export function read(offset: number, buffer: ArrayBuffer, start: number, length: number): void;
