/*
 * bounds-emit CASE: fires swap events through the real `swap` provider
 * (workload/emitter/swap-tp.h) whose ranges no kernel could name, as a
 * corrupt or hostile producer would.  Recorded through a real
 * lttng-sessiond by tests/bad-input/test-bounds.sh:
 *
 *   huge-nr       an alloc of 2^32 - 1 slots on a device of 2^40: refused
 *                 (more than EVENT_NR_MAX), at once
 *   bad-type      an alloc on swap device 4000000: refused (MAX_SWAPFILES)
 *   unknown-big   allocs of EVENT_NR_MAX slots on a device never announced:
 *                 replayed, each costing at most EVENT_NR_MAX slots of state
 */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "swap-tp.h"

#define IP 0xffffffff81000000ull

int main(int argc, char **argv)
{
	const char *what = argc == 2 ? argv[1] : "";

	if (strcmp(what, "huge-nr") == 0) {
		lttng_ust_tracepoint(swap, device_on, 0, UINT64_C(1) << 40, 512, IP);
		lttng_ust_tracepoint(swap, entry_alloc, 0, 0, UINT32_MAX, 4096, IP);
	} else if (strcmp(what, "bad-type") == 0) {
		lttng_ust_tracepoint(swap, entry_alloc, 4000000, 0, 1, 4096, IP);
	} else if (strcmp(what, "unknown-big") == 0) {
		for (uint64_t i = 0; i < 4; i++)
			lttng_ust_tracepoint(swap, entry_alloc, 3,
					     (UINT64_C(1) << 40) + i * EVENT_NR_MAX, EVENT_NR_MAX,
					     4096 + i, IP);
	} else {
		fputs("usage: bounds-emit huge-nr|bad-type|unknown-big\n", stderr);
		return 2;
	}
	printf("bounds-emit: %s\n", what);
	return 0;
}
