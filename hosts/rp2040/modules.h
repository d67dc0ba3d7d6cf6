/* The compiled JavaScript modules embedded in flash (build/rp2040/modules.c, written by `stillheap build`). */
#ifndef STILLHEAP_RP2040_MODULES_H
#define STILLHEAP_RP2040_MODULES_H
#include <stdint.h>

typedef struct {
	const char* path;   /* "/hosts/rp2040/firmware.js": the module's path under dist/ */
	const char* source;
	uint32_t length;
} EmbeddedModule;

extern const EmbeddedModule gModules[];
extern const uint32_t gModuleCount;
extern const char gEntryPath[];
#endif
