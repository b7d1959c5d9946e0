/*
 * Event schema v2 table.  Changing a name or width here is a schema change:
 * bump EVENT_SCHEMA_VERSION and update schema/events-v2.md, the UST
 * provider, the kernel patches and the LTTng probe together (tests fail
 * until all agree).  What v2 changed of v1 is kept (since, v1_fields), so
 * that the replayer reads recordings of both.
 */
#include "event-schema.h"

#include <string.h>

#include "event.h"

const SchemaFlagField schema_flag_fields[] = {
	{ FIELD_WRITE, EVENT_F_WRITE, 1 },	   { FIELD_EXCLUSIVE, EVENT_F_EXCLUSIVE, 1 },
	{ FIELD_FREED, EVENT_F_FREED, 1 },	   { FIELD_LRU, EVENT_F_LRU, 1 },
	{ FIELD_CACHED, EVENT_F_CACHED, 2 },	   { FIELD_TRIED, EVENT_F_TRIED, 2 },
	{ FIELD_WRITEBACK, EVENT_F_WRITEBACK, 2 }, { FIELD_KSM, EVENT_F_KSM, 2 },
	{ FIELD_MLOCKED, EVENT_F_MLOCKED, 2 },	   { FIELD_SWAP_FULL, EVENT_F_SWAP_FULL, 2 },
	{ FIELD_PINNED, EVENT_F_PINNED, 2 },	   { FIELD_DIRTY, EVENT_F_DIRTY, 2 },
};
const size_t schema_n_flag_fields = sizeof(schema_flag_fields) / sizeof(schema_flag_fields[0]);

const SchemaField schema_fields[_FIELD_ID_MAX] = {
	[FIELD_TYPE] = { FIELD_TYPE, "type", FIELD_U32, "index",
			 "swap device (swp_type of the entry)" },
	[FIELD_OFFSET] = { FIELD_OFFSET, "offset", FIELD_U64, "slot",
			   "first slot of the range (swp_offset)" },
	[FIELD_NR] = { FIELD_NR, "nr", FIELD_U32, "slots",
		       "number of contiguous slots, 1 or the folio's pages" },
	[FIELD_PFN] = { FIELD_PFN, "pfn", FIELD_U64, "pfn",
			"first page frame of the folio; 0 for a direct (folio-less) operation" },
	[FIELD_COUNT] = { FIELD_COUNT, "count", FIELD_S32, "references",
			  "kernel's swap count after the operation, saturated at "
			  "SWAP_COUNT_SATURATED (0x3e)" },
	[FIELD_RET] = { FIELD_RET, "ret", FIELD_S32, "errno",
			"0 on success, else a negative errno" },
	[FIELD_WRITE] = { FIELD_WRITE, "write", FIELD_U8, "bool", "the fault was a write fault" },
	[FIELD_EXCLUSIVE] = { FIELD_EXCLUSIVE, "exclusive", FIELD_U8, "bool",
			      "the folio was mapped exclusively (may be made writable)" },
	[FIELD_FREED] = { FIELD_FREED, "freed", FIELD_U8, "bool",
			  "the fault removed the folio from the swap cache" },
	[FIELD_LRU] = { FIELD_LRU, "lru", FIELD_U8, "bool",
			"the folio was on an LRU list when the fault decided" },
	[FIELD_REFS] = { FIELD_REFS, "refs", FIELD_S32, "references",
			 "folio reference count when the fault decided" },
	[FIELD_NR_SLOTS] = { FIELD_NR_SLOTS, "nr_slots", FIELD_U64, "slots", "device size" },
	[FIELD_CLUSTER_SIZE] = { FIELD_CLUSTER_SIZE, "cluster_size", FIELD_U32, "slots",
				 "slots per swap cluster (SWAPFILE_CLUSTER)" },
	[FIELD_IP] = { FIELD_IP, "ip", FIELD_U64, "address",
		       "caller (_RET_IP_), symbolised with the kallsyms saved beside the trace" },
	[FIELD_NEW_PFN] = { FIELD_NEW_PFN, "new_pfn", FIELD_U64, "pfn",
			    "first page frame of the folio the cache binding passes to" },
	[FIELD_NEW_NR] = { FIELD_NEW_NR, "new_nr", FIELD_U32, "pages",
			   "pages of each folio a split makes" },
	[FIELD_CACHED] = { FIELD_CACHED, "cached", FIELD_U8, "bool",
			   "the mapped folio was in the swap cache when the fault decided" },
	[FIELD_TRIED] = { FIELD_TRIED, "tried", FIELD_U8, "bool",
			  "should_try_to_free_swap() said to try freeing the swap cache" },
	[FIELD_WRITEBACK] = { FIELD_WRITEBACK, "writeback", FIELD_U8, "bool",
			      "the folio was under writeback" },
	[FIELD_KSM] = { FIELD_KSM, "ksm", FIELD_U8, "bool", "the folio was a KSM folio" },
	[FIELD_MLOCKED] = { FIELD_MLOCKED, "mlocked", FIELD_U8, "bool",
			    "the folio was mlocked or its vma VM_LOCKED" },
	[FIELD_SWAP_FULL] = { FIELD_SWAP_FULL, "swap_full", FIELD_U8, "bool",
			      "mem_cgroup_swap_full(): swap over half full" },
	[FIELD_PINNED] = { FIELD_PINNED, "pinned", FIELD_U8, "bool",
			   "state dump: the cache pin is held (pfn 0: by a folio not in the swap "
			   "cache)" },
	[FIELD_DIRTY] = { FIELD_DIRTY, "dirty", FIELD_U8, "bool",
			  "the lazyfree folio was dirty (redirtied)" },
	[FIELD_MAPCOUNT] = { FIELD_MAPCOUNT, "mapcount", FIELD_S32, "mappings",
			     "folio map count when reclaim decided" },
	[FIELD_VERDICT] = { FIELD_VERDICT, "verdict", FIELD_U8, "enum",
			    "lazyfree decision: 0 discarded, 1 redirtied, 2 referenced" },
};

