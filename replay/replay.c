/*
 * The replay pipeline: trace reader -> analyzer -> database (or the
 * caller's ReplayOutput), then the meta rows that describe it.
 */
#include "replay.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db-writer.h"
#include "kallsyms.h"
#include "replay-config.h"
#include "replay-error.h"

#include "banned.h"

/* Redraw the progress line at most this often (µs). */
#define PROGRESS_INTERVAL_US 200000

typedef struct Run {
	const ReplayConfig *cfg;
	Analyzer *a;
	DbWriter *w;
	bool have_range;
	int64_t begin_ns, end_ns;
	int64_t start_us, last_us;
	bool drew;
} Run;

static bool on_event(void *user, const Event *ev, GError **error)
{
	Run *r = user;

	analyzer_apply(r->a, ev);
	return r->w ? db_writer_event(r->w, ev, error) : true;
}

static bool on_gap(void *user, const Gap *gap, GError **error)
{
	Run *r = user;

	analyzer_note_gap(r->a, gap);
	return r->w ? db_writer_gap(r->w, gap, error) : true;
}

/* Terminal only: g_get_monotonic_time() never reaches the output. */
static void on_progress(void *user, int64_t ts_ns, uint64_t events)
{
	Run *r = user;
	int64_t now = g_get_monotonic_time();
	double secs = (double)(now - r->start_us) / 1e6;
	double rate = secs > 0 ? (double)events / secs : 0;

	if (now - r->last_us < PROGRESS_INTERVAL_US)
		return;
	r->last_us = now;
	r->drew = true;
	if (r->have_range && r->end_ns > r->begin_ns) {
		double pct =
			100.0 * (double)(ts_ns - r->begin_ns) / (double)(r->end_ns - r->begin_ns);

		fprintf(stderr,
			"\rreplaying: %3.0f%% through the trace, %" PRIu64
			" events, %.0f events/s   ",
			CLAMP(pct, 0.0, 100.0), events, rate);
	} else {
		fprintf(stderr, "\rreplaying: %" PRIu64 " events, %.0f events/s   ", events, rate);
	}
	fflush(stderr);
}

static void noop_finding(void *user, const Finding *f)
{
	(void)user, (void)f;
}

static void noop_lifetime(void *user, const Lifetime *l)
{
	(void)user, (void)l;
}

static void noop_retention(void *user, const Retention *r)
{
	(void)user, (void)r;
}

static void noop_race(void *user, const Race *r)
{
	(void)user, (void)r;
}

static void noop_roundtrip(void *user, const RoundTrip *rt)
{
	(void)user, (void)rt;
}

/* The analyzer may call every callback: give the unused ones a no-op. */
static void fill_output(ReplayOutput *out)
{
	if (!out->finding)
		out->finding = noop_finding;
	if (!out->lifetime)
		out->lifetime = noop_lifetime;
	if (!out->retention)
		out->retention = noop_retention;
	if (!out->race)
		out->race = noop_race;
	if (!out->roundtrip)
		out->roundtrip = noop_roundtrip;
}

static void count_slot(void *user, const SlotFinal *s)
{
	(void)s;
	(*(uint64_t *)user)++;
}

static void count_device(void *user, const DeviceFinal *d)
{
	(void)d;
	(*(uint64_t *)user)++;
}

/*
 * kallsyms beside the trace: in the trace directory or any directory above
 * it up to the input the user named and that input's parent (the recording
 * scripts keep NAME/kallsyms beside NAME/trace/, and LTTng nests the CTF in
 * NAME/trace/ust/uid/0/64-bit/).  The first trace's file wins.
 */
static Kallsyms *find_kallsyms(const TraceReader *reader, GError **error)
{
	for (unsigned i = 0; i < trace_reader_n_traces(reader); i++) {
		g_autofree char *stop = g_path_get_dirname(trace_reader_trace_input(reader, i));
		g_autofree char *dir = g_strdup(trace_reader_trace_dir(reader, i));

		for (;;) {
			g_autofree char *path = g_build_filename(dir, "kallsyms", NULL);
			char *up;

			if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
				return kallsyms_load(path, error);
			if (strcmp(dir, stop) == 0 || strcmp(dir, "/") == 0)
				break;
			up = g_path_get_dirname(dir);
			g_free(dir);
			dir = up;
		}
	}
	return NULL;
}

static bool write_env(DbWriter *w, const char *prefix, const GPtrArray *env, GError **error)
{
	for (guint i = 0; i < env->len; i++) {
		const TraceEnvEntry *e = env->pdata[i];
		g_autofree char *key = g_strconcat(prefix, e->key, NULL);
		bool ok = e->is_int ? db_writer_meta_int(w, key, e->i, error)
				    : db_writer_meta_text(w, key, e->s, error);

		if (!ok)
			return false;
	}
	return true;
}

