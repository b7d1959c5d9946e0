/*
 * The swap subsystem model behind swaptrace-emit: devices with slot arrays,
 * folios, processes with anonymous mappings, and the operations that move
 * slots through the rules of DESIGN.md §1/§4.  Everything here runs under
 * the scheduler's one mutex, so the model is single-threaded by
 * construction and the trace's timestamp order is the model's causal order.
 */
#ifndef SWAP_EMIT_MODEL_H
#define SWAP_EMIT_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "event-schema.h"

#define MODEL_MAX_DEVICES 4
#define MODEL_MAPS_PER_PROC 16

/* Call sites: one fake kernel address per emitting code path (kallsyms). */
typedef enum CallSite {
	IP_FOLIO_ALLOC_SWAP,
	IP_FOLIO_DUP_SWAP,
	IP_COPY_NONPRESENT_PTE,
	IP_ZAP_PTE_RANGE,
	IP_FREE_SWAP_AND_CACHE,
	IP_DO_SWAP_PAGE_PUT,
	IP_SWAPCACHE_PREPARE,
	IP_REMOVE_MAPPING,
	IP_FOLIO_FREE_SWAP,
	IP_FREE_SWAP_CACHE,
	IP_DO_WP_PAGE,
	IP_SWAP_ENTRY_FREE,
	IP_DO_SWAP_PAGE,
	IP_SWAPON,
	IP_SWAPOFF,
	IP_UNUSE_PTE,
	IP_SWAP_STATE_DUMP,
	/* Since event schema v2; appended, so the addresses above stay. */
	IP_MIGRATE_FOLIO,    /* cache_move of migration (compaction) */
	IP_SPLIT_HUGE_PAGE,  /* cache_split */
	IP_HANDLE_PTE_FAULT, /* synchronous swap-in: cache_move 0 -> its folio */
	IP_SWAPCACHE_CLEAR,  /* synchronous swap-in: the pin dropped */
	IP_TRY_TO_UNMAP_ONE, /* lazyfree */
	IP_MADVISE_FREE,     /* MADV_FREE: swap PTEs and the swap cache it drops */
	_IP_MAX,
} CallSite;

uint64_t callsite_ip(CallSite c);
int callsite_write_kallsyms(const char *path);

typedef struct Folio Folio;

typedef struct Slot {
	uint8_t allocated;
	uint8_t poisoned; /* used by an injected pattern: the model never touches it again */
	uint8_t touched;  /* an event named it (final-state.tsv lists these) */
	uint8_t bound; /* the cache pin is held (SWAP_HAS_CACHE): by cache_pfn, 0 = no folio yet */
	int32_t count; /* true count; events report it saturated */
	uint64_t cache_pfn;
	Folio *cache; /* the model folio behind cache_pfn; NULL for injected patterns */
} Slot;

typedef struct Device {
	int on;
	int synthetic;	 /* only used by an injected pattern, never by the allocator */
	int synchronous; /* SWP_SYNCHRONOUS_IO (zram): swap-in may skip the swap cache */
	uint32_t type;
	uint64_t nr_slots;
	uint32_t cluster_size;
	uint64_t used;	 /* allocated slots */
	uint64_t cursor; /* next-fit allocation cursor */
	Slot *slots;
} Device;

typedef struct Mapper {
	int proc;
	int idx;
} Mapper;

/* Model CPUs, each with its LRU batch; a process runs on CPU proc % MODEL_CPUS. */
#define MODEL_CPUS 4
#define LRU_BATCH_SIZE 15 /* 6.1 PAGEVEC_SIZE */

struct Folio {
	uint64_t pfn;
	uint32_t nr;
	int cached;    /* holds the cache pin of [off, off + nr) of type */
	int swapcache; /* and sits in the swap cache proper (0: a synchronous swap-in's folio) */
	uint32_t type;
	uint64_t off;
	Mapper *maps; /* present PTE ranges mapping it */
	int nmaps, cap;
	int live_idx;
	int batch_cpu;	   /* the per-CPU LRU batch holding it (one reference), -1: on the LRU */
	uint8_t writeback; /* written to its slots, not finished yet */
	uint8_t lazyfree;  /* MADV_FREE: clean and not swap-backed until written */
	uint8_t dirty;	   /* written since MADV_FREE */
	uint8_t no_swap;   /* swap-backed again by a reference: never given a slot */
};

