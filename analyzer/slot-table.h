/*
 * Per-slot state storage.  Per device, slots are kept in pages of
 * SLOT_PAGE_SLOTS consecutive slots, a page being created the first time
 * one of its slots is touched, so memory follows the swap clusters a trace
 * touches, not the device size; a lookup is one hash probe (or none when
 * the event hits the page of the previous event).
 *
 * A slot's state is split by how often it is needed.  Slot, 32 bytes, is
 * what every event reads and writes.  SlotSetup (the events that set up
 * each fact) and SlotLife (the open lifetime) are per-page arrays beside
 * it, the first given back at swapoff, the second whenever a page has no
 * lifetime open.  SlotRare (retention interval, pending leak, pending
 * write-protect round trip, written mark) is open for few slots at once and
 * lives in a per-device pool, indexed from Slot.
 *
 * A page whose slots are all settled (slot_settled(): free, uncached and
 * nothing open, every fact set up by one event) is cold: its arrays are
 * given back and a SlotCold of 11 bytes a slot keeps what they would say,
 * so that a device whose allocator walks every slot in turn costs its live
 * slots plus 11 bytes a touched slot, not 64.  A page stays a page for good
 * (whether a slot has storage is visible: a free run of a state dump
 * touches exactly those), only its arrays come and go.  A page that
 * settles waits in a short queue before it is collapsed, so the page the
 * allocator is filling does not flip between the two forms; an event on a
 * cold page inflates it again, exactly as it was.
 *
 * Nothing is allocated per event in the steady state: arrays come from
 * small per-device spare lists and go back to them, pool records only when
 * more are open at once than ever before.
 *
 * Private to analyzer/: the state machine (analyzer.c) and the rules
 * (rule-*.c, retention.c, lifetime.c) read and write it directly.
 */
#ifndef SWAPTRACE_SLOT_TABLE_H
#define SWAPTRACE_SLOT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "records.h"

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
	SLOT_SETTLED = 1u << 12,     /* counted settled in its page (slot_settled()) */
};

#define SLOT_KNOWN_MASK (SLOT_ALLOC_KNOWN | SLOT_COUNT_KNOWN | SLOT_CACHE_KNOWN)
/* The flags whose state lives in a SlotRare. */
#define SLOT_RARE_MASK                                                                             \
	(SLOT_WRITTEN | SLOT_RET_OPEN | SLOT_RET_WRITTEN | SLOT_LEAK_PENDING | SLOT_WP_PENDING)

/*
 * One swap slot, as every event of it reads and writes it: the facts
 * (flags, count, caching folio), the kinds of the events that set them up
 * and the index of its rarely-open state.  A zeroed Slot is "never seen":
 * nothing known.  Kept to 32 bytes: a page of them is the per-event working
 * set, and every slot of a page holding anything but free slots has one.
 */
typedef struct Slot {
	uint64_t cache_pfn; /* caching folio, 0: none */
	uint64_t last_seq;  /* last event that covered it */
	int32_t count;	    /* reconstructed swap count */
	uint32_t rare;	    /* index of its SlotRare in Device.rare, 0: none */
	uint16_t flags;	    /* SLOT_* */
	/* EventKind of the events of SlotSetup, here where the padding was. */
	uint8_t alloc_kind;
	uint8_t count_kind;
	uint8_t cache_kind;
} Slot;

_Static_assert(sizeof(Slot) <= 32, "the hot per-slot state must stay within 32 bytes");

/*
 * The events that set up a slot's facts, which the findings contradicting
 * them name (setup_seq).  Written with the facts, read only when a rule
 * fires: a page's array beside its Slots, not in them.  Meaningful only
 * while the fact it belongs to is known.
 */
typedef struct SlotSetup {
	uint64_t alloc_seq;  /* set SLOT_ALLOCATED (alloc, free, state, device_on) */
	uint64_t count_seq;  /* set count */
	uint64_t cache_seq;  /* set cache_pfn */
	int64_t cache_ts_ns; /* when: the wait of a swapin_race that lost to it */
} SlotSetup;

