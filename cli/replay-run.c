/*
 * One replay, the pipeline of DESIGN.md §2: the trace reader (replay/)
 * feeds each normalized event and gap to the analyzer (analyzer/), whose
 * records go to the database writer (store/) or to the caller's
 * ReplayOutput; then the final state and the meta rows (replay-meta.c).
 * The only file that knows every stage.
 */
#include "replay-run.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kallsyms.h"
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

	/* check has no database: say what it does. */
	const char *what = r->cfg->output ? "replaying" : "checking";

	if (r->drew && now - r->last_us < PROGRESS_INTERVAL_US)
		return;
	r->last_us = now;
	r->drew = true;
	if (r->have_range && r->end_ns > r->begin_ns) {
		double pct =
			100.0 * (double)(ts_ns - r->begin_ns) / (double)(r->end_ns - r->begin_ns);

		fprintf(stderr,
			"\r%s: %3.0f%% through the trace, %" PRIu64 " events, %.0f events/s   ",
			what, CLAMP(pct, 0.0, 100.0), events, rate);
	} else {
		fprintf(stderr, "\r%s: %" PRIu64 " events, %.0f events/s   ", what, events, rate);
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

/*
 * Live: records go to the real output, and each finding is printed as soon
 * as the analyzer finds it.
 */
typedef struct LiveTee {
	ReplayOutput inner;
	FILE *f;
	Run *run;
} LiveTee;

static void tee_finding(void *user, const Finding *f)
{
	LiveTee *t = user;

	t->inner.finding(t->inner.user, f);
	if (t->run->drew)
		fprintf(stderr, "\r\033[K");
	replay_finding_print(f, t->f);
	fflush(t->f);
}

static void tee_lifetime(void *user, const Lifetime *l)
{
	LiveTee *t = user;

	t->inner.lifetime(t->inner.user, l);
}

static void tee_retention(void *user, const Retention *r)
{
	LiveTee *t = user;

	t->inner.retention(t->inner.user, r);
}

static void tee_race(void *user, const Race *r)
{
	LiveTee *t = user;

	t->inner.race(t->inner.user, r);
}

static void tee_roundtrip(void *user, const RoundTrip *rt)
{
	LiveTee *t = user;

	t->inner.roundtrip(t->inner.user, rt);
}

/*
 * Live: the first SIGINT or SIGTERM ends the session early (the reader
 * stops the decoder, the replay ends normally); the handler puts back what
 * was there before (output-file.c's cleanup, or the default), so a second
 * one removes the temporary database and ends the process.
 */
static const int live_signals[] = { SIGINT, SIGTERM };
static struct sigaction live_prev[G_N_ELEMENTS(live_signals)];
static bool live_armed[G_N_ELEMENTS(live_signals)];
static volatile sig_atomic_t live_stop;

static void on_live_signal(int sig)
{
	for (size_t i = 0; i < G_N_ELEMENTS(live_signals); i++)
		if (live_signals[i] == sig)
			sigaction(sig, &live_prev[i], NULL); /* async-signal-safe */
	live_stop = sig;
}

static void live_signals_arm(void)
{
	struct sigaction sa = { .sa_handler = on_live_signal };

	sigemptyset(&sa.sa_mask);
	live_stop = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(live_signals); i++) {
		/* An ignored signal (nohup) stays ignored. */
		live_armed[i] = sigaction(live_signals[i], NULL, &live_prev[i]) == 0 &&
				live_prev[i].sa_handler != SIG_IGN;
		if (live_armed[i])
			sigaction(live_signals[i], &sa, NULL);
	}
}

/* Once the session is read: from here a signal means "no output", as for a trace. */
static void live_signals_disarm(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(live_signals); i++)
		if (live_armed[i])
			sigaction(live_signals[i], &live_prev[i], NULL);
}

static char *site_of(const void *ksyms, uint64_t ip)
{
	return kallsyms_site(ksyms, ip);
}

