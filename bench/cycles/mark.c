/* The cycles bench's mark: a BKPT the emulator stops at, with the mark's value in R0 (tools/rp2040/emulator.ts reads
 * it as breakValue). Only for the bench image: on a board without a debugger a BKPT is a HardFault. */
#include "xsmc.h"

void xs_bench_mark(xsMachine *the)
{
	register int value __asm__("r0") = xsmcToInteger(xsArg(0));
	__asm__ volatile ("bkpt #0x4d" : : "r"(value) : "memory");
}
