/** An RP2040 test image that allocates until the XS heap is exhausted: the host must report it and restart. */
const kept: number[][] = [];
rp2040.print("[oom] allocating");
for (let i = 0; ; i++) kept.push(new Array<number>(256).fill(i));
