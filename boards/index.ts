import type { Board } from "./board.js";
import { esp32 } from "./esp32.js";
import { pico } from "./pico.js";

export type { Board, BoardBus, BoardPins, Creation } from "./board.js";
export { DEVICE_SLOT_BYTES } from "./board.js";
export { esp32, pico };

export const boards: Readonly<Record<string, Board>> = Object.freeze({ pico, esp32 });

export class UnknownBoardError extends Error {
  override name = "UnknownBoardError";
  constructor(readonly board: string) {
    super(`unknown board "${board}": choose one of ${Object.keys(boards).join(", ")}`);
  }
}

export function boardNamed(name: string): Board {
  const board = boards[name];
  if (board === undefined) throw new UnknownBoardError(name);
  return board;
}
