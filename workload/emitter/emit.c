/*
 * The only place that fires `swap` tracepoints.  Each ev_*() also applies
 * the event to the model's slots with the literal semantics a replayer uses
 * (schema/events-v2.md, last section: alloc: allocated, count 0, bound to
 * pfn; dup/put: count +-1; free: released; cache add/del: bind/unbind;
 * move/split: rebind the slots their pfn holds), so the model's slot table
 * is by construction what the emitted event sequence reconstructs,
 * injected violations included.  Callers hold the scheduler mutex.
 */
#include "model.h"

#include <inttypes.h>
#include <stdlib.h>

#include "swap-tp.h"

static const char *const callsite_names[_IP_MAX] = {
	[IP_FOLIO_ALLOC_SWAP] = "folio_alloc_swap",
	[IP_FOLIO_DUP_SWAP] = "folio_dup_swap",
	[IP_COPY_NONPRESENT_PTE] = "copy_nonpresent_pte",
	[IP_ZAP_PTE_RANGE] = "zap_pte_range",
	[IP_FREE_SWAP_AND_CACHE] = "free_swap_and_cache",
	[IP_DO_SWAP_PAGE_PUT] = "folio_put_swap",
	[IP_SWAPCACHE_PREPARE] = "swapcache_prepare",
	[IP_REMOVE_MAPPING] = "__remove_mapping",
	[IP_FOLIO_FREE_SWAP] = "folio_free_swap",
	[IP_FREE_SWAP_CACHE] = "free_swap_cache",
	[IP_DO_WP_PAGE] = "do_wp_page",
	[IP_SWAP_ENTRY_FREE] = "swap_entry_free",
	[IP_DO_SWAP_PAGE] = "do_swap_page",
	[IP_SWAPON] = "__do_sys_swapon",
	[IP_SWAPOFF] = "__do_sys_swapoff",
	[IP_UNUSE_PTE] = "unuse_pte",
	[IP_SWAP_STATE_DUMP] = "swap_state_dump",
	[IP_MIGRATE_FOLIO] = "migrate_folio_extra",
	[IP_SPLIT_HUGE_PAGE] = "split_huge_page_to_list",
	[IP_HANDLE_PTE_FAULT] = "handle_pte_fault",
	[IP_SWAPCACHE_CLEAR] = "swapcache_clear",
	[IP_TRY_TO_UNMAP_ONE] = "try_to_unmap_one",
	[IP_MADVISE_FREE] = "madvise_free_pte_range",
};

/* Functions 4 KiB apart; the return address sits a little inside each. */
#define CALLSITE_BASE UINT64_C(0xffffffff81000000)
#define CALLSITE_STRIDE UINT64_C(0x1000)
#define CALLSITE_RET 0x5a

uint64_t callsite_ip(CallSite c)
{
	return CALLSITE_BASE + (uint64_t)c * CALLSITE_STRIDE + CALLSITE_RET;
}

int callsite_write_kallsyms(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int c = 0; c < _IP_MAX; c++)
		fprintf(f, "%016" PRIx64 " t %s\n", CALLSITE_BASE + (uint64_t)c * CALLSITE_STRIDE,
			callsite_names[c]);
	/* an end marker so the last function has a size */
	fprintf(f, "%016" PRIx64 " T _etext\n",
		CALLSITE_BASE + (uint64_t)_IP_MAX * CALLSITE_STRIDE);
	return fclose(f) == 0 ? 0 : -1;
}

int32_t count_report(int32_t count)
{
	return count > SWAP_COUNT_SATURATED ? SWAP_COUNT_SATURATED : count;
}

static Slot *range_of(Model *m, uint32_t type, uint64_t off, uint32_t nr)
{
	Device *d = model_device(m, type);

	if (!d || !d->slots || off + nr > d->nr_slots) {
		fprintf(stderr, "swaptrace-emit: internal error: range %u:%" PRIu64 "+%u\n", type,
			off, nr);
		abort();
	}
	return d->slots + off;
}

/* The slots an event changes or names: final-state.tsv lists them. */
static Slot *slots_of(Model *m, uint32_t type, uint64_t off, uint32_t nr)
{
	Slot *s = range_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++)
		s[i].touched = 1;
	return s;
}

static void unbind(Slot *s)
{
	s->bound = 0;
	s->cache_pfn = 0;
	s->cache = NULL;
}

/* Bookkeeping common to every emitted event: seq, per-kind counts, the log. */
static int begin(Model *m, EventKind k)
{
	if (!m->emitting)
		return 0;
	if (m->log)
		fprintf(m->log, "%" PRIu64 "\t%s", m->seq, event_kind_name(k));
	m->seq++;
	m->per_kind[k]++;
	return 1;
}

