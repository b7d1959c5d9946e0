/*
 * Per-slot state storage (issue 3 item 3): per device, slots are kept in
 * pages of SLOT_PAGE_SLOTS consecutive slots, a page being allocated the
 * first time one of its slots is touched.  Memory is proportional to the
 * swap clusters the trace touches, not to the device size; a lookup is one
 * hash probe (or none when the event hits the page of the previous event),
 * and nothing is allocated per event once a page exists.
 *
 * Private to analyzer/: the state machine (analyzer.c) and the rules
 * (rule-*.c, retention.c) read and write Slot directly.
 */
#ifndef SWAPTRACE_SLOT_TABLE_H
#define SWAPTRACE_SLOT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/*
 * 256 slots: one 6.1 SWAPFILE_CLUSTER, half a swap-table cluster (512).  A
 * power of two that divides both, so a page never straddles a cluster of
 * either kernel, and the page size does not depend on a device_on the trace
 * may not have.
 */
#define SLOT_PAGE_SHIFT 8
#define SLOT_PAGE_SLOTS (1u << SLOT_PAGE_SHIFT)

/* Slot.flags */
enum {
	SLOT_TOUCHED = 1u << 0,	     /* some event covered it */
	SLOT_ALLOCATED = 1u << 1,    /* reconstructed: allocated */
	SLOT_ALLOC_KNOWN = 1u << 2,  /* SLOT_ALLOCATED is proven (DESIGN §5) */
	SLOT_COUNT_KNOWN = 1u << 3,  /* Slot.count is proven */
	SLOT_CACHE_KNOWN = 1u << 4,  /* Slot.cache_pfn is proven */
	SLOT_WRITTEN = 1u << 5,	     /* the caching folio was written since it was bound */
	SLOT_LIFE_OPEN = 1u << 6,    /* a Lifetime is open */
	SLOT_RET_OPEN = 1u << 7,     /* a Retention interval is open */
	SLOT_RET_WRITTEN = 1u << 8,  /* ... and its folio was written */
	SLOT_LEAK_PENDING = 1u << 9, /* allocated, count 0, uncached: a free must come next */
	SLOT_WP_PENDING = 1u << 10,  /* a write fault kept the cache (wp_roundtrip) */
	SLOT_IN_USE = 1u << 11,	     /* counted in Device.in_use (allocated and known) */
};

#define SLOT_KNOWN_MASK (SLOT_ALLOC_KNOWN | SLOT_COUNT_KNOWN | SLOT_CACHE_KNOWN)

/*
 * One swap slot.  A zeroed Slot is "never seen": nothing known.  A *_seq
 * field is meaningful only while the flag it belongs to is set.
 */
typedef struct Slot {
	uint64_t cache_pfn; /* caching folio, 0: none */
	uint64_t last_seq;  /* last event that covered it */
	/* The events that set up each fact, named by findings contradicting it. */
	uint64_t alloc_seq; /* set SLOT_ALLOCATED (alloc, free, state) */
	uint64_t count_seq; /* set count */
	uint64_t cache_seq; /* set cache_pfn */
	int64_t cache_ts_ns;
	uint64_t written_seq; /* the write fault behind SLOT_WRITTEN */
	int64_t written_ts_ns;
	int32_t count;	    /* reconstructed swap count */
	uint16_t flags;	    /* SLOT_* */
	uint8_t alloc_kind; /* EventKind of alloc_seq */
	uint8_t count_kind; /* ... of count_seq */
	uint8_t cache_kind; /* ... of cache_seq */
	uint8_t leak_kind;  /* ... of leak_seq */
	uint8_t ret_kind;   /* ... of ret_seq */
	/* Lifetime (SLOT_LIFE_OPEN). */
	uint64_t life_alloc_seq; /* SEQ_NONE: already allocated when first seen */
	int64_t life_alloc_ts_ns;
	int64_t life_cached_zero_ns;
	int32_t life_max_count;
	uint32_t life_swapins;
	/* Retention interval (SLOT_RET_OPEN). */
	uint64_t ret_seq;
	int64_t ret_ts_ns;
	uint64_t ret_pfn;
	uint64_t ret_written_seq; /* the write fault that made it stale (SLOT_RET_WRITTEN) */
	int64_t ret_written_ts_ns;
	uint64_t ret_keep_seq; /* first fault that kept the cache during it, or SEQ_NONE */
	int64_t ret_keep_ts_ns;
	uint64_t ret_ip;
	const char *ret_procname;
	int32_t ret_tid;
	uint32_t ret_fill_start;
	/* slot_leak (SLOT_LEAK_PENDING): the event that left it count 0 and uncached. */
	uint64_t leak_seq;
	int64_t leak_ts_ns;
	/* wp_roundtrip (SLOT_WP_PENDING): the write fault that kept the cache. */
	uint64_t wp_seq;
	int64_t wp_ts_ns;
	uint64_t wp_ip;
	uint64_t wp_pfn;
} Slot;

