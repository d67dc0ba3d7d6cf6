/** `stillheap/app` in a Moddable build, as in the package's exports on Node. */
export * from "stillheap/src/app/index";
