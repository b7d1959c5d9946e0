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

#include "slot-check.h"

#include "banned.h"

void rule_alloc_misaligned(Analyzer *a, const Event *ev, const Device *d)
{
	uint64_t last = ev->offset + ev->nr - 1;
	RuleDetail detail = { .alloc = { .pfn = ev->pfn, .cluster_size = d->cluster_size } };
	uint64_t setup = SEQ_NONE;

	if (ev->nr <= 1)
		return;
	if (ev->offset % ev->nr != 0) {
		detail.alloc.why = MISALIGNED_NR;
	} else if (!d->cluster_size) {
		check_unverified(a, RULE_ALLOC_MISALIGNED);
		return;
	} else if (ev->offset / d->cluster_size != last / d->cluster_size) {
		detail.alloc.why = MISALIGNED_CLUSTER;
		setup = d->on_seq; /* the device_on that gave the cluster size */
	} else {
		return;
	}
	/*
	 * One finding for the whole range: it is the range that is wrong.  The
	 * run is opened on its first slot and widened at once, in O(1): a
	 * corrupt nr must not cost a loop over billions of slots.
	 */
	check_hit_ev(a, RULE_ALLOC_MISALIGNED, ev, ev->offset, setup, EVENT_DEVICE_ON, &detail);
	a->runs[RULE_ALLOC_MISALIGNED].nr = ev->nr;
}

bool rule_alloc_in_use(Analyzer *a, const Event *ev, const SlotRef *ref)
{
	const Slot *s = ref->s;

	if (!slot_alloc_known(s)) {
		check_unverified(a, RULE_ALLOC_IN_USE);
		return false;
	}
	if (!slot_allocated(s))
		return false;
	check_hit_ev(a, RULE_ALLOC_IN_USE, ev, ref->offset, ref->setup->alloc_seq, s->alloc_kind,
		     &(RuleDetail){ .alloc = { .pfn = ev->pfn } });
	return true;
}

void rule_alloc_format(Rule rule, const Run *r, const char *range, const char *setup, GString *out)
{
	const AllocDetail *d = &r->detail.alloc;

	if (rule == RULE_ALLOC_IN_USE) {
		g_string_append_printf(out,
				       "alloc of %s for folio pfn 0x%" PRIx64
				       " while still allocated; allocated at %s",
				       range, d->pfn, setup);
		return;
	}
	if (d->why == MISALIGNED_NR)
		g_string_append_printf(out,
				       "large-folio alloc of %s (pfn 0x%" PRIx64
				       ") is not aligned to its %u slots",
				       range, d->pfn, r->nr);
	else
		g_string_append_printf(out,
				       "large-folio alloc of %s (pfn 0x%" PRIx64
				       ") crosses a swap cluster boundary (cluster size %" PRIu32
				       " from %s)",
				       range, d->pfn, d->cluster_size, setup);
}
