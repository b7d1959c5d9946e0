/*
 * Reports over a replay database (schema/001-core.sql): the facts `swaptrace
 * report` prints, `--html` draws and `swaptrace diff` compares, loaded once
 * into a Report (report-load.c, report-series.c) so the three views cannot
 * disagree.  Every derived number is read from the table or view of
 * schema/views.sql.in that defines it (stale and full slot-seconds from
 * retention_by_verdict and retention_waste, race waits from race_episodes);
 * quantiles are report_quantiles_from_sorted()'s.  Formatting code reads
 * the Report only, never the database.
 */
#ifndef SWAPTRACE_REPORT_H
#define SWAPTRACE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "db-names.h"

/* Nearest-rank quantiles of a set of durations, in ns. */
typedef struct ReportQuantiles {
	uint64_t n;
	int64_t p50;
	int64_t p99;
	int64_t max;
	double sum_ns;
} ReportQuantiles;

/* How many findings of a rule one timestamp has. */
typedef struct ReportStamp {
	int64_t ts_ns;
	int64_t n;
} ReportStamp;

typedef struct ReportRule {
	char *rule;
	char *severity; /* as stored: a severity_name(), or one this version does not know */
	int64_t findings;
	int64_t unverified;
	int64_t first_ts_ns; /* of its first finding; meaningful when findings > 0 */
	GPtrArray *examples; /* char *: the first few messages, in proving-event order */
	GArray *stamps;	     /* ReportStamp by time; with the series only, else NULL */
} ReportRule;

/* An interval on the trace clock; INT64_MIN at an end not in the trace. */
typedef struct ReportSpan {
	int64_t begin_ts_ns;
	int64_t end_ts_ns;
} ReportSpan;

/* Wasted slot-time of one call site, process or device. */
typedef struct ReportCause {
	char *name;
	int64_t stale_ns; /* slot-ns retained after a write (verdict 'stale') */
	int64_t full_ns;  /* slot-ns retained while the device was over half full */
	int64_t intervals;
} ReportCause;

/* Round trips, or races, attributed to one call site. */
typedef struct ReportSite {
	char *name;
	ReportQuantiles q;
} ReportSite;

typedef struct ReportCount {
	char *name;
	int64_t n;
} ReportCount;

/* A fact about the trace from meta, e.g. label "kernel", key "env.kernel_release". */
typedef struct ReportFact {
	const char *label; /* static */
	const char *key;   /* static */
	char *value;
} ReportFact;

typedef struct ReportDevice {
	int64_t type;
	int64_t nr_slots; /* -1: never announced */
	int64_t slots_touched;
	int64_t max_in_use;
	int64_t in_use_end; /* allocated at trace end */
} ReportDevice;

/* Write faults that kept the swap cache for one reason (write_fault_keeps). */
typedef struct ReportKeep {
	char *reason;
	char *description;
	int64_t faults;
	int64_t in_place;
	double in_place_per_mille; /* of all write faults; -1 when none were replayed */
	int64_t intervals;	   /* retention intervals those faults kept */
	int64_t slot_ns;
	int64_t stale_ns;
} ReportKeep;

typedef struct ReportGap {
	char *kind;
	char *stream;
	int64_t begin_ts_ns; /* INT64_MIN: not known */
	int64_t end_ts_ns;
	int64_t count;	   /* -1: not known */
	int64_t after_seq; /* -1: none */
} ReportGap;

/* One allocation of a slot (lifetimes): INT64_MIN / -1 at an end not in the trace. */
typedef struct ReportSlotLife {
	int64_t alloc_ts_ns, free_ts_ns;
	int64_t alloc_seq, free_seq;
	int64_t max_count;
	int64_t swapins;
} ReportSlotLife;

/* A period the slot was cached with count 0 (retention). */
typedef struct ReportSlotRetention {
	int64_t start_ts_ns, end_ts_ns; /* end: the trace's end while still open */
	int64_t start_seq, end_seq;	/* end_seq -1: still open, or cut by a gap */
	char *verdict;			/* as stored */
	int64_t pfn;
	bool written, truncated;
	char *start_site; /* "symbol+0xoff", else the address in hex, else NULL */
	char *end_site;
	char *procname; /* NULL: not recorded */
	int64_t tid;	/* -1: not recorded */
} ReportSlotRetention;