/*
 * An open lifetime (SLOT_LIFE_OPEN), alloc -> free: one per allocated slot,
 * in a per-page array allocated when the page's first lifetime opens and
 * given back when its last one closes (lifetime.c).
 */
typedef struct SlotLife {
	uint64_t alloc_seq; /* SEQ_NONE: already allocated when first seen */
	int64_t alloc_ts_ns;
	int64_t cached_zero_ns; /* time cached with count 0 so far */
	int32_t max_count;
	uint32_t swapins; /* successful cache adds */
} SlotLife;

/*
 * What few slots have open at once, kept out of Slot (whose flags say
 * which part is meaningful) in a pool per device that is given back as
 * soon as nothing is open (slot_rare_release_idle()).
 */
typedef struct SlotRare {
	/* SLOT_WRITTEN: the write fault after which the cached copy is newer than the device's. */
	uint64_t written_seq;
	int64_t written_ts_ns;
	Who written_who;
	uint8_t written_reason; /* KeepReason of that fault */
	uint8_t ret_reason;	/* KeepReason of the interval, _KEEP_REASON_MAX: none yet */
	/* SLOT_RET_OPEN: the open retention interval (retention.c). */
	uint64_t ret_seq;
	int64_t ret_ts_ns;
	uint64_t ret_pfn;
	uint64_t ret_written_seq; /* the write fault that made it stale (SLOT_RET_WRITTEN) */
	int64_t ret_written_ts_ns;
	Who ret_written_who;
	uint64_t ret_keep_seq; /* first fault that kept the cache during it, or SEQ_NONE */
	int64_t ret_keep_ts_ns;
	Who ret_keep_who;
	uint64_t ret_ip;
	const char *ret_procname;
	int32_t ret_tid;
	uint32_t ret_fill_start;
	uint8_t ret_kind;
	/* SLOT_LEAK_PENDING: the event that left it count 0 and uncached (rule-leak.c). */
	uint8_t leak_kind;
	uint64_t leak_seq;
	int64_t leak_ts_ns;
	/* SLOT_WP_PENDING: the write fault that kept the cache (rule-roundtrip.c). */
	uint64_t wp_seq;
	int64_t wp_ts_ns;
	uint64_t wp_ip;
	uint64_t wp_pfn;
	uint32_t next_free; /* in Device.rare's free list */
} SlotRare;

/* SlotCold.meta: the EventKind of the slot's setting-up event, and these. */
enum {
	COLD_KIND_MASK = 0x3f,
	COLD_TOUCHED = 1u << 6, /* SLOT_TOUCHED */
	COLD_KNOWN = 1u << 7,	/* SLOT_KNOWN_MASK, all three set up by one event */
};

/*
 * What the arrays of a cold page would say: every slot is free, uncached
 * and has nothing open, so its Slot and SlotSetup come down to whether it
 * was touched, its last event, whether it is known and, when known, the
 * one event that set up its three facts.  That event is the last one or
 * shortly before it (a swap_fault follows the free it caused), so it is
 * kept as the distance back from the last one.
 */
typedef struct SlotCold {
	uint64_t seq[SLOT_PAGE_SLOTS];	/* touched: last_seq; else: the setting-up event, or 0 */
	uint16_t back[SLOT_PAGE_SLOTS]; /* touched and known: last_seq - the setting-up event */
	uint8_t meta[SLOT_PAGE_SLOTS];	/* COLD_* | EventKind of the setting-up event */
} SlotCold;

typedef struct SlotPage {
	uint64_t index;	    /* offset >> SLOT_PAGE_SHIFT; the hash key */
	Slot *slots;	    /* SLOT_PAGE_SLOTS; NULL while cold */
	SlotSetup *setup;   /* SLOT_PAGE_SLOTS; NULL while cold, and after swapoff until touched */
	SlotLife *life;	    /* SLOT_PAGE_SLOTS; NULL while no lifetime is open */
	SlotCold *cold;	    /* non-NULL exactly while cold */
	uint32_t life_open; /* lifetimes open in the page */
	uint32_t busy;	    /* slots not settled, while hot */
	bool queued;	    /* in Device.idle */
} SlotPage;