#define FIELDS(...)                                                                                \
	((const FieldId[]){ __VA_ARGS__ }),                                                        \
		(sizeof((const FieldId[]){ __VA_ARGS__ }) / sizeof(FieldId))
#define SAME_IN_V1 1, NULL, 0
#define NEW_IN_V2 2, NULL, 0

const SchemaEvent schema_events[_EVENT_KIND_MAX] = {
	[EVENT_ENTRY_ALLOC] = { EVENT_ENTRY_ALLOC, "entry_alloc", "folio_alloc_swap",
				"slots allocated and bound to folio pfn in the swap cache; count 0",
				FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_IP),
				SAME_IN_V1 },
	[EVENT_ENTRY_DUP] = { EVENT_ENTRY_DUP, "entry_dup", "__swap_duplicate",
			      "swap count +1; pfn 0 for a direct (fork) dup",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_COUNT,
				     FIELD_RET, FIELD_IP),
			      SAME_IN_V1 },
	[EVENT_ENTRY_PUT] = { EVENT_ENTRY_PUT, "entry_put", "__swap_entry_free_locked",
			      "swap count -1; pfn 0 for a direct (zap) put",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_COUNT,
				     FIELD_IP),
			      SAME_IN_V1 },
	[EVENT_ENTRY_FREE] = { EVENT_ENTRY_FREE, "entry_free", "free_swap_slot",
			       "slots returned to the allocator",
			       FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_IP), SAME_IN_V1 },
	[EVENT_CACHE_ADD] = { EVENT_CACHE_ADD, "cache_add", "swapcache_prepare",
			      "swap-in binds folio pfn to the slots; ret 0, -EEXIST (raced), "
			      "-ENOENT (count 0), -ENOMEM",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_RET,
				     FIELD_IP),
			      SAME_IN_V1 },
	[EVENT_CACHE_DEL] = { EVENT_CACHE_DEL, "cache_del", "put_swap_folio",
			      "folio pfn no longer caches the slots",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_IP),
			      SAME_IN_V1 },
	[EVENT_FAULT] = { EVENT_FAULT, "fault", "do_swap_page",
			  "end of a swap-in fault: write, exclusive, freed, and the inputs of that "
			  "decision",
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_WRITE,
				 FIELD_EXCLUSIVE, FIELD_FREED, FIELD_LRU, FIELD_REFS, FIELD_CACHED,
				 FIELD_TRIED, FIELD_WRITEBACK, FIELD_KSM, FIELD_MLOCKED,
				 FIELD_SWAP_FULL, FIELD_IP),
			  1,
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_WRITE,
				 FIELD_EXCLUSIVE, FIELD_FREED, FIELD_LRU, FIELD_REFS, FIELD_IP) },
	[EVENT_DEVICE_ON] = { EVENT_DEVICE_ON, "device_on", "swapon",
			      "swap device enabled: every slot of it is free (in v1 also emitted "
			      "by the state dump)",
			      FIELDS(FIELD_TYPE, FIELD_NR_SLOTS, FIELD_CLUSTER_SIZE, FIELD_IP),
			      SAME_IN_V1 },
	[EVENT_DEVICE_OFF] = { EVENT_DEVICE_OFF, "device_off", "swapoff", "swap device disabled",
			       FIELDS(FIELD_TYPE, FIELD_IP), SAME_IN_V1 },
	[EVENT_STATE] = { EVENT_STATE, "state", "swap_state_dump_range",
			  "state dump: a run of slots in the same state; count 0, pfn 0, pinned 0 "
			  "is a run of free slots, else in use with count `count`, cached by "
			  "folio pfn (0: not cached; pinned with pfn 0: by a folio the dump "
			  "cannot see); the runs of one dump cover every slot of the device once, "
			  "in offset order",
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_COUNT, FIELD_PFN,
				 FIELD_PINNED, FIELD_IP),
			  1,
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_COUNT, FIELD_PFN,
				 FIELD_IP) },
	[EVENT_CACHE_MOVE] = { EVENT_CACHE_MOVE, "cache_move", "folio_migrate_mapping",
			       "the cache binding passes from folio pfn to folio new_pfn without "
			       "being dropped (migration, shmem folio replacement; pfn 0: a pin "
			       "taken before its folio existed)",
			       FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_NEW_PFN,
				      FIELD_IP),
			       NEW_IN_V2 },
	[EVENT_CACHE_SPLIT] = { EVENT_CACHE_SPLIT, "cache_split", "__split_huge_page",
				"the large folio pfn caching the slots was split into folios of "
				"new_nr pages: slot offset + i is now cached by the folio at "
				"pfn + i - i % new_nr",
				FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_NEW_NR,
				       FIELD_IP),
				NEW_IN_V2 },
	[EVENT_STATE_BEGIN] = { EVENT_STATE_BEGIN, "state_begin", "swap_state_dump_device",
				"a state dump of a device in use starts: its geometry; state "
				"lines for every slot follow, then state_end",
				FIELDS(FIELD_TYPE, FIELD_NR_SLOTS, FIELD_CLUSTER_SIZE, FIELD_IP),
				NEW_IN_V2 },
	[EVENT_STATE_END] = { EVENT_STATE_END, "state_end", "swap_state_dump_device",
			      "the state dump of the device is complete",
			      FIELDS(FIELD_TYPE, FIELD_IP), NEW_IN_V2 },
	[EVENT_LAZYFREE] = { EVENT_LAZYFREE, "lazyfree", "try_to_unmap_one",
			     "reclaim decided about a lazyfree (MADV_FREE) folio: discarded, or "
			     "swap-backed again because redirtied or referenced",
			     FIELDS(FIELD_PFN, FIELD_NR, FIELD_DIRTY, FIELD_REFS, FIELD_MAPCOUNT,
				    FIELD_VERDICT, FIELD_IP),
			     NEW_IN_V2 },
};

