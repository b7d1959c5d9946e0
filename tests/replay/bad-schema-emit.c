/*
 * bad-schema-emit CASE: fires one schema-correct swap:device_on, then the
 * swap event of the test-only provider (bad-schema-tp.h) that breaks event
 * schema v1 in the way CASE names.  Recorded through a real lttng-sessiond
 * by tests/bad-input/test-schema.sh; `swaptrace replay` must refuse the
 * trace, naming it, the event and the field.
 */
#include <stdio.h>
#include <string.h>

#include "bad-schema-tp.h"

#define IP 0xffffffff81000000ull

static void usage(FILE *f)
{
	fputs("usage: bad-schema-emit dup-count-unsigned|put-type-signed|free-offset-narrow|"
	      "alloc-no-pfn\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *what = argc == 2 ? argv[1] : "";

	if (argc == 2 && strcmp(what, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(what, "dup-count-unsigned") != 0 && strcmp(what, "put-type-signed") != 0 &&
	    strcmp(what, "free-offset-narrow") != 0 && strcmp(what, "alloc-no-pfn") != 0) {
		usage(stderr);
		return 2;
	}

	lttng_ust_tracepoint(swap, device_on, 0, 1024, 512, IP);
	for (unsigned i = 0; i < 4; i++) {
		if (strcmp(what, "dup-count-unsigned") == 0)
			lttng_ust_tracepoint(swap, entry_dup, 0, 8 + i, 1, 4096 + i, 1, 0, IP);
		else if (strcmp(what, "put-type-signed") == 0)
			lttng_ust_tracepoint(swap, entry_put, 0, 8 + i, 1, 4096 + i, 0, IP);
		else if (strcmp(what, "free-offset-narrow") == 0)
			lttng_ust_tracepoint(swap, entry_free, 0, 8 + i, 1, IP);
		else
			lttng_ust_tracepoint(swap, entry_alloc, 0, 8 + i, 1, IP);
	}
	printf("bad-schema-emit: %s: 5 events\n", what);
	return 0;
}
