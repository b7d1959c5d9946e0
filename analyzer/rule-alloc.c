/*
 * alloc_in_use: an alloc names a slot that is still allocated.
 * alloc_misaligned: an nr > 1 alloc (a large folio) is not aligned to nr, or
 * its range crosses a swap cluster; the kernel allocates a large folio's
 * slots naturally aligned inside one cluster, so either means a broken
 * allocator.
 *
 * Unverifiable: alloc_in_use when the slot's allocated state is unknown
 * (never seen, or not re-synced since a gap); the cluster half of
 * alloc_misaligned when the trace has no swap_device_on for the device, so
 * the cluster size is unknown (alignment to nr needs nothing).
 */
#include <inttypes.h>
#include <stdio.h>

#include "slot-check.h"

#include "banned.h"

enum {
	MISALIGNED_NR = 1,	/* offset % nr != 0 */
	MISALIGNED_CLUSTER = 2, /* crosses a cluster */
};

void rule_alloc_misaligned(Analyzer *a, const Event *ev, const Device *d)
{
	uint64_t last = ev->offset + ev->nr - 1;
	uint64_t setup = SEQ_NONE;
	int why = 0;

	if (ev->nr <= 1)
		return;
	if (ev->offset % ev->nr != 0)
		why = MISALIGNED_NR;
	else if (!d->cluster_size)
		check_unverified(a, RULE_ALLOC_MISALIGNED);
	else if (ev->offset / d->cluster_size != last / d->cluster_size) {
		why = MISALIGNED_CLUSTER;
		setup = d->on_seq; /* the device_on that gave the cluster size */
	}
	if (!why)
		return;
	/* One finding for the whole range: it is the range that is wrong. */
	for (uint32_t i = 0; i < ev->nr; i++)
		check_hit_ev(a, RULE_ALLOC_MISALIGNED, ev, ev->offset + i, setup, EVENT_DEVICE_ON,
			     why, (int64_t)d->cluster_size, (int64_t)ev->pfn);
}

bool rule_alloc_in_use(Analyzer *a, const Event *ev, const Slot *s, uint64_t offset)
{
	if (!slot_alloc_known(s)) {
		check_unverified(a, RULE_ALLOC_IN_USE);
		return false;
	}
	if (!slot_allocated(s))
		return false;
	check_hit_ev(a, RULE_ALLOC_IN_USE, ev, offset, s->alloc_seq, s->alloc_kind,
		     (int64_t)ev->pfn, (int64_t)s->cache_pfn, slot_count_known(s) ? s->count : -1);
	return true;
}

void rule_alloc_format(Rule rule, const Run *r, const char *range, const char *setup, char *buf,
		       size_t size)
{
	if (rule == RULE_ALLOC_IN_USE) {
		snprintf(buf, size,
			 "alloc of %s for folio pfn 0x%" PRIx64
			 " while still allocated; allocated at %s",
			 range, (uint64_t)r->v[0], setup);
		return;
	}
	if (r->v[0] == MISALIGNED_NR)
		snprintf(buf, size,
			 "large-folio alloc of %s (pfn 0x%" PRIx64
			 ") is not aligned to its %u slots",
			 range, (uint64_t)r->v[2], r->nr);
	else
		snprintf(buf, size,
			 "large-folio alloc of %s (pfn 0x%" PRIx64
			 ") crosses a swap cluster boundary (cluster size %" PRId64 " from %s)",
			 range, (uint64_t)r->v[2], r->v[1], setup);
}
