/* Shared declarations of the stillheap XS host. */
#ifndef STILLHEAP_XS_HOST_H
#define STILLHEAP_XS_HOST_H

#include "xsAll.h"
#include "xsScript.h"
#include "xs.h"
#include "memory.h"

/* Exit statuses, also documented in `stillheap xs --help`. */
enum {
	EXIT_OK = 0,
	EXIT_UNCAUGHT = 1,      /* uncaught error, rejected entry module, unhandled rejection */
	EXIT_USAGE = 2,
	EXIT_LOAD = 3,          /* syntax error, module not found, unreadable file */
	EXIT_OUT_OF_MEMORY = 4,
	EXIT_STACK_OVERFLOW = 5,
	EXIT_ABORT = 6          /* any other engine abort */
};

/* XS 14 split the stack-overflow abort into JavaScript and native stacks: one name for this host. */
#if XS_MAJOR_VERSION >= 14
	#define HOST_STACK_OVERFLOW_EXIT XS_JAVASCRIPT_STACK_OVERFLOW_EXIT
#else
	#define HOST_STACK_OVERFLOW_EXIT XS_STACK_OVERFLOW_EXIT
#endif

/* Bytes one slot costs against the budget: the 32-bit device's slot size, not this host's. */
#define DEVICE_SLOT_BYTES 16

/* budget.c: chunk and slot allocation against a byte budget (0 = unlimited). */
void budgetConfigure(size_t budgetBytes, size_t initialChargeBytes);
/* Call once the machine exists: what creation reserved beyond the initial charge (the built-ins) goes uncharged. */
void budgetMachineCreated(void);
void budgetDeferUntilPreloaded(void);
int budgetPreloaded(void);
/* Around parsing a module: what it reserves is the module's code, which a device keeps in flash. */
void budgetBeginLoading(void);
void budgetEndLoading(void);
size_t budgetLimit(void);
size_t budgetUncharged(void);
size_t budgetReserved(void);
size_t budgetPeak(void);
/* What the last refused allocation asked for: "chunks" or "slots" (NULL if none), and its budget bytes. */
const char* budgetRefusedKind(void);
size_t budgetRefusedBytes(void);

/* loader.c: ES modules from disk and a specifier map. */
int loaderReadMap(const char* file);
int loaderParseFailed(void);
int loaderResolveFailed(void);

/* functions.c: the `xshost` global. */
void hostDefineGlobals(txMachine* the, const char* board);

/* main.c */
const char* hostEntryPath(void);

#endif