/* meta keys: documented in schema/README.md; keep both in step. */
static bool write_meta(DbWriter *w, const TraceReader *reader, const ReplayConfig *cfg,
		       const ReplaySummary *s, GError **error)
{
	const TraceReaderStats *st = &s->stats;
	unsigned n = trace_reader_n_traces(reader);

#define INT(k, v)                                                                                  \
	do {                                                                                       \
		if (!db_writer_meta_int(w, k, (int64_t)(v), error))                                \
			return false;                                                              \
	} while (0)
#define TEXT(k, v)                                                                                 \
	do {                                                                                       \
		if (!db_writer_meta_text(w, k, v, error))                                          \
			return false;                                                              \
	} while (0)
	INT("schema_version", DB_SCHEMA_VERSION);
	INT("event_schema_version", EVENT_SCHEMA_VERSION);
	TEXT("replayer", "swaptrace " SWAPTRACE_VERSION);
	INT("traces", n);
	for (unsigned i = 0; i < n; i++) {
		g_autofree char *key = g_strdup_printf("trace.%u.name", i);
		g_autofree char *prefix = g_strdup_printf("trace.%u.env.", i);

		TEXT(key, trace_reader_trace_name(reader, i));
		if (i > 0 && !write_env(w, prefix, trace_reader_trace_env(reader, i), error))
			return false;
	}
	if (n > 0 && !write_env(w, "env.", trace_reader_trace_env(reader, 0), error))
		return false;
	INT("events", st->events);
	INT("events.swap", st->swap_events);
	INT("events.other", st->other_events);
	INT("event_classes.other", st->other_classes);
	for (int k = 0; k < _EVENT_KIND_MAX; k++) {
		g_autofree char *key = g_strconcat("events.", event_kind_name((EventKind)k), NULL);

		INT(key, st->per_kind[k]);
	}
	if (st->have_ts) {
		INT("first_ts_ns", st->first_ts_ns);
		INT("last_ts_ns", st->last_ts_ns);
	} else if (!db_writer_meta_null(w, "first_ts_ns", error) ||
		   !db_writer_meta_null(w, "last_ts_ns", error)) {
		return false;
	}
	INT("gaps", st->gaps);
	INT("gaps.discarded_events", st->discarded_events);
	INT("gaps.discarded_packets", st->discarded_packets);
	INT("findings", s->by_severity[SEVERITY_ERROR] + s->by_severity[SEVERITY_WARNING] +
				s->by_severity[SEVERITY_INFO]);
	INT("findings.error", s->by_severity[SEVERITY_ERROR]);
	INT("findings.warning", s->by_severity[SEVERITY_WARNING]);
	INT("findings.info", s->by_severity[SEVERITY_INFO]);
	INT("unverified", s->unverified_total);
	INT("options.stale_threshold_ns", cfg->analyzer.stale_threshold_ns);
	INT("options.full_threshold_ns", cfg->analyzer.full_threshold_ns);
	INT("options.full_permille", cfg->analyzer.full_permille);
	INT("options.events", cfg->events);
	INT("symbolised", s->symbolised);
#undef INT
#undef TEXT
	return true;
}