/*
 * One slot as the state machine and the rules see it: its hot state, where
 * its colder parts live, and its name.  Valid until the next device_slot()
 * or page walk: either may collapse a settled page other than its own, and
 * nothing holds one across them.
 */
typedef struct SlotRef {
	struct Device *dev;
	SlotPage *page;
	Slot *s;	  /* &page->slots[k] */
	SlotSetup *setup; /* &page->setup[k] */
	uint32_t k;	  /* index in the page */
	uint64_t offset;
} SlotRef;

/*
 * Highest fill level is tracked exactly per permille value: fill_seen_seq[p]
 * is the last event at which the fill was p, so the peak during an interval
 * starting at seq S is the highest p with fill_seen_seq[p] >= S.
 */
#define FILL_LEVELS 1001

/* Given-back arrays of each kind kept for reuse: no allocation while pages cycle. */
#define SPARE_ARRAYS 16

/*
 * Settled pages waiting to be collapsed, oldest first: long enough that the
 * pages the allocator is working through are not collapsed between two of
 * its allocations, short enough to cost little (at most this many hot
 * pages that could be cold).  A build may set it to 1 to collapse and
 * inflate as often as possible (tests: the outputs must not change).
 */
#ifndef IDLE_PAGES
#define IDLE_PAGES 64
#endif
_Static_assert(IDLE_PAGES >= 1, "the idle ring needs a slot");

/* A stack of given-back arrays of one kind. */
typedef struct Spares {
	uint32_t n;
	void *p[SPARE_ARRAYS];
} Spares;

typedef struct Device {
	uint32_t type;
	uint32_t cluster_size; /* 0: unknown */
	uint64_t nr_slots;     /* 0: unknown */
	uint64_t on_seq;       /* SEQ_NONE if never seen */
	/*
	 * The swapon or state dump after which every slot not seen since (and
	 * below fresh_below) is known to be free, SEQ_NONE when there is none
	 * (trace started mid-life, a v1 recording, or a gap since).  See
	 * device-state.c.
	 */
	uint64_t fresh_seq;
	uint64_t fresh_below; /* UINT64_MAX, or how far a state dump has got */
	uint8_t fresh_kind;   /* EventKind of fresh_seq: device_on or state_begin */
	bool dumping;	      /* a state dump of it is in progress */
	uint64_t v1_on_seq;   /* a v1 recording's last device_on, SEQ_NONE if none since a gap */
	uint64_t v1_on_ip;
	uint64_t off_seq;
	uint64_t slots_touched;
	uint64_t in_use; /* slots known to be allocated */
	uint64_t max_in_use;
	uint32_t fill;	    /* permille of nr_slots, 0 when nr_slots unknown */
	uint32_t fill_peak; /* highest fill ever: bounds the fill_seen_seq scan */
	uint64_t fill_seen_seq[FILL_LEVELS];
	GHashTable *pages;   /* &SlotPage.index -> SlotPage */
	SlotPage *last_page; /* the previous lookup: large folios and locality */
	GArray *rare;	     /* SlotRare; index 0 unused, so that Slot.rare 0 means none */
	uint32_t rare_free;  /* first of the given-back SlotRares, 0: none */
	uint32_t rare_live;  /* SlotRares in use */
	Spares spare_lives, spare_slots, spare_setups, spare_colds;
	SlotPage *idle[IDLE_PAGES]; /* ring of settled pages to collapse */
	uint32_t idle_head, idle_len;
} Device;

/* What the storage holds now and at most, for --verbose. */
typedef struct SlotTableStats {
	uint64_t pages;
	uint64_t cold_pages;
	uint64_t setup_arrays;
	uint64_t life_arrays;
	uint64_t rare_live;
	uint64_t rare_peak; /* pool size: the most SlotRares ever in use at once */
} SlotTableStats;

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
/* Make a slot known free since `seq`, a swapon or dump of `kind` (not touched by it). */
void slot_set_fresh(Slot *s, SlotSetup *setup, uint64_t seq, uint8_t kind);
/* Slots in [lo, hi) with storage and nothing known become fresh (d->fresh_seq). */
void device_grant_fresh(Device *d, uint64_t lo, uint64_t hi);
/*
 * The slot at offset, its page allocated on first touch (fresh if the
 * device is), inflated if cold, and its SlotSetup array on first touch
 * since a swapoff.  The only allocations on the event path, once per page.
 */
