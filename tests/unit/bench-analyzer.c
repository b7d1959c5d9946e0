/*
 * analyzer_apply throughput on a synthetic clean workload (suite 'bench',
 * not run by default): swap-out, swap-in, lazy retention, free, over 64Ki
 * slots of two devices with some large folios.  Prints events/s and peak
 * RSS; fails only if a finding appears (the workload is clean).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>

#include "analyzer.h"

static uint64_t n_findings;

static void on_finding(void *user, const Finding *f)
{
	(void)user;
	(void)f;
	n_findings++;
}

static void on_any(void *user, const void *r)
{
	(void)user;
	(void)r;
}

int main(int argc, char **argv)
{
	uint64_t target = argc > 1 ? strtoull(argv[1], NULL, 0) : 4000000;
	ReplayOutput out = {
		.finding = on_finding,
		.lifetime = (void (*)(void *, const Lifetime *))on_any,
		.retention = (void (*)(void *, const Retention *))on_any,
		.race = (void (*)(void *, const Race *))on_any,
		.roundtrip = (void (*)(void *, const RoundTrip *))on_any,
	};
	Analyzer *a = analyzer_new(NULL, &out);
	Event e = { 0 };
	uint64_t seq = 0, pfn = 0x1000, x = 1;
	int64_t t0, t1;
	struct rusage ru;

	/* Event e is reused: the analyzer copies nothing it does not own. */
	for (uint32_t type = 0; type < 2; type++) {
		e = (Event){ .kind = EVENT_DEVICE_ON,
			     .type = type,
			     .nr_slots = 1 << 20,
			     .cluster_size = 256,
			     .seq = seq++ };
		analyzer_apply(a, &e);
	}
	t0 = g_get_monotonic_time();
	while (seq < target) {
		uint32_t nr, type;
		uint64_t off;
		static const EventKind life[] = { EVENT_ENTRY_ALLOC, EVENT_ENTRY_DUP,
						  EVENT_CACHE_DEL,   EVENT_CACHE_ADD,
						  EVENT_ENTRY_PUT,   EVENT_FAULT,
						  EVENT_CACHE_DEL,   EVENT_ENTRY_FREE };

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		nr = (x >> 60) < 12 ? 1 : 1u << ((x >> 56) & 3);
		type = (x >> 40) & 1;
		off = ((x >> 8) % 32768) & ~(uint64_t)(nr - 1);
		pfn += 16;
		for (size_t k = 0; k < G_N_ELEMENTS(life); k++) {
			e = (Event){ .kind = life[k],
				     .type = type,
				     .offset = off,
				     .nr = nr,
				     .seq = seq++,
				     .ts_ns = (int64_t)seq * 100,
				     .pfn = k < 3 ? pfn : pfn + 8,
				     .count = k == 1 ? 1 : 0,
				     .tid = 1 };
			analyzer_apply(a, &e);
		}
	}
	t1 = g_get_monotonic_time();
	analyzer_finish(a, (int64_t)seq * 100);
	getrusage(RUSAGE_SELF, &ru);
	printf("%" PRIu64 " events in %.3f s: %.2f M events/s; peak RSS %ld KiB; findings %" PRIu64
	       "\n",
	       seq, (double)(t1 - t0) / 1e6, (double)seq / (double)(t1 - t0), ru.ru_maxrss,
	       n_findings);
	analyzer_free(a);
	return n_findings ? 1 : 0;
}
