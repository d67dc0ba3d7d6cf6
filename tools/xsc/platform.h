/* XSPLATFORM header of stillheap-xsc, the build machine's bytecode compiler for device images: the engine compiled
 * for 64-bit Linux or macOS with the device's features (hosts/rp2040/engine.mk), and 16-bit IDs as on the device. */
#ifndef STILLHEAP_XSC_PLATFORM_H
#define STILLHEAP_XSC_PLATFORM_H

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
	#undef mxLittleEndian
	#define mxLittleEndian 1
	#if defined(__linux__)
		#undef mxLinux
		#define mxLinux 1
	#else
		#undef mxMacOSX
		#define mxMacOSX 1
	#endif
	#define mxExport extern
	#define mxImport extern
	#define XS_FUNCTION_NORETURN __attribute__((noreturn))
#else
	#error "stillheap-xsc builds for 64-bit Linux or macOS with gcc or clang"
#endif

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define mxMachinePlatform \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink; \
	int promiseJobs; \
	int abortStatus;

#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultBuildKeys 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1

#define c_printf(...) fprintf(stderr, __VA_ARGS__)
#define c_vprintf(f, a) vfprintf(stderr, f, a)

#endif
