/* XSPLATFORM header for XS on bare-metal RP2040 (Cortex-M0+, picolibc), included by every XS source through
 * -DINCLUDE_XSPLATFORM -DXSPLATFORM="platform.h". */
#ifndef STILLHEAP_RP2040_PLATFORM_H
#define STILLHEAP_RP2040_PLATFORM_H

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#define mxExport extern
#define mxImport extern
#define XS_FUNCTION_NORETURN __attribute__((noreturn))
#define mxLittleEndian 1

/* The M0+ faults on unaligned 16/32-bit access. */
#define mxUnalignedAccess 0
#define mxMisalignedSettersCrash 1

#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1
/* fxAbort and fxQueuePromiseJobs are ours (main.c); fxFindModule, fxLoadModule, fxParseScript and fxBuildKeys too
 * (loader.c): modules arrive as bytecode compiled on the build machine, the parser is not in the image, and the
 * engine's built-in names stay in flash. */

#define mxMachinePlatform \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink; \
	int promiseJobs; \
	int abortStatus;

/* C-stack limit. XS asks fxCStackLimit() (xsCommon.c) where the C stack ends, and answers NULL — no checks — on
 * platforms it does not know. Rather than patch the engine, xsCommon.c alone is compiled with
 * STILLHEAP_C_STACK_SHIM, which takes the engine's own Linux branch; the pthread calls it makes are answered here
 * with the C stack region from the linker script, so the engine checks the C stack against our 16 KB with the
 * Linux branch's 128 KB margin subtracted back out. */
#ifdef STILLHEAP_C_STACK_SHIM
	#undef mxLinux
	#define mxLinux 1
	/* Bytes kept free below the limit for the engine's own unwinding and our interrupt handlers. */
	#define STILLHEAP_C_STACK_RESERVE 2048
	typedef int pthread_t;
	typedef struct { char* bottom; } pthread_attr_t;
	extern char __stack_bottom[];
	static inline pthread_t pthread_self(void) { return 0; }
	static inline int pthread_attr_init(pthread_attr_t* attrs) { attrs->bottom = __stack_bottom; return 0; }
	static inline int pthread_attr_destroy(pthread_attr_t* attrs) { (void)attrs; return 0; }
	static inline int pthread_getattr_np(pthread_t thread, pthread_attr_t* attrs) { (void)thread; return pthread_attr_init(attrs); }
	static inline int pthread_attr_getstack(const pthread_attr_t* attrs, void** address, size_t* size)
	{
		*address = attrs->bottom - (128 * 1024) + STILLHEAP_C_STACK_RESERVE;
		*size = 0;
		return 0;
	}
#endif

#endif
