/** `stillheap/simulator` in a desktop Moddable build (lin, mac, win), as in the package's exports on Node. */
export * from "stillheap/simulator/index";