typedef struct ReportFinding {
	int64_t id;
	char *rule, *severity, *message;
	int64_t type, offset, nr;
	int64_t seq, ts_ns;
	int64_t setup_seq; /* -1: none */
	/*
	 * Who: the proving event's call site ("symbol+0xoff" or the address
	 * in hex), thread and process, from findings' own columns when the
	 * database has them, else from its events table; NULL / -1 unknown.
	 */
	char *site;
	int64_t tid;
	char *procname;
} ReportFinding;

/* One row of slot_history: an event that touched the slot. */
typedef struct ReportSlotEvent {
	int64_t seq, ts_ns;
	char *kind;
	int64_t range_offset, nr; /* the event's whole range */
	int64_t pfn;		  /* -1: the kind has none */
	int64_t count;		  /* INT64_MIN: the kind has none */
	int64_t ret;		  /* INT64_MIN: the kind has none */
	int64_t flags;		  /* -1: the kind has none; fault: 1 write, 2 exclusive, 4 freed */
	int64_t cpu, tid;	  /* -1: not recorded */
	char *procname;
	int64_t ip;	 /* 0: none */
	int64_t new_pfn; /* cache_move: the folio the binding passes to; -1: none */
	int64_t new_nr;	 /* cache_split: pages of each new folio; -1: none */
} ReportSlotEvent;

/*
 * A period the slot was bound to one folio, as its events show it: from
 * the entry_alloc, successful cache_add, cache_move, cache_split or state
 * line naming the folio to the event that ends or passes on the binding
 * (or the trace's end).  Drawn only; no verdict depends on it.
 */
typedef struct ReportBinding {
	int64_t begin_ts_ns, end_ts_ns;
	int64_t begin_seq, end_seq; /* end_seq -1: still bound at the end */
	int64_t pfn;
} ReportBinding;

/*
 * A slot worth a timeline: one with a finding or with stale or full
 * retention (report_load_with() slots).
 */
typedef struct ReportSlot {
	int64_t type, offset;
	int64_t findings;	  /* findings whose range starts here */
	int64_t wasted_ns;	  /* stale + full slot-ns (retention_waste) */
	GArray *lives;		  /* ReportSlotLife, in allocation order */
	GPtrArray *retention;	  /* ReportSlotRetention, in start order */
	GPtrArray *findings_list; /* ReportFinding, borrowed from Report.findings */
	GPtrArray *events;	  /* ReportSlotEvent in seq order; NULL without --events */
	GArray *bindings;	  /* ReportBinding; empty without --events */
} ReportSlot;

/* Per device, what the export's counter tracks sweep. */
typedef struct ReportDeviceSpans {
	int64_t type;
	GArray *in_use;	     /* ReportSpan per lifetime (INT64_MIN: trace bound) */
	GArray *cached_zero; /* ReportSpan per retention interval */
} ReportDeviceSpans;

