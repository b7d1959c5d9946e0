/*
 * Why a write swap-in fault left the folio in the swap cache (DESIGN.md
 * §4, KeepReason in schema/db-names.h), derived from the swap_fault
 * event's inputs the way 6.1's do_swap_page() decides: the write goes in
 * place only to an exclusive folio; should_try_to_free_swap() tries only
 * for a folio in the swap cache that is not KSM and whose reference count
 * is 2 (the fault's and the swap cache's) unless the swap is full or the
 * folio mlocked; folio_free_swap() refuses a folio under writeback or
 * still swapped (another page table holds the entry).  A folio that is
 * not on an LRU list with exactly one reference more is held by a per-CPU
 * LRU batch (folio_add_lru() before the batch was drained): the
 * write-fault regression of 2026 removed the drain that let the test
 * pass.
 *
 * A v1 fault carries only write, exclusive, freed, lru and refs.
 */
#include "slot-check.h"

#include "banned.h"

KeepReason keep_reason(const Event *ev, const Slot *s)
{
	uint32_t f = ev->flags;

	if (!(f & EVENT_F_V1) && !(f & EVENT_F_CACHED))
		return KEEP_NOT_CACHED;
	if (!(f & EVENT_F_EXCLUSIVE))
		return KEEP_NOT_EXCLUSIVE;
	if (f & EVENT_F_WRITEBACK)
		return KEEP_WRITEBACK;
	if (f & EVENT_F_KSM)
		return KEEP_KSM;
	/* The fault's own put came first: a count left is another sharer's. */
	if (slot_count_known(s) && s->count > 0)
		return KEEP_SWAPPED;
	if (!(f & EVENT_F_TRIED) || (f & EVENT_F_V1)) {
		if (!(f & EVENT_F_LRU) && ev->refs == 3)
			return KEEP_LRU_BATCH;
		if (ev->refs != 2)
			return KEEP_EXTRA_REFS;
	}
	return KEEP_UNKNOWN;
}

void keep_reason_count(Analyzer *a, KeepReason reason, bool in_place)
{
	g_assert((unsigned)reason < _KEEP_REASON_MAX);
	a->kept_faults[reason]++;
	if (in_place)
		a->kept_in_place[reason]++;
}
