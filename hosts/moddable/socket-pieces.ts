/**
 * Moving bytes through an ECMA-419 socket (embedded:io/socket/tcp, format "buffer") without allocating: `read(count)`
 * and a `write` of part of a buffer would each make a new buffer or view, so bytes go through pieces made once, one
 * per power of two up to `maxBytes`. The SDK's read(buffer) fills the whole buffer and write(buffer) sends the whole
 * buffer (modules/io/socket/lin/tcp.c, lwip/tcp.c), so any count is a sum of at most log2(maxBytes) + 1 pieces.
 */
import type TCP from "embedded:io/socket/tcp";

/** Takes bytes[0 .. length) read from a socket; the bytes are reused once it returns. */
export interface PieceReceiver {
  receivePiece(bytes: Uint8Array, length: number): void;
}

export class SocketPieces {
  /** Largest first: pieces[i] holds maxBytes >> i bytes. */
  readonly #pieces: Uint8Array[] = [];
  /** What the socket said it still takes after the last write() (the SDK's return value). */
  writable = 0;

  constructor(readonly maxBytes: number) {
    for (let size = maxBytes; size >= 1; size >>= 1) this.#pieces.push(new Uint8Array(size));
  }

  /** The largest piece not longer than `count` (count ≥ 1). */
  #piece(count: number): Uint8Array {
    for (let i = 0; i < this.#pieces.length; i++) {
      const piece = this.#pieces[i] as Uint8Array;
      if (piece.length <= count) return piece;
    }
    return this.#pieces[this.#pieces.length - 1] as Uint8Array;
  }

  /** Reads `count` bytes (what onReadable reported) and hands them on piece by piece. */
  read(socket: TCP, count: number, into: PieceReceiver): void {
    let left = count;
    while (left > 0) {
      const piece = this.#piece(left);
      socket.read(piece);
      into.receivePiece(piece, piece.length);
      left -= piece.length;
    }
  }

  /** Reads and discards `count` bytes. */
  discard(socket: TCP, count: number): void {
    let left = count;
    while (left > 0) {
      const piece = this.#piece(left);
      socket.read(piece);
      left -= piece.length;
    }
  }

  /**
   * Writes bytes[start .. start + length), at most `room` bytes of them (what onWritable or the last write reported);
   * returns how many were written and leaves the socket's remaining room in `writable`.
   */
  write(socket: TCP, bytes: Uint8Array, start: number, length: number, room: number): number {
    let written = 0;
    let left = room;
    while (written < length && left > 0) {
      const piece = this.#piece(Math.min(length - written, left));
      const size = piece.length;
      const from = start + written;
      for (let i = 0; i < size; i++) piece[i] = bytes[from + i] ?? 0;
      left = Number(socket.write(piece)) || 0; // undefined after an error: nothing more goes
      written += size;
    }
    this.writable = left;
    return written;
  }
}