bool replay_traces(char *const *inputs, size_t n_inputs, const ReplayConfig *cfg,
		   ReplaySummary *ret_summary, GError **error)
{
	/* Declared in lifetime order: w borrows ksyms, and is freed first. */
	g_autoptr(TraceReader) reader = NULL;
	g_autoptr(Kallsyms) ksyms = NULL;
	g_autoptr(DbWriter) w = NULL;
	GError *local = NULL;
	ReplayOutput out = { 0 };
	TraceReaderSink sink = { 0 };
	ReplaySummary s;
	Run run = { 0 };
	bool ok = false;

	memset(&s, 0, sizeof(s));
	reader = trace_reader_new(inputs, n_inputs, error);
	if (!reader)
		return false;
	ksyms = find_kallsyms(reader, &local);
	if (local) {
		g_propagate_error(error, local);
		return false;
	}
	if (cfg->output) {
		db_writer_install_signal_cleanup();
		w = db_writer_new(cfg->output, cfg->force, cfg->events, error);
		if (!w)
			return false;
		db_writer_set_kallsyms(w, ksyms);
		db_writer_output(w, &out);
	} else if (cfg->out) {
		out = *cfg->out;
	}

	fill_output(&out);
	run.cfg = cfg;
	run.w = w;
	run.a = analyzer_new(&cfg->analyzer, &out);
	sink.user = &run;
	sink.event = on_event;
	sink.gap = on_gap;
	if (cfg->progress) {
		sink.progress = on_progress;
		run.have_range = trace_reader_time_range(reader, &run.begin_ns, &run.end_ns);
		run.start_us = run.last_us = g_get_monotonic_time();
	}
	if (!trace_reader_run(reader, &sink, error))
		goto end;
	s.stats = *trace_reader_stats(reader);
	analyzer_finish(run.a, s.stats.have_ts ? s.stats.last_ts_ns : 0);

	s.n_traces = trace_reader_n_traces(reader);
	s.symbolised = ksyms != NULL;
	for (int r = 0; r < _RULE_MAX; r++) {
		s.findings[r] = analyzer_findings(run.a, (Rule)r);
		s.unverified[r] = analyzer_unverified(run.a, (Rule)r);
		s.by_severity[rule_table[r].severity] += s.findings[r];
		s.unverified_total += s.unverified[r];
	}
	analyzer_foreach_slot(run.a, count_slot, &s.slots);
	analyzer_foreach_device(run.a, count_device, &s.devices);

	if (w && (!write_meta(w, reader, cfg, &s, error) ||
		  !db_writer_final_state(w, run.a, error) || !db_writer_commit(w, error)))
		goto end;
	*ret_summary = s;
	ok = true;

end:
	if (run.drew)
		fprintf(stderr, "\r\033[K");
	analyzer_free(run.a);
	return ok;
}

bool parse_duration_ns(const char *text, int64_t *ret_ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 },   { "s", 1e9 },
		{ "", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	char *end;
	double v;

	if (!text || !*text)
		return false;
	v = g_ascii_strtod(text, &end);
	if (end == text || !isfinite(v) || v < 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double ns = v * units[i].ns;

			/* (double)INT64_MAX rounds up to 2^63, which llround() overflows. */
			if (ns >= (double)INT64_MAX)
				return false;
			*ret_ns = (int64_t)llround(ns);
			return true;
		}
	}
	return false;
}

void replay_summary_print(const ReplaySummary *s, char *const *inputs, size_t n_inputs, FILE *f)
{
	const TraceReaderStats *st = &s->stats;
	g_autoptr(GString) p = g_string_new(NULL);
	g_autoptr(GString) names = g_string_new(NULL);
	bool first = true;

	for (size_t i = 0; i < n_inputs; i++)
		g_string_append_printf(names, "%s'%s'", i ? ", " : "", inputs[i]);

	if (st->swap_events == 0) {
		g_string_append_printf(p,
				       "no swap events found in %s: %" PRIu64 " events of "
				       "other kinds",
				       names->str, st->other_events);
	} else {
		g_string_append_printf(p, "%" PRIu64 " swap events replayed from %s (",
				       st->swap_events, names->str);
		for (int k = 0; k < _EVENT_KIND_MAX; k++) {
			if (!st->per_kind[k])
				continue;
			g_string_append_printf(p, "%s%s %" PRIu64, first ? "" : ", ",
					       event_kind_name((EventKind)k), st->per_kind[k]);
			first = false;
		}
		g_string_append_printf(p, "), %" PRIu64 " other events skipped", st->other_events);
	}
	if (s->n_traces > 1)
		g_string_append_printf(p, ", %u traces", s->n_traces);
	/* Without swap events, slots and findings are all zero: say nothing. */
	if (st->swap_events) {
		g_string_append_printf(p, "; %" PRIu64 " slots on %" PRIu64 " device%s", s->slots,
				       s->devices, s->devices == 1 ? "" : "s");
		g_string_append_printf(p,
				       "; findings: %" PRIu64 " error%s, %" PRIu64
				       " warning%s, %" PRIu64 " info",
				       s->by_severity[SEVERITY_ERROR],
				       s->by_severity[SEVERITY_ERROR] == 1 ? "" : "s",
				       s->by_severity[SEVERITY_WARNING],
				       s->by_severity[SEVERITY_WARNING] == 1 ? "" : "s",
				       s->by_severity[SEVERITY_INFO]);
		g_string_append_printf(p, "; %" PRIu64 " check%s unverified", s->unverified_total,
				       s->unverified_total == 1 ? "" : "s");
	}
	g_string_append_printf(p, "; %" PRIu64 " gap%s", st->gaps, st->gaps == 1 ? "" : "s");
	if (st->gaps)
		g_string_append_printf(p, " (%" PRIu64 " events and %" PRIu64 " packets lost)",
				       st->discarded_events, st->discarded_packets);
	g_string_append(p, ".\n");
	fputs(p->str, f);
}