typedef struct SlotPage {
	uint64_t index; /* offset >> SLOT_PAGE_SHIFT; the hash key */
	Slot slots[SLOT_PAGE_SLOTS];
} SlotPage;

/*
 * Highest fill level is tracked exactly per permille value: fill_seen_seq[p]
 * is the last event at which the fill was p, so the peak during an interval
 * starting at seq S is the highest p with fill_seen_seq[p] >= S.
 */
#define FILL_LEVELS 1001

typedef struct Device {
	uint32_t type;
	uint32_t cluster_size; /* 0: unknown */
	uint64_t nr_slots;     /* 0: unknown */
	uint64_t on_seq;       /* SEQ_NONE if never seen */
	/*
	 * The swap_device_on after which every slot not seen since (and below
	 * fresh_below) is known to be free, SEQ_NONE when there is none (trace
	 * started mid-life, or a gap since).  See analyzer.c for when a
	 * device_on may say so.
	 */
	uint64_t fresh_seq;
	uint64_t fresh_below;	/* UINT64_MAX, or how far a state dump has got */
	uint64_t on_ip;		/* of the last device_on */
	uint64_t tentative_seq; /* the undecided device_on (swapon or dump?) */
	bool tentative;		/* findings on its fresh facts are held */
	bool dumping;		/* a state dump of it is in progress */
	uint64_t off_seq;
	uint64_t slots_touched;
	uint64_t in_use; /* slots known to be allocated */
	uint64_t max_in_use;
	uint32_t fill;	    /* permille of nr_slots, 0 when nr_slots unknown */
	uint32_t fill_peak; /* highest fill ever: bounds the fill_seen_seq scan */
	uint64_t fill_seen_seq[FILL_LEVELS];
	GHashTable *pages;   /* &SlotPage.index -> SlotPage */
	SlotPage *last_page; /* the previous lookup: large folios and locality */
} Device;

/* Sorted by type; lookup by a hash table, iteration in type order. */
typedef struct SlotTable {
	GHashTable *by_type; /* GUINT_TO_POINTER(type) -> Device */
	GPtrArray *devices;  /* Device, sorted by type */
	Device *last_device;
} SlotTable;

void slot_table_init(SlotTable *t);
void slot_table_release(SlotTable *t);

/* The device, created on first use. */
Device *slot_table_device(SlotTable *t, uint32_t type);
/* The device if an event has named it, else NULL. */
Device *slot_table_device_peek(SlotTable *t, uint32_t type);
/* Make a slot known free since device_on `seq` (not touched by it). */
void slot_set_fresh(Slot *s, uint64_t seq);
/* Slots in [lo, hi) with storage and nothing known become fresh (d->fresh_seq). */
void device_grant_fresh(Device *d, uint64_t lo, uint64_t hi);
/* Forget every fact that device_on `seq` set up (no longer believed). */
void device_revoke_fresh(Device *d, uint64_t seq);
/* The slot, its page allocated on first touch (fresh if the device is). */
Slot *device_slot(Device *d, uint64_t offset);
/* The slot if its page exists, else NULL. */
Slot *device_slot_peek(Device *d, uint64_t offset);

/* Pages of a device in offset order (a new array the caller frees). */
GPtrArray *device_sorted_pages(Device *d);

/*
 * After a slot's flags changed at event seq: count it in in_use iff it is
 * known to be allocated, and keep the fill and its peaks right.
 */
void device_sync_in_use(Device *d, Slot *s, uint64_t seq);
/* device_on: the size and cluster size are known from now on. */
void device_set_size(Device *d, uint64_t nr_slots, uint32_t cluster_size, uint64_t seq);
/* Highest fill since seq (inclusive of the current fill). */
uint32_t device_fill_peak_since(const Device *d, uint64_t seq);

#endif