enum {
	MAP_NONE,
	MAP_PRESENT,
	MAP_SWAP
};

typedef struct Mapping {
	uint8_t state;
	uint8_t excl;	/* PageAnonExclusive / pte_swp_exclusive: not shared since fork */
	uint8_t locked; /* VM_LOCKED (mlock) */
	Folio *folio;	/* MAP_PRESENT */
	uint32_t type;	/* MAP_SWAP */
	uint64_t off;
	uint32_t nr;
} Mapping;

typedef struct Proc {
	int alive;
	Mapping map[MODEL_MAPS_PER_PROC];
} Proc;

/* swap_fault's inputs and outcome (schema v2, fault). */
typedef struct FaultInfo {
	uint8_t write, exclusive, freed, lru;
	int32_t refs;
	uint8_t cached, tried, writeback, ksm, mlocked, swap_full;
} FaultInfo;

typedef struct Rng {
	uint64_t s;
} Rng;

uint64_t rng_next(Rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(Rng *r, uint64_t n);

typedef struct Options {
	uint64_t seed;
	uint64_t ops;
	int threads;
	int batch;
	int large_folios;
	int start_mid_life;
	uint64_t warmup_ops;
	int state_dump;
	int teardown;
	int max_procs;
	uint64_t device_slots; /* of swap device 0 */
	int regression;	       /* the write fault does not drain the local LRU batch */
	const char *out_dir;
	int event_log;
} Options;

typedef struct Injection {
	int rule; /* index into inject_rule_names */
	uint64_t op;
	int done;
	uint32_t type;
	uint64_t offset;
	uint32_t nr;
	uint64_t seq_hint;
} Injection;

typedef struct Model Model;
/*
 * Runs fn on another emitter thread while the caller waits (a racing swap-in
 * from another CPU); runs it inline when there is only one thread.
 */
typedef void (*ForeignFn)(Model *m, void *arg);
typedef void (*RunOnOtherFn)(void *sched, ForeignFn fn, Model *m, void *arg);

struct Model {
	Options opt;
	Rng rng;
	Device dev[MODEL_MAX_DEVICES];
	int ndev;
	Proc *procs;
	Folio **live;
	int nlive, live_cap;
	uint64_t next_pfn;
	uint64_t op;	       /* operation index in the emitted phase */
	uint64_t ops_done[16]; /* per kind of model_op_names */
	uint32_t rr;	       /* devices 0 and 1 share a priority: the one whose turn it is */
	Folio *batch[MODEL_CPUS][LRU_BATCH_SIZE];
	int nbatch[MODEL_CPUS];
	/* swap-ins between their pin and their fault when tracing starts (--start-mid-life) */
	struct {
		int proc, idx;
		Folio *folio;
	} inflight[2];
	int ninflight;

	/* emission */
	int emitting; /* 0 while building mid-life state silently */
	uint64_t seq; /* events emitted so far = seq of the next one */
	uint64_t per_kind[_EVENT_KIND_MAX];
	FILE *log;

	Injection *inj;
	int ninj;

	void *sched;
	RunOnOtherFn run_on_other;
};

/* emit.c: every event goes through these; they also apply the event to the slots. */
void ev_alloc(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip);
/* report < 0: the true count after, saturated; else report that count (count_mismatch) */
void ev_dup(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int32_t report,
	    CallSite ip);
void ev_put(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip);
void ev_free(Model *m, uint32_t type, uint64_t off, uint32_t nr, CallSite ip);
void ev_cache_add(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int32_t ret,
		  CallSite ip);
void ev_cache_del(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip);
void ev_cache_move(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn,
		   uint64_t new_pfn, CallSite ip);
void ev_cache_split(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn,
		    uint32_t new_nr, CallSite ip);
void ev_fault(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, const FaultInfo *fi,
	      CallSite ip);
void ev_device_on(Model *m, uint32_t type, CallSite ip);
void ev_device_off(Model *m, uint32_t type, CallSite ip);
void ev_state_begin(Model *m, uint32_t type, CallSite ip);
void ev_state_end(Model *m, uint32_t type, CallSite ip);
void ev_state(Model *m, uint32_t type, uint64_t off, uint32_t nr, int32_t count, uint64_t pfn,
	      int pinned, CallSite ip);
void ev_lazyfree(Model *m, uint64_t pfn, uint32_t nr, int dirty, int32_t refs, int32_t mapcount,
		 LazyfreeVerdict verdict, CallSite ip);
int32_t count_report(int32_t count);

/* model.c */
/* Kinds of operation, counted in Model.ops_done; NULL-terminated. */
extern const char *const model_op_names[];
int model_init(Model *m, const Options *opt);
void model_release(Model *m);
Device *model_device(Model *m, uint32_t type);
Slot *model_slot(Model *m, uint32_t type, uint64_t off);
uint64_t model_new_pfn(Model *m, uint32_t nr);
/* vm_swap_full(): more than half of all swap in use. */
int model_swap_full(Model *m);
/* Brings a device online (silently when not emitting). */
void model_device_on(Model *m, uint32_t type, uint64_t nr_slots, uint32_t cluster_size,
		     int synthetic, int synchronous);
/* One operation of the workload: op index m->op; may run an injection. */
void model_step(Model *m);
/* End of a silent warm-up: a few synchronous swap-ins stop between pin and fault. */
void model_start_inflight(Model *m);
/* Tracing has started: they complete. */
void model_finish_inflight(Model *m);
void model_state_dump(Model *m);
void model_teardown(Model *m);
int model_write_final_state(Model *m, const char *path);
/* Free range of nr slots on device type, aligned to align, offset%align == phase. */
int model_find_free(Model *m, uint32_t type, uint32_t nr, uint32_t align, uint32_t phase,
		    uint64_t *ret_off);

/*
 * model.c: folio and LRU batch bookkeeping that fault.c shares.  A process
 * runs on model CPU proc_cpu(p); lru_add() puts a folio in that CPU's LRU
 * batch, lru_drain() empties it onto the LRU.
 */
int proc_cpu(int p);
void lru_drain(Model *m, int cpu);
void lru_add(Model *m, Folio *f, int cpu);
Folio *folio_new(Model *m, uint32_t nr);
/* The folio holds the slots' cache pin; swapcache: it is in the swap cache proper. */
void folio_bind(Model *m, Folio *f, uint32_t type, uint64_t off, int swapcache);
void folio_unbind(Folio *f);
/* The swap count of the folio's slots. */
int32_t folio_count(Model *m, Folio *f);
void folio_unmap(Folio *f, int proc, int idx);
/* A folio lost a mapping: forgotten once unmapped and out of the swap cache. */
void folio_unmapped(Model *m, Folio *f);
void map_present(Model *m, int p, int idx, Folio *f, int excl);

/* fault.c */
/* How do_swap_page() is entered. */
enum {
	SWAPIN_FAULT, /* a page fault */
	SWAPIN_MLOCK, /* mlock()'s population of a (read-only) mapping: a read fault, VM_LOCKED */
	SWAPIN_UNUSE, /* swapoff's unuse_pte(): no fault event */
};
/* Swap-in of swap mapping idx of process p (do_swap_page(), or unuse_pte()). */
void swap_in(Model *m, int p, int idx, int want_write, int how);
/* A write to present mapping idx of process p (in place, or do_wp_page()). */
void do_wp(Model *m, int p, int idx);

/* inject.c */
extern const char *const inject_rule_names[];
int inject_rule_from_name(const char *name);
int inject_rule_count(void);
/* Runs injection i now; returns 0 when done. */
int inject_run(Model *m, Injection *inj);

#endif
