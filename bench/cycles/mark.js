/* The cycles bench's mark (mark.c): the emulator stops, reads `value`, and goes on. */
export default function mark(value) @ "xs_bench_mark";
