/** stillheap/io: ECMA-419 IO types shared by drivers, hosts and the simulator. */
export * from "./types.js";
