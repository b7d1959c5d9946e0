/*
 * The rule table (DESIGN.md §4): one row per rule with its severity, one
 * sentence for `swaptrace rules` and the README, and the fact whose absence
 * keeps it from firing (DESIGN.md §5).  The checks themselves live in
 * rule-*.c and retention.c, one rule family per file.
 */
#include "rules.h"

#include <string.h>

#include "banned.h"

/* The unknown facts several rules share (DESIGN.md §5). */
#define UNKNOWN_ALLOCATED                                                                          \
	"whether the slot was allocated: unknown for a slot not seen since the trace "             \
	"started mid-life (no swap_device_on or state dump before it), and after a gap"
#define UNKNOWN_COUNT                                                                              \
	"the slot's count: unknown before its first alloc, free, state dump or "                   \
	"unsaturated kernel count, and after a gap"
#define UNKNOWN_CACHE                                                                              \
	"the slot's cache binding: unknown for a slot not seen since a mid-life trace "            \
	"start until its alloc, free, state dump line, successful cache add/del, move or "         \
	"split (a dump line pinned with pfn 0 leaves it unknown: a swap-in in flight pins "        \
	"the slot without a swap-cache folio; so does a v1 dump line with pfn 0), and after a "    \
	"gap"

const RuleInfo rule_table[_RULE_MAX] = {
	[RULE_ALLOC_IN_USE] = {
		RULE_ALLOC_IN_USE, "alloc_in_use", SEVERITY_ERROR,
		"A slot is allocated while it is still allocated.",
		UNKNOWN_ALLOCATED,
	},
	[RULE_ALLOC_MISALIGNED] = {
		RULE_ALLOC_MISALIGNED, "alloc_misaligned", SEVERITY_ERROR,
		"A multi-slot (large folio) allocation is not aligned to its size or crosses a "
		"swap cluster.",
		"the device's cluster size, when the trace has no swap_device_on for it (the "
		"alignment to nr is always checked)",
	},
	[RULE_DUP_UNALLOCATED] = {
		RULE_DUP_UNALLOCATED, "dup_unallocated", SEVERITY_ERROR,
		"A successful dup raises the count of a free slot.",
		UNKNOWN_ALLOCATED,
	},
	[RULE_PUT_UNALLOCATED] = {
		RULE_PUT_UNALLOCATED, "put_unallocated", SEVERITY_ERROR,
		"A put lowers the count of a free slot.",
		UNKNOWN_ALLOCATED,
	},
	[RULE_PUT_UNDERFLOW] = {
		RULE_PUT_UNDERFLOW, "put_underflow", SEVERITY_ERROR,
		"A put lowers a swap count that is already 0.",
		"the slot's count: unknown before its first alloc, free, state dump or "
		"unsaturated kernel count, after a gap, and while saturated",
	},
	[RULE_DUP_UNCACHED] = {
		RULE_DUP_UNCACHED, "dup_uncached", SEVERITY_ERROR,
		"A folio-bound dup names a folio that does not cache the slot.",
		UNKNOWN_CACHE,
	},
	[RULE_PUT_UNCACHED] = {
		RULE_PUT_UNCACHED, "put_uncached", SEVERITY_ERROR,
		"A folio-bound put names a folio that does not cache the slot.",
		UNKNOWN_CACHE,
	},
	[RULE_CACHE_ADD_OCCUPIED] = {
		RULE_CACHE_ADD_OCCUPIED, "cache_add_occupied", SEVERITY_ERROR,
		"A swap-in cache add succeeds although another folio already caches the slot.",
		UNKNOWN_CACHE,
	},
	[RULE_CACHE_ADD_ZERO_COUNT] = {
		RULE_CACHE_ADD_ZERO_COUNT, "cache_add_zero_count", SEVERITY_ERROR,
		"A swap-in cache add succeeds on a slot whose count is 0 (it must fail with "
		"-ENOENT).",
		UNKNOWN_COUNT,
	},
	[RULE_CACHE_DEL_MISMATCH] = {
		RULE_CACHE_DEL_MISMATCH, "cache_del_mismatch", SEVERITY_ERROR,
		"A folio is removed from the swap cache of a slot it does not cache.",
		UNKNOWN_CACHE,
	},
	[RULE_FREE_REFERENCED] = {
		RULE_FREE_REFERENCED, "free_referenced", SEVERITY_ERROR,
		"A slot is freed while its count is above 0, so page tables still point at it "
		"(data loss).",
		UNKNOWN_COUNT,
	},
	[RULE_FREE_CACHED] = {
		RULE_FREE_CACHED, "free_cached", SEVERITY_ERROR,
		"A slot is freed while a folio still caches it.",
		UNKNOWN_CACHE,
	},
	[RULE_FREE_UNALLOCATED] = {
		RULE_FREE_UNALLOCATED, "free_unallocated", SEVERITY_ERROR,
		"A free slot is freed again (double free).",
		UNKNOWN_ALLOCATED,
	},
	[RULE_COUNT_MISMATCH] = {
		RULE_COUNT_MISMATCH, "count_mismatch", SEVERITY_ERROR,
		"The kernel's count after a dup or put differs from the reconstructed count.",
		"the reconstructed count (unknown before the first alloc, free, state dump or "
		"unsaturated kernel count, and after a gap), or a kernel count at saturation "
		"(SWAP_COUNT_SATURATED), which means only \"at least\"",
	},
	[RULE_SLOT_LEAK] = {
		RULE_SLOT_LEAK, "slot_leak", SEVERITY_ERROR,
		"A slot with count 0 and no cache is still allocated and is not freed before its "
		"next event or the end of the trace.",
		"any of allocated, count and cache binding when the count or the cache reaches "
		"none; a gap before the free; a trace ending within 1 ms (leak_end_grace_ns) of "
		"the put or del, since recording may stop before the free",
	},
	[RULE_RETENTION_STALE] = {
		RULE_RETENTION_STALE, "retention_stale", SEVERITY_WARNING,
		"A written (so stale on the device) folio stays in the swap cache of a slot with "
		"count 0 for longer than the stale threshold.",
		"the count or the cache binding, so no retention interval is opened; an interval "
		"cut by a gap is judged on its part before the gap",
	},
	[RULE_RETENTION_FULL] = {
		RULE_RETENTION_FULL, "retention_full", SEVERITY_WARNING,
		"A folio stays in the swap cache of a slot with count 0 while the device is over "
		"the full threshold (vm_swap_full()) for longer than the full threshold time.",
		"the device size (no swap_device_on): fill is then 0; only slots known to be "
		"allocated count towards the fill",
	},
	[RULE_WP_ROUNDTRIP] = {
		RULE_WP_ROUNDTRIP, "wp_roundtrip", SEVERITY_INFO,
		"A write swap-in fault keeps the folio in the swap cache, and a later fault on the "
		"same folio frees it.",
		"the cache binding at the first fault: without it the fault's folio may not be "
		"the swap-cache folio",
	},
	[RULE_SWAPIN_RACE] = {
		RULE_SWAPIN_RACE, "swapin_race", SEVERITY_INFO,
		"A swap-in cache add fails with -EEXIST because another insert holds the slot.",
		"the cache binding, for the winning insert and the wait (the race itself is "
		"always reported)",
	},
	[RULE_CACHE_MOVE_MISMATCH] = {
		RULE_CACHE_MOVE_MISMATCH, "cache_move_mismatch", SEVERITY_ERROR,
		"A cache binding is moved (migration, shmem replacement) or split from a folio "
		"that does not cache the slot.",
		UNKNOWN_CACHE,
	},
	[RULE_LAZYFREE_SWAPPED] = {
		RULE_LAZYFREE_SWAPPED, "lazyfree_swapped", SEVERITY_WARNING,
		"A clean lazyfree (MADV_FREE) folio that reclaim made swap-backed again because of "
		"an extra reference is given a swap slot: a slot and a device write for data the "
		"program had given up.",
		"the folio's identity: a pfn freed and reused in between is taken for the same "
		"folio; a lazyfree decision before the trace started or lost in a gap is not seen",
	},
};

const char *rule_name(Rule r)
{
	return (unsigned)r < _RULE_MAX ? rule_table[r].name : NULL;
}

Rule rule_from_name(const char *name)
{
	if (!name)
		return _RULE_INVALID;
	for (int r = 0; r < _RULE_MAX; r++)
		if (strcmp(rule_table[r].name, name) == 0)
			return (Rule)r;
	return _RULE_INVALID;
}