SlotRef device_slot(Device *d, uint64_t offset);
/*
 * The slot at offset if its page exists (ref.s NULL otherwise), inflated if
 * cold: no page is created.
 */
SlotRef device_slot_peek(Device *d, uint64_t offset);
/* Slot k of a hot page a walk over the device has in hand (setup NULL after swapoff). */
SlotRef page_slot(Device *d, SlotPage *page, uint32_t k);
/*
 * A walk over every slot of a page: page_walk_begin() makes it hot (a cold
 * page is inflated), page_walk_end() counts its settled slots again, after
 * the walk changed them without apply_slot()'s bookkeeping, and collapses
 * it at once if all are, so that a walk over a device holds one inflated
 * page at a time.
 */
void page_walk_begin(Device *d, SlotPage *page);
void page_walk_end(Device *d, SlotPage *page);
/*
 * swapoff: every fact is forgotten and nothing is open but lifetimes, so
 * the pages give back their SlotSetup arrays (and, with no lifetime open,
 * their SlotLife arrays).  What stays tells the final state of every slot
 * the trace touched: the Slots of a page still holding something, the
 * SlotCold of one that does not.
 */
void device_release_cold(Device *d);

/*
 * Whether a slot can be kept in a SlotCold: free and uncached with its
 * three facts set up by one event (if touched, its last one or one at
 * most UINT16_MAX before it) or all unknown, nothing open and no SlotRare.  setup may be NULL (after
 * swapoff) only for a slot that knows nothing.
 */
static inline bool slot_settled(const Slot *s, const SlotSetup *setup)
{
	unsigned f = s->flags & ~(unsigned)(SLOT_TOUCHED | SLOT_SETTLED);
	uint64_t seq;

	if (s->count || s->cache_pfn || s->rare)
		return false;
	if (f == 0)
		return true;
	if (f != SLOT_KNOWN_MASK || !setup)
		return false;
	seq = setup->alloc_seq;
	if ((s->flags & SLOT_TOUCHED) && (s->last_seq < seq || s->last_seq - seq > UINT16_MAX))
		return false;
	return setup->count_seq == seq && setup->cache_seq == seq &&
	       s->count_kind == s->alloc_kind && s->cache_kind == s->alloc_kind;
}

/*
 * An event changed the slot: keep its SLOT_SETTLED and its page's count of
 * unsettled slots right, and queue the page for collapse once none is
 * left.
 */
void page_sync_settled(const SlotRef *ref);

/*
 * The same, skipped in one test for most events: a slot allocated that was
 * not settled is still not (slot_settled() wants it free).
 */
static inline void slot_sync_settled(const SlotRef *ref)
{
	if ((ref->s->flags & (SLOT_SETTLED | SLOT_ALLOCATED)) != SLOT_ALLOCATED)
		page_sync_settled(ref);
}

/* The slot's SlotRare, created on first use: set its SLOT_RARE_MASK flag after. */
SlotRare *slot_rare(const SlotRef *ref);
/* Gives the SlotRare back once none of the slot's SLOT_RARE_MASK flags is set. */
void slot_rare_release_idle(const SlotRef *ref);
/* A lifetime opens: the slot's SlotLife, its page's array allocated with the first. */
SlotLife *slot_life_open(const SlotRef *ref);
/* The SlotLife of a slot whose lifetime is open (SLOT_LIFE_OPEN). */
SlotLife *slot_life(const SlotRef *ref);
/* The lifetime has closed: the page's array goes back with the last one. */
void slot_life_close(const SlotRef *ref);

void slot_table_stats(const SlotTable *t, SlotTableStats *ret);

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