typedef struct Report {
	char *path;

	/* The trace: span and environment. */
	int64_t begin_ts_ns;
	int64_t end_ts_ns;
	GPtrArray *env;	   /* ReportFact, in display order */
	GPtrArray *events; /* ReportCount: events per kind */
	int64_t events_total;
	/* replayed with --events: the events table and slot_history have rows */
	bool events_stored;

	GPtrArray *devices; /* ReportDevice */
	int64_t slots, slots_known, slots_allocated, slots_cached;
	int64_t lifetimes;

	GPtrArray *rules; /* ReportRule, severity then name */
	int64_t findings_by_severity[_SEVERITY_MAX];
	int64_t unverified_total;

	/* Retention by verdict: retention_by_verdict, stale and full are the waste. */
	int64_t retention_n[_RETENTION_VERDICT_MAX];
	int64_t retention_ns[_RETENTION_VERDICT_MAX]; /* slot-ns */
	ReportQuantiles retention_q[_RETENTION_VERDICT_MAX];
	GArray *retention_durations[_RETENTION_VERDICT_MAX]; /* int64_t ns, ascending */
	int64_t retention_open;				     /* intervals still open at trace end */
	int64_t retention_truncated;			     /* cut short by a gap */
	/* retention_waste by what started the interval, most wasted first */
	GPtrArray *by_site; /* ReportCause */
	GPtrArray *by_process;
	GPtrArray *by_device;

	ReportQuantiles roundtrip_q;
	GPtrArray *roundtrip_sites; /* ReportSite, most frequent first */

	/* Waits of race_episodes: one per slot and winning insert. */
	ReportQuantiles race_q;
	int64_t races;		 /* -EEXIST adds */
	int64_t races_unmatched; /* winner not in the trace */
	int64_t race_slots;	 /* distinct slots that raced */
	int64_t race_max_per_slot;

	/*
	 * Write faults (meta 'write_faults'; -1 in a database older than
	 * write_faults) and those that kept the cache, by reason, most first.
	 */
	int64_t write_faults;
	GPtrArray *keeps; /* ReportKeep */

	GPtrArray *gaps;	 /* ReportGap */
	int64_t gap_events_lost; /* known losses */

	/*
	 * The series the HTML page plots over time (report_load() with_series;
	 * NULL without): every lifetime (alloc -> free) and every retention
	 * interval per verdict; findings per time in ReportRule.stamps.
	 */
	GArray *lifetime_spans; /* ReportSpan */
	GArray *retention_spans[_RETENTION_VERDICT_MAX];

	/*
	 * Slot timelines (report_load_with() slots; NULL without): the
	 * findings in id order (as the replay reported them), of which the
	 * first findings_listed are the listing (at most max_findings of
	 * findings_total) and the rest those of a slot track beyond it; and the slots with a finding
	 * or stale or full retention, most telling first (by their worst
	 * finding's severity, their first finding, then the most wasted
	 * slot-time), at most max_slots of slot_tracks_total.
	 */
	GPtrArray *findings; /* ReportFinding, owned */
	guint findings_listed;
	int64_t findings_total;
	GPtrArray *slot_tracks; /* ReportSlot */
	int64_t slot_tracks_total;
	GHashTable *slot_by_key; /* "type:offset" -> ReportSlot, for links */
	GPtrArray *device_spans; /* ReportDeviceSpans, by type */
} Report;

typedef struct ReportLoadOptions {
	bool series;	       /* the HTML page's plots */
	bool slots;	       /* slot timelines, device spans */
	unsigned max_slots;    /* 0: every slot with a finding or waste */
	unsigned max_findings; /* 0: every finding */
} ReportLoadOptions;

/*
 * Everything a report shows of the replay database at path, read once (and
 * with_series, the series the HTML page plots).  The error message names
 * the problem, not the file (the caller quotes the path).
 */
Report *report_load(const char *path, bool with_series, GError **error);
Report *report_load_with(const char *path, const ReportLoadOptions *opts, GError **error);
/* The slot's timeline, or NULL when it was not loaded (key "type:offset"). */
const ReportSlot *report_slot(const Report *r, int64_t type, int64_t offset);
Report *report_free(Report *r); /* NULL-safe, returns NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Report, report_free)

/* The terminal report; top bounds every ranking. */
void report_format_text(const Report *r, unsigned top, GString *out);

/* Formatting shared by the text, HTML and diff views. */
void report_append_duration(GString *out, int64_t ns); /* "12.3 ms" */

/*
 * to - from and a + b, saturated at the int64 range: a trace whose clock
 * offset is absurd gives absurd times, never undefined arithmetic.
 */
static inline int64_t report_span(int64_t from, int64_t to)
{
	int64_t d;

	if (__builtin_sub_overflow(to, from, &d))
		return to > from ? INT64_MAX : INT64_MIN;
	return d;
}

static inline int64_t report_add(int64_t a, int64_t b)
{
	int64_t s;

	if (__builtin_add_overflow(a, b, &s))
		return a > 0 ? INT64_MAX : INT64_MIN;
	return s;
}
void report_append_slot_seconds(GString *out, int64_t slot_ns);
void report_quantiles_from_sorted(ReportQuantiles *q, const int64_t *v, size_t n);

#endif