static void log_storage(const Analyzer *a)
{
	AnalyzerStorage st;

	analyzer_storage(a, &st);
	g_debug("slot state: %" PRIu64 " pages of %" PRIu64 "-byte slots (%" PRIu64
		" of them cold: summaries only), %" PRIu64 " with setting-up events, %" PRIu64
		" with open lifetimes; %" PRIu64
		" slots with a retention, leak, round trip or write open (%" PRIu64 " at most)",
		st.pages, st.slot_bytes, st.cold_pages, st.setup_arrays, st.life_arrays,
		st.rare_live, st.rare_peak);
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

/* What the analyzer found and kept, for the summary and the meta rows. */
static void summarise(Analyzer *a, const TraceReader *reader, ReplaySummary *s)
{
	s->stats = *trace_reader_stats(reader);
	s->n_traces = trace_reader_n_traces(reader);
	for (int r = 0; r < _RULE_MAX; r++) {
		s->findings[r] = analyzer_findings(a, (Rule)r);
		s->unverified[r] = analyzer_unverified(a, (Rule)r);
		s->by_severity[rule_table[r].severity] += s->findings[r];
		s->unverified_total += s->unverified[r];
	}
	analyzer_foreach_slot(a, count_slot, &s->slots);
	analyzer_foreach_device(a, count_device, &s->devices);
}

/* Reads every trace into the analyzer; progress on stderr if asked. */
static bool read_traces(Run *run, TraceReader *reader, GError **error)
{
	TraceReaderSink sink = { .user = run, .event = on_event, .gap = on_gap };
	int64_t start_us = g_get_monotonic_time();
	const TraceReaderStats *st;
	double secs;

	if (run->cfg->progress) {
		sink.progress = on_progress;
		run->have_range = trace_reader_time_range(reader, &run->begin_ns, &run->end_ns);
		run->start_us = run->last_us = start_us;
	}
	if (!trace_reader_run(reader, &sink, error))
		return false;
	st = trace_reader_stats(reader);
	secs = (double)(g_get_monotonic_time() - start_us) / 1e6;
	g_debug("%" PRIu64 " swap events of %" PRIu64 " replayed in %.2f s (%.0f events/s)",
		st->swap_events, st->events, secs, secs > 0 ? (double)st->swap_events / secs : 0.0);
	analyzer_finish(run->a, st->have_ts ? st->last_ts_ns : 0);
	log_storage(run->a);
	return true;
}

/* "'a', 'b'": the inputs as the user gave them. */
static char *quote_inputs(char *const *inputs, size_t n_inputs)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (size_t i = 0; i < n_inputs; i++)
		g_string_append_printf(s, "%s'%s'", i ? ", " : "", inputs[i]);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/*
 * A database written into a trace directory would be read as a stream
 * file next time, and a --force could replace one: refused.
 */
static bool check_output_outside(const TraceReader *reader, const char *output, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(output);
	char *abs = realpath(dir, NULL);
	bool ok = true;

	if (!abs)
		return true; /* the writer says why it cannot write there */
	for (unsigned i = 0; ok && i < trace_reader_n_traces(reader); i++) {
		const char *t = trace_reader_trace_dir(reader, i);
		size_t len = strlen(t);

		if (strncmp(abs, t, len) == 0 && (abs[len] == '\0' || abs[len] == '/')) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
				    "output '%s' is inside trace '%s'; write it elsewhere", output,
				    trace_reader_trace_display(reader, i));
			ok = false;
		}
	}
	free(abs);
	return ok;
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
	ReplaySummary s = { 0 };
	Run run = { .cfg = cfg };
	LiveTee tee = { .run = &run };
	bool live;
	TraceReaderOptions ropts = cfg->reader;
	const TraceReaderStats *st;
	bool ok = false;

	reader = trace_reader_new(inputs, n_inputs, error);
	if (!reader)
		return false;
	live = trace_reader_is_live(reader);
	if (cfg->output && !check_output_outside(reader, cfg->output, error))
		return false;
	ksyms = kallsyms_find(reader, &local);
	if (local) {
		g_propagate_error(error, local);
		return false;
	}
	if (cfg->output)
		output_file_install_signal_cleanup();
	/* The output appears only once babeltrace2 has opened every trace. */
	ropts.want_range = cfg->progress;
	if (live) {
		live_signals_arm();
		ropts.stop = &live_stop;
	}
	if (!trace_reader_open(reader, &ropts, error)) {
		if (live)
			live_signals_disarm();
		return false;
	}
	if (cfg->output) {
		w = db_writer_new(cfg->output, cfg->force, cfg->events, error);
		if (!w)
			return false;
		if (ksyms)
			db_writer_set_sites(w, site_of, ksyms);
		db_writer_output(w, &out);
	} else if (cfg->out) {
		out = *cfg->out;
	}
	fill_output(&out);
	if (live && cfg->live_findings) {
		tee.inner = out;
		tee.f = cfg->live_findings;
		out = (ReplayOutput){ &tee,	     tee_finding, tee_lifetime,
				      tee_retention, tee_race,	  tee_roundtrip };
	}
	run.w = w;
	run.a = analyzer_new(&cfg->analyzer, &out);
	ok = read_traces(&run, reader, error);
	if (live) {
		live_signals_disarm();
		s.live = true;
		s.stop_signal = trace_reader_interrupted(reader) ? (int)live_stop : 0;
		if (s.stop_signal)
			g_debug("live session interrupted by SIG%s: replaying what was received",
				sigabbrev_np(s.stop_signal));
	}
	if (!ok)
		goto end;
	ok = false;
	st = trace_reader_stats(reader);
	if (st->swap_events == 0 && live) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "no swap events received from live session '%s' (%" PRIu64
			    " events of other kinds) before it %s: swaptrace sees a session from "
			    "the moment it attaches; were the swap:* UST events (or the swap_* "
			    "kernel events) enabled, and emitted since?",
			    inputs[0], st->other_events,
			    s.stop_signal ? "was interrupted" : "ended");
		goto end;
	}
	if (st->swap_events == 0) {
		g_autofree char *names = quote_inputs(inputs, n_inputs);

		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "no swap events in %s (%" PRIu64 " events of other kinds): is the "
			    "swap probe loaded, and were the swap_* kernel events (or the swap:* "
			    "UST events) enabled in the recording session?",
			    names, st->other_events);
		goto end;
	}
	summarise(run.a, reader, &s);
	s.symbolised = ksyms != NULL;
	if (w && (!replay_meta_write(w, reader, cfg, &s, error) ||
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