static void log_u(Model *m, const char *name, uint64_t v)
{
	if (m->log)
		fprintf(m->log, "\t%s=%" PRIu64, name, v);
}

static void log_s(Model *m, const char *name, int64_t v)
{
	if (m->log)
		fprintf(m->log, "\t%s=%" PRId64, name, v);
}

/* The slot range every slot event starts with, in schema field order. */
static void log_range(Model *m, uint32_t type, uint64_t off, uint32_t nr)
{
	log_u(m, "type", type);
	log_u(m, "offset", off);
	log_u(m, "nr", nr);
}

static void log_end(Model *m)
{
	if (m->log)
		fputc('\n', m->log);
}

void ev_alloc(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip)
{
	Device *d = model_device(m, type);
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++) {
		if (!s[i].allocated)
			d->used++;
		s[i].allocated = 1;
		s[i].count = 0;
		s[i].bound = 1;
		s[i].cache_pfn = pfn;
		s[i].cache = NULL;
	}
	if (!begin(m, EVENT_ENTRY_ALLOC))
		return;
	lttng_ust_tracepoint(swap, entry_alloc, type, off, nr, pfn, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_dup(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int32_t report,
	    CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++)
		s[i].count++;
	if (report < 0) {
		report = count_report(s[0].count);
	} else {
		/* the kernel's word wins: a replayer resynchronises on it */
		for (uint32_t i = 0; i < nr; i++)
			s[i].count = report;
	}
	if (!begin(m, EVENT_ENTRY_DUP))
		return;
	lttng_ust_tracepoint(swap, entry_dup, type, off, nr, pfn, report, 0, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_s(m, "count", report);
	log_s(m, "ret", 0);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_put(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);
	int32_t report;

	/* an injected underflow or put of a free slot reports 0, as the kernel would */
	for (uint32_t i = 0; i < nr; i++)
		if (s[i].count > 0)
			s[i].count--;
	report = count_report(s[0].count);
	if (!begin(m, EVENT_ENTRY_PUT))
		return;
	lttng_ust_tracepoint(swap, entry_put, type, off, nr, pfn, report, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_s(m, "count", report);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_free(Model *m, uint32_t type, uint64_t off, uint32_t nr, CallSite ip)
{
	Device *d = model_device(m, type);
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++) {
		if (s[i].allocated)
			d->used--;
		s[i].allocated = 0;
		s[i].count = 0;
		unbind(&s[i]);
	}
	if (!begin(m, EVENT_ENTRY_FREE))
		return;
	lttng_ust_tracepoint(swap, entry_free, type, off, nr, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_cache_add(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int32_t ret,
		  CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);

	if (ret == 0) {
		for (uint32_t i = 0; i < nr; i++) {
			s[i].bound = 1;
			s[i].cache_pfn = pfn;
			s[i].cache = NULL;
		}
	}
	if (!begin(m, EVENT_CACHE_ADD))
		return;
	lttng_ust_tracepoint(swap, cache_add, type, off, nr, pfn, ret, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_s(m, "ret", ret);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_cache_del(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++)
		if (s[i].bound && s[i].cache_pfn == pfn)
			unbind(&s[i]);
	if (!begin(m, EVENT_CACHE_DEL))
		return;
	lttng_ust_tracepoint(swap, cache_del, type, off, nr, pfn, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

/*
 * A rebinding binds the slots to the folio it names next, whatever held them
 * before: the kernel's word wins (cache_move_mismatch), as the replayer
 * takes it.
 */
void ev_cache_move(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn,
		   uint64_t new_pfn, CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++) {
		if (!s[i].bound || s[i].cache_pfn != pfn)
			s[i].cache = NULL;
		s[i].bound = 1;
		s[i].cache_pfn = new_pfn; /* the same model folio, if it held the slot */
	}
	if (!begin(m, EVENT_CACHE_MOVE))
		return;
	lttng_ust_tracepoint(swap, cache_move, type, off, nr, pfn, new_pfn, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "new_pfn", new_pfn);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_cache_split(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn,
		    uint32_t new_nr, CallSite ip)
{
	Slot *s = slots_of(m, type, off, nr);

	for (uint32_t i = 0; i < nr; i++) {
		s[i].bound = 1;
		s[i].cache_pfn = pfn + i - i % new_nr;
		s[i].cache = NULL; /* the pieces are not model folios */
	}
	if (!begin(m, EVENT_CACHE_SPLIT))
		return;
	lttng_ust_tracepoint(swap, cache_split, type, off, nr, pfn, new_nr, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "new_nr", new_nr);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_fault(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, const FaultInfo *fi,
	      CallSite ip)
{
	const struct swap_tp_fault tp = {
		.write = fi->write,
		.exclusive = fi->exclusive,
		.freed = fi->freed,
		.lru = fi->lru,
		.refs = fi->refs,
		.cached = fi->cached,
		.tried = fi->tried,
		.writeback = fi->writeback,
		.ksm = fi->ksm,
		.mlocked = fi->mlocked,
		.swap_full = fi->swap_full,
	};

	slots_of(m, type, off, nr);
	if (!begin(m, EVENT_FAULT))
		return;
	lttng_ust_tracepoint(swap, fault, type, off, nr, pfn, &tp, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "write", tp.write);
	log_u(m, "exclusive", tp.exclusive);
	log_u(m, "freed", tp.freed);
	log_u(m, "lru", tp.lru);
	log_s(m, "refs", tp.refs);
	log_u(m, "cached", tp.cached);
	log_u(m, "tried", tp.tried);
	log_u(m, "writeback", tp.writeback);
	log_u(m, "ksm", tp.ksm);
	log_u(m, "mlocked", tp.mlocked);
	log_u(m, "swap_full", tp.swap_full);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

static void device_geometry(Model *m, EventKind k, uint32_t type, CallSite ip)
{
	Device *d = model_device(m, type);

	if (!begin(m, k))
		return;
	if (k == EVENT_DEVICE_ON)
		lttng_ust_tracepoint(swap, device_on, type, d->nr_slots, d->cluster_size,
				     callsite_ip(ip));
	else
		lttng_ust_tracepoint(swap, state_begin, type, d->nr_slots, d->cluster_size,
				     callsite_ip(ip));
	log_u(m, "type", type);
	log_u(m, "nr_slots", d->nr_slots);
	log_u(m, "cluster_size", d->cluster_size);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_device_on(Model *m, uint32_t type, CallSite ip)
{
	device_geometry(m, EVENT_DEVICE_ON, type, ip);
}

void ev_state_begin(Model *m, uint32_t type, CallSite ip)
{
	device_geometry(m, EVENT_STATE_BEGIN, type, ip);
}

static void device_alone(Model *m, EventKind k, uint32_t type, CallSite ip)
{
	if (!begin(m, k))
		return;
	if (k == EVENT_DEVICE_OFF)
		lttng_ust_tracepoint(swap, device_off, type, callsite_ip(ip));
	else
		lttng_ust_tracepoint(swap, state_end, type, callsite_ip(ip));
	log_u(m, "type", type);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_device_off(Model *m, uint32_t type, CallSite ip)
{
	device_alone(m, EVENT_DEVICE_OFF, type, ip);
}

void ev_state_end(Model *m, uint32_t type, CallSite ip)
{
	device_alone(m, EVENT_STATE_END, type, ip);
}

/*
 * A dump line changes no slot: it reports what the model holds.  A run of
 * free slots (count 0, pfn 0, not pinned) does not make its slots
 * `touched`, so a dump of a large, mostly free device does not fill
 * final-state.tsv with slots nothing else named.
 */
void ev_state(Model *m, uint32_t type, uint64_t off, uint32_t nr, int32_t count, uint64_t pfn,
	      int pinned, CallSite ip)
{
	if (count || pfn || pinned)
		slots_of(m, type, off, nr);
	else
		range_of(m, type, off, nr);
	if (!begin(m, EVENT_STATE))
		return;
	lttng_ust_tracepoint(swap, state, type, off, nr, count, pfn, (uint8_t)pinned,
			     callsite_ip(ip));
	log_range(m, type, off, nr);
	log_s(m, "count", count);
	log_u(m, "pfn", pfn);
	log_u(m, "pinned", (uint8_t)pinned);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_lazyfree(Model *m, uint64_t pfn, uint32_t nr, int dirty, int32_t refs, int32_t mapcount,
		 LazyfreeVerdict verdict, CallSite ip)
{
	if (!begin(m, EVENT_LAZYFREE))
		return;
	lttng_ust_tracepoint(swap, lazyfree, pfn, nr, (uint8_t)dirty, refs, mapcount,
			     (uint8_t)verdict, callsite_ip(ip));
	log_u(m, "pfn", pfn);
	log_u(m, "nr", nr);
	log_u(m, "dirty", (uint8_t)dirty);
	log_s(m, "refs", refs);
	log_s(m, "mapcount", mapcount);
	log_u(m, "verdict", (uint8_t)verdict);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}
