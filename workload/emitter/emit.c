/*
 * The only place that fires `swap` tracepoints.  Each ev_*() also applies
 * the event to the model's slots with the literal semantics a replayer uses
 * (alloc: allocated, count 0, cached by pfn; dup/put: count +-1; free:
 * released; cache add/del: bind/unbind), so the model's slot table is by
 * construction what the emitted event sequence reconstructs, injected
 * violations included.  Callers hold the scheduler mutex.
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

static Slot *slots_of(Model *m, uint32_t type, uint64_t off, uint32_t nr)
{
	Device *d = model_device(m, type);

	if (!d || !d->slots || off + nr > d->nr_slots) {
		fprintf(stderr, "swaptrace-emit: internal error: range %u:%" PRIu64 "+%u\n", type,
			off, nr);
		abort();
	}
	for (uint32_t i = 0; i < nr; i++)
		d->slots[off + i].touched = 1;
	return d->slots + off;
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
		s[i].cache_pfn = 0;
		s[i].cache = NULL;
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

	for (uint32_t i = 0; i < nr; i++) {
		if (s[i].cache_pfn == pfn) {
			s[i].cache_pfn = 0;
			s[i].cache = NULL;
		}
	}
	if (!begin(m, EVENT_CACHE_DEL))
		return;
	lttng_ust_tracepoint(swap, cache_del, type, off, nr, pfn, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_fault(Model *m, uint32_t type, uint64_t off, uint32_t nr, uint64_t pfn, int write,
	      int exclusive, int freed, int lru, int32_t refs, CallSite ip)
{
	slots_of(m, type, off, nr);
	if (!begin(m, EVENT_FAULT))
		return;
	lttng_ust_tracepoint(swap, fault, type, off, nr, pfn, (uint8_t)write, (uint8_t)exclusive,
			     (uint8_t)freed, (uint8_t)lru, refs, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_u(m, "pfn", pfn);
	log_u(m, "write", (uint8_t)write);
	log_u(m, "exclusive", (uint8_t)exclusive);
	log_u(m, "freed", (uint8_t)freed);
	log_u(m, "lru", (uint8_t)lru);
	log_s(m, "refs", refs);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_device_on(Model *m, uint32_t type, CallSite ip)
{
	Device *d = model_device(m, type);

	if (!begin(m, EVENT_DEVICE_ON))
		return;
	lttng_ust_tracepoint(swap, device_on, type, d->nr_slots, d->cluster_size, callsite_ip(ip));
	log_u(m, "type", type);
	log_u(m, "nr_slots", d->nr_slots);
	log_u(m, "cluster_size", d->cluster_size);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

void ev_device_off(Model *m, uint32_t type, CallSite ip)
{
	if (!begin(m, EVENT_DEVICE_OFF))
		return;
	lttng_ust_tracepoint(swap, device_off, type, callsite_ip(ip));
	log_u(m, "type", type);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}

/* nr 0 (off = nr_slots, count 0, pfn 0): the end-of-dump marker; it names no slot. */
void ev_state(Model *m, uint32_t type, uint64_t off, uint32_t nr, int32_t count, uint64_t pfn,
	      CallSite ip)
{
	slots_of(m, type, off, nr);
	if (!begin(m, EVENT_STATE))
		return;
	lttng_ust_tracepoint(swap, state, type, off, nr, count, pfn, callsite_ip(ip));
	log_range(m, type, off, nr);
	log_s(m, "count", count);
	log_u(m, "pfn", pfn);
	log_u(m, "ip", callsite_ip(ip));
	log_end(m);
}
