/** usb-console.js: the Pico's USB serial console input (usb-console.c). */
/** Copies up to `count` received bytes into buffer[offset ..); returns how many (0: none waiting). */
export function read(buffer: ArrayBuffer, offset: number, count: number): number;
/** False in debug builds, where xsbug reads the port. */
export function available(): boolean;
