/* The firmware's modules as linked XS bytecode in flash (build/rp2040/modules.c, written by stillheap-xsc), and the
 * names the device must create at boot so that the IDs in the bytecode are its own. */
#ifndef STILLHEAP_RP2040_MODULES_H
#define STILLHEAP_RP2040_MODULES_H
#include <stdint.h>

typedef struct {
	const char* path;   /* "/hosts/rp2040/firmware.js": the module's path under dist/ */
	const uint8_t* code;
	uint32_t size;
} EmbeddedModule;

extern const EmbeddedModule gModules[];
extern const uint32_t gModuleCount;
extern const char gEntryPath[];

/* gLinkNameCount NUL-terminated names, to be created with IDs gLinkKeyBase, gLinkKeyBase + 1, … */
extern const char gLinkNames[];
extern const uint32_t gLinkNameCount;
/* The engine's key table right after machine creation, as the build machine saw it: its size and a fingerprint. */
extern const uint32_t gLinkKeyBase;
extern const uint32_t gLinkKeyFingerprint;

#endif
