/*
 * Event schema v1 table.  Changing a name or width here is a schema change:
 * bump EVENT_SCHEMA_VERSION and update schema/events-v1.md, the UST
 * provider, the kernel patch and the LTTng probe together (tests fail until
 * all agree).
 */
#include "event-schema.h"

#include <string.h>

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
};

#define FIELDS(...)                                                                                \
	((const FieldId[]){ __VA_ARGS__ }),                                                        \
		(sizeof((const FieldId[]){ __VA_ARGS__ }) / sizeof(FieldId))

const SchemaEvent schema_events[_EVENT_KIND_MAX] = {
	[EVENT_ENTRY_ALLOC] = { EVENT_ENTRY_ALLOC, "entry_alloc", "folio_alloc_swap",
				"slots allocated and bound to folio pfn in the swap cache; count 0",
				FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_IP) },
	[EVENT_ENTRY_DUP] = { EVENT_ENTRY_DUP, "entry_dup", "__swap_duplicate",
			      "swap count +1; pfn 0 for a direct (fork) dup",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_COUNT,
				     FIELD_RET, FIELD_IP) },
	[EVENT_ENTRY_PUT] = { EVENT_ENTRY_PUT, "entry_put", "__swap_entry_free_locked",
			      "swap count -1; pfn 0 for a direct (zap) put",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_COUNT,
				     FIELD_IP) },
	[EVENT_ENTRY_FREE] = { EVENT_ENTRY_FREE, "entry_free", "free_swap_slot",
			       "slots returned to the allocator",
			       FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_IP) },
	[EVENT_CACHE_ADD] = { EVENT_CACHE_ADD, "cache_add", "swapcache_prepare",
			      "swap-in binds folio pfn to the slots; ret 0, -EEXIST (raced), "
			      "-ENOENT (count 0), -ENOMEM",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_RET,
				     FIELD_IP) },
	[EVENT_CACHE_DEL] = { EVENT_CACHE_DEL, "cache_del", "put_swap_folio",
			      "folio pfn no longer caches the slots",
			      FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_IP) },
	[EVENT_FAULT] = { EVENT_FAULT, "fault", "do_swap_page",
			  "end of a swap-in fault: write, exclusive, freed, and the inputs of that "
			  "decision",
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_PFN, FIELD_WRITE,
				 FIELD_EXCLUSIVE, FIELD_FREED, FIELD_LRU, FIELD_REFS, FIELD_IP) },
	[EVENT_DEVICE_ON] = { EVENT_DEVICE_ON, "device_on", "swapon",
			      "swap device enabled (also replayed by the state dump)",
			      FIELDS(FIELD_TYPE, FIELD_NR_SLOTS, FIELD_CLUSTER_SIZE, FIELD_IP) },
	[EVENT_DEVICE_OFF] = { EVENT_DEVICE_OFF, "device_off", "swapoff", "swap device disabled",
			       FIELDS(FIELD_TYPE, FIELD_IP) },
	[EVENT_STATE] = { EVENT_STATE, "state", "swap state dump (debugfs write)",
			  "current state of a run of in-use slots: count and caching folio (pfn 0: "
			  "none); nr 0 at offset nr_slots (count 0, pfn 0) ends the dump of the "
			  "device: every slot it did not name since its device_on is free",
			  FIELDS(FIELD_TYPE, FIELD_OFFSET, FIELD_NR, FIELD_COUNT, FIELD_PFN,
				 FIELD_IP) },
};

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

int schema_event_has_field(EventKind k, FieldId f)
{
	if ((unsigned)k >= _EVENT_KIND_MAX)
		return 0;
	for (size_t i = 0; i < schema_events[k].n_fields; i++)
		if (schema_events[k].fields[i] == f)
			return 1;
	return 0;
}
