/* XSPLATFORM header of the stillheap XS host for Linux (and macOS): included by every XS source file through
 * -DINCLUDE_XSPLATFORM -DXSPLATFORM="platform.h". Written for this host; glib-free, unlike XS's lin_xs.h. */
#ifndef STILLHEAP_XS_PLATFORM_H
#define STILLHEAP_XS_PLATFORM_H

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
	#error "the stillheap XS host builds for 64-bit Linux or macOS with gcc or clang"
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
#include <arpa/inet.h>

#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

/* Host fields of each machine (the machine is calloc'ed, so they start at 0). */
#define mxMachinePlatform \
	int abortStatus; \
	int promiseJobs; \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink;

/* xsPlatforms.c supplies these; chunk and slot allocation are ours (budget.c), to enforce a board's budget. */
#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultBuildKeys 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug 1

/* XS's own console output goes to stderr, keeping stdout for the program's print(). */
#define c_printf(...) fprintf(stderr, __VA_ARGS__)
#define c_vprintf(f, a) vfprintf(stderr, f, a)

#if INTPTR_MAX == INT64_MAX
	#define mx32bitID 1
#endif

#endif