static int se_min_version(EventKind k)
{
	return schema_events[k].since;
}

const char *field_type_name(FieldType t)
{
	static const char *const names[_FIELD_TYPE_MAX] = {
		[FIELD_U8] = "u8",
		[FIELD_S32] = "s32",
		[FIELD_U32] = "u32",
		[FIELD_U64] = "u64",
	};
	return (unsigned)t < _FIELD_TYPE_MAX ? names[t] : NULL;
}

unsigned field_type_bits(FieldType t)
{
	switch (t) {
	case FIELD_U8:
		return 8;
	case FIELD_S32:
	case FIELD_U32:
		return 32;
	case FIELD_U64:
		return 64;
	default:
		return 0;
	}
}

int field_type_signed(FieldType t)
{
	return t == FIELD_S32;
}

EventKind event_kind_from_name(const char *name)
{
	for (int k = 0; k < _EVENT_KIND_MAX; k++)
		if (strcmp(schema_events[k].name, name) == 0)
			return (EventKind)k;
	return _EVENT_KIND_INVALID;
}

EventKind event_kind_from_trace_name(const char *name)
{
	static const char ust[] = EVENT_UST_PROVIDER ":";
	static const char kernel[] = EVENT_KERNEL_PREFIX;

	if (strncmp(name, ust, sizeof(ust) - 1) == 0)
		return event_kind_from_name(name + sizeof(ust) - 1);
	if (strncmp(name, kernel, sizeof(kernel) - 1) == 0)
		return event_kind_from_name(name + sizeof(kernel) - 1);
	return _EVENT_KIND_INVALID;
}

const char *event_kind_name(EventKind k)
{
	return (unsigned)k < _EVENT_KIND_MAX ? schema_events[k].name : NULL;
}

const FieldId *schema_event_fields(EventKind k, int version, size_t *ret_n)
{
	const SchemaEvent *se;

	if ((unsigned)k >= _EVENT_KIND_MAX || version < se_min_version(k))
		return NULL;
	se = &schema_events[k];
	if (version == 1 && se->v1_fields) {
		*ret_n = se->n_v1_fields;
		return se->v1_fields;
	}
	*ret_n = se->n_fields;
	return se->fields;
}

const char *lazyfree_verdict_name(LazyfreeVerdict v)
{
	static const char *const names[_LAZYFREE_VERDICT_MAX] = {
		[LAZYFREE_DISCARDED] = "discarded",
		[LAZYFREE_REDIRTIED] = "redirtied",
		[LAZYFREE_REFERENCED] = "referenced",
	};
	return (unsigned)v < _LAZYFREE_VERDICT_MAX ? names[v] : NULL;
}

int schema_event_has_field(EventKind k, FieldId f)
{
	if ((unsigned)k >= _EVENT_KIND_MAX)
		return 0;
	for (size_t i = 0; i < schema_events[k].n_fields; i++)
		if (schema_events[k].fields[i] == f)
			return 1;
	return 0;
}
