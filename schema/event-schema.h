/*
 * Event schema v2: the one table of swap event and field names and their
 * integer widths.  The LTTng-UST provider, the kernel's TRACE_EVENTs, the
 * LTTng kernel probe, schema/events-v2.md and the replayer's normalizer all
 * follow this table; tests check each of them against it.  The v1 shape of
 * the events v2 changed is kept too, so that v1 recordings stay readable.
 *
 * Pure C11, no GLib: the emitter links it too.
 */
#ifndef SWAPTRACE_EVENT_SCHEMA_H
#define SWAPTRACE_EVENT_SCHEMA_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_SCHEMA_VERSION 2

/*
 * The kernel's swap count saturates here (6.1 SWAP_MAP_MAX, 0x3e): past it
 * the count lives in continuation pages and the reported value means "at
 * least this many", so the replayer cross-checks counts only below it.
 */
#define SWAP_COUNT_SATURATED 0x3e

/* Names exactly as in DESIGN.md §3, kernel prefix and UST provider apart. */
#define EVENT_KERNEL_PREFIX "swap_"
#define EVENT_UST_PROVIDER "swap"

typedef enum EventKind {
	EVENT_ENTRY_ALLOC,
	EVENT_ENTRY_DUP,
	EVENT_ENTRY_PUT,
	EVENT_ENTRY_FREE,
	EVENT_CACHE_ADD,
	EVENT_CACHE_DEL,
	EVENT_FAULT,
	EVENT_DEVICE_ON,
	EVENT_DEVICE_OFF,
	EVENT_STATE,
	/* Since v2. */
	EVENT_CACHE_MOVE,
	EVENT_CACHE_SPLIT,
	EVENT_STATE_BEGIN,
	EVENT_STATE_END,
	EVENT_LAZYFREE,
	_EVENT_KIND_MAX,
	_EVENT_KIND_INVALID = -EINVAL, /* as systemd's enums */
} EventKind;

typedef enum FieldType {
	FIELD_U8,
	FIELD_S32,
	FIELD_U32,
	FIELD_U64,
	_FIELD_TYPE_MAX,
} FieldType;

/* Every field any event carries; an event uses a subset (SchemaEvent). */
typedef enum FieldId {
	FIELD_TYPE,	    /* u32: swap device index (swp_type) */
	FIELD_OFFSET,	    /* u64: first slot (swp_offset) */
	FIELD_NR,	    /* u32: number of contiguous slots */
	FIELD_PFN,	    /* u64: folio's first pfn; 0 = direct (no folio) */
	FIELD_COUNT,	    /* s32: kernel's swap count after, saturating */
	FIELD_RET,	    /* s32: 0 or -errno */
	FIELD_WRITE,	    /* u8: write fault */
	FIELD_EXCLUSIVE,    /* u8: folio mapped exclusively */
	FIELD_FREED,	    /* u8: fault freed the swap cache */
	FIELD_LRU,	    /* u8: folio was on an LRU list */
	FIELD_REFS,	    /* s32: folio reference count */
	FIELD_NR_SLOTS,	    /* u64: device size in slots */
	FIELD_CLUSTER_SIZE, /* u32: slots per swap cluster */
	FIELD_IP,	    /* u64: caller address (_RET_IP_) */
	/* Since v2. */
	FIELD_NEW_PFN,	 /* u64: the folio the cache binding passes to */
	FIELD_NEW_NR,	 /* u32: pages of each folio a split makes */
	FIELD_CACHED,	 /* u8: the mapped folio was in the swap cache */
	FIELD_TRIED,	 /* u8: should_try_to_free_swap() said try */
	FIELD_WRITEBACK, /* u8: folio under writeback */
	FIELD_KSM,	 /* u8: KSM folio */
	FIELD_MLOCKED,	 /* u8: mlocked folio or VM_LOCKED vma */
	FIELD_SWAP_FULL, /* u8: mem_cgroup_swap_full() */
	FIELD_PINNED,	 /* u8: state dump: the cache pin is held */
	FIELD_DIRTY,	 /* u8: lazyfree folio dirty */
	FIELD_MAPCOUNT,	 /* s32: folio map count */
	FIELD_VERDICT,	 /* u8: lazyfree verdict (LazyfreeVerdict) */
	_FIELD_ID_MAX,
} FieldId;

typedef struct SchemaField {
	FieldId id;
	const char *name;
	FieldType type;
	const char *unit;
	const char *meaning;
} SchemaField;

/* swap_lazyfree's verdict, as try_to_unmap_one() decided. */
typedef enum LazyfreeVerdict {
	LAZYFREE_DISCARDED,  /* clean, no extra reference: dropped */
	LAZYFREE_REDIRTIED,  /* dirty: swap-backed again, rightly */
	LAZYFREE_REFERENCED, /* clean, but an extra reference: swap-backed again */
	_LAZYFREE_VERDICT_MAX,
} LazyfreeVerdict;

typedef struct SchemaEvent {
	EventKind kind;
	const char *name;    /* "entry_alloc": UST "swap:entry_alloc", kernel "swap_entry_alloc" */
	const char *emitter; /* kernel function that emits it (6.1 patch) */
	const char *meaning;
	const FieldId *fields; /* in emission order */
	size_t n_fields;
	int since; /* the schema version that introduced the event */
	/*
	 * The event's fields in schema v1, when v2 changed them (fault,
	 * state); NULL when they are the same or the event is new in v2.
	 */
	const FieldId *v1_fields;
	size_t n_v1_fields;
} SchemaEvent;

/*
 * The yes/no fields that become Event.flags bits (EVENT_F_*, event.h), in
 * the schema versions from `version` on: one table for both decoders.
 */
typedef struct SchemaFlagField {
	FieldId field;
	uint32_t flag;
	int version;
} SchemaFlagField;

extern const SchemaField schema_fields[_FIELD_ID_MAX];
extern const SchemaFlagField schema_flag_fields[];
extern const size_t schema_n_flag_fields;
extern const SchemaEvent schema_events[_EVENT_KIND_MAX];

const char *field_type_name(FieldType t);
/* Bits of a field type, and whether it is signed. */
unsigned field_type_bits(FieldType t);
int field_type_signed(FieldType t);

/* "entry_alloc" -> EVENT_ENTRY_ALLOC; _EVENT_KIND_INVALID when unknown. */
EventKind event_kind_from_name(const char *name);
/*
 * Either producer's full event name ("swap:entry_alloc" or
 * "swap_entry_alloc") -> kind; _EVENT_KIND_INVALID when not a swap event.
 */
EventKind event_kind_from_trace_name(const char *name);
const char *event_kind_name(EventKind k);
/* Does event kind k carry field f (in schema v2)? */
int schema_event_has_field(EventKind k, FieldId f);
/* The fields of kind k in schema `version` (1 or 2), and their number. */
const FieldId *schema_event_fields(EventKind k, int version, size_t *ret_n);
const char *lazyfree_verdict_name(LazyfreeVerdict v);

#endif
