/*
 * The babeltrace2 side of the replayer (DESIGN.md §2), in the decoder
 * child (decoder.h):
 *
 *   source.ctf.fs (one per trace dir) --> filter.utils.muxer --> simple sink
 *
 * The muxer orders messages by timestamp with a stable tie-break that does
 * not depend on directory order (babeltrace2 >= 2.0 sorts stream files by
 * path and compares equal-time messages by content), so the sequence
 * numbers assigned here are the same on every run and machine (DESIGN.md
 * §6).  Statuses become an error record at this boundary and nowhere else.
 *
 * Beside babeltrace2, each stream is checked against LTTng's index
 * (stream-check.h): packets the index lists that are not in the stream
 * file are reported as a gap before the trace's first event, packets that
 * babeltrace2 did not decode as a gap where the stream ends.
 *
 * A live session (--live: one lttng-live URL) is read by
 * source.ctf.lttng-live instead, until the relay daemon says the session
 * is gone or the parent asks the decoder to stop (SIGINT, SIGTERM); it has
 * no stream files, so nothing is checked against an index.
 */
#include "decoder.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>

#include "ctf-fast.h"
#include "decoder-wire.h"
#include "live-source.h"
#include "normalize.h"
#include "replay-error.h"
#include "stream-check.h"
#include "trace-reader.h"
#include "wire-ring.h"

#include "banned.h"

/* Messages between two heartbeats (WIRE_PROGRESS): well under a second. */
#define PROGRESS_EVERY 65536

typedef struct DecTrace {
	const char *abs;     /* canonical path, as handed to source.ctf.fs */
	const char *name;    /* input basename [/ relative dir]: what the database stores */
	const char *display; /* as the user can name it, for messages */
	TraceFiles *files;
	bool seen;		     /* a stream of it began: env and lost packets sent */
	const bt_clock_class *clock; /* of its first stream, borrowed from the graph */
	bool *group_seen;	     /* per TraceFiles group: a stream of it began */
	bool perf;		     /* written by perf's CTF converter */
} DecTrace;

/*
 * One PERF_RECORD_LOST of a perf recording: perf's CTF converter drops
 * them, so kernel/record/swaptrace-record writes them to perf-lost.tsv
 * beside the trace.  The CPU lost `count` events after its sample at
 * after_ns (INT64_MIN: before its first) and said so at at_ns.  Times are
 * perf's, the clock the converter writes with offset 0, so they compare
 * with the events' ns from origin.
 */
typedef struct PerfLost {
	int64_t after_ns;
	int64_t at_ns;
	uint64_t count;
	uint32_t cpu;
	unsigned trace; /* index into Decoder.traces */
} PerfLost;

#define PERF_LOST_FILE "perf-lost.tsv"

typedef struct DecStream {
	const char *name; /* trace name / stream file, stable across machines; interned */
	uint64_t id;
	uint32_t cpu; /* from the packet context's cpu_id, UINT32_MAX if none */
	int trace;    /* index into Decoder.traces, -1 if unmatched */
	int group;    /* its files' group in the trace's TraceFiles, -1 if unknown */
	uint64_t packets;
	int64_t last_ts_ns;
	int64_t last_end_ns; /* its last packet's end, INT64_MIN if none said */
} DecStream;

typedef struct Decoder {
	DecTrace *traces;
	unsigned n_traces;
	bool want_range;
	DecoderChoice choice;
	WireWriter *w;
	GHashTable *classes;		  /* const bt_event_class* -> EventClassMap* */
	const bt_event_class *last_class; /* the last one looked up, and its map */
	const EventClassMap *last_map;
	GHashTable *streams; /* const bt_stream* -> DecStream* */
	/*
	 * Interned strings: procnames (normalize.c) and stream names, which
	 * live as long as the decoder, so that their address is their identity.
	 */
	GHashTable *strings;
	GHashTable *string_ids; /* interned string -> its wire id */
	uint32_t next_string_id;
	const char *last_string; /* the last one looked up, and its id */
	uint32_t last_string_id;
	const bt_stream *last_stream;
	DecStream *last_info;
	GError *stop_error; /* why the sink stopped the graph */
	bool pipe_broken;
	TraceReaderStats stats;
	uint64_t messages;
	bool live;	   /* one lttng-live URL, not trace directories */
	GArray *perf_lost; /* PerfLost, in (after_ns, trace, cpu) order */
	guint next_lost;   /* the first not yet sent as a gap */
} Decoder;

/* Live: SIGINT or SIGTERM asks the graph to end as if the session had. */
static volatile sig_atomic_t live_stop;

static void on_live_stop(int sig)
{
	(void)sig;
	live_stop = 1;
}

static const char *intern(Decoder *d, const char *s)
{
	char *found = g_hash_table_lookup(d->strings, s);

	if (!found) {
		found = g_strdup(s);
		g_hash_table_add(d->strings, found);
	}
	return found;
}

/* ---- records ---- */

static bool put(Decoder *d, WireType type, const void *payload, size_t len)
{
	if (!wire_put(d->w, type, payload, len))
		d->pipe_broken = true;
	return !d->pipe_broken;
}

static bool put_text(Decoder *d, WireType type, uint32_t code, const char *text)
{
	size_t len = strlen(text) + 1;

	/* A message may quote a whole metadata file: keep it under a record's size. */
	if (len > WIRE_RECORD_MAX / 2)
		len = WIRE_RECORD_MAX / 2;
	if (!wire_put2(d->w, type, &code, sizeof(code), text, len))
		d->pipe_broken = true;
	return !d->pipe_broken;
}

static void warn(Decoder *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void warn(Decoder *d, const char *fmt, ...)
{
	g_autofree char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	put_text(d, WIRE_WARNING, 0, text);
}

/* The wire id of an interned string (a procname, a stream name), sent the first time. */
static uint32_t string_id(Decoder *d, const char *s)
{
	gpointer id;

	if (!s)
		return 0;
	if (s == d->last_string)
		return d->last_string_id;
	id = g_hash_table_lookup(d->string_ids, s);
	if (!id) {
		uint32_t n = ++d->next_string_id;

		id = GUINT_TO_POINTER(n);
		g_hash_table_insert(d->string_ids, (gpointer)s, id);
		if (!wire_put2(d->w, WIRE_STRING, &n, sizeof(n), s, strlen(s) + 1))
			d->pipe_broken = true;
	}
	d->last_string = s;
	d->last_string_id = GPOINTER_TO_UINT(id);
	return d->last_string_id;
}

static const char *to_id(void *user, const char *value)
{
	return (const char *)(uintptr_t)string_id(user, value);
}

static bool put_gap(Decoder *d, const Gap *g)
{
	Gap wire = *g;

	wire_map_strings(&wire, wire_gap_strings, wire_n_gap_strings, to_id, d);
	d->stats.gaps++;
	if (g->kind == GAP_DISCARDED_EVENTS)
		d->stats.discarded_events += g->count;
	else
		d->stats.discarded_packets += g->count;
	return put(d, WIRE_GAP, &wire, sizeof(wire));
}

/* ---- babeltrace2 errors -> error records ---- */

/* "[source.ctf.fs: 'source-0'] ", "[libbabeltrace2] " ... : who appended a cause. */
static void append_actor(GString *out, const bt_error_cause *c)
{
	switch (bt_error_cause_get_actor_type(c)) {
	case BT_ERROR_CAUSE_ACTOR_TYPE_COMPONENT:
		g_string_append_printf(out, "[%s.%s: '%s'] ",
				       bt_error_cause_component_actor_get_plugin_name(c),
				       bt_error_cause_component_actor_get_component_class_name(c),
				       bt_error_cause_component_actor_get_component_name(c));
		break;
	case BT_ERROR_CAUSE_ACTOR_TYPE_COMPONENT_CLASS:
		g_string_append_printf(
			out, "[%s.%s] ", bt_error_cause_component_class_actor_get_plugin_name(c),
			bt_error_cause_component_class_actor_get_component_class_name(c));
		break;
	case BT_ERROR_CAUSE_ACTOR_TYPE_MESSAGE_ITERATOR:
		g_string_append_printf(
			out, "[%s.%s: '%s'] ",
			bt_error_cause_message_iterator_actor_get_plugin_name(c),
			bt_error_cause_message_iterator_actor_get_component_class_name(c),
			bt_error_cause_message_iterator_actor_get_component_name(c));
		break;
	default:
		g_string_append_printf(out, "[%s] ", bt_error_cause_get_module_name(c));
		break;
	}
}

/*
 * Cuts babeltrace2's "name=value" fields off a cause ("Sentence: a=1, b=2")
 * for the headline: addresses and log levels mean nothing to the user.
 */
static void strip_fields(char *msg)
{
	for (char *p = strstr(msg, ": "); p; p = strstr(p + 1, ": ")) {
		const char *q = p + 2;

		while (g_ascii_isalnum(*q) || *q == '-' || *q == '_')
			q++;
		if (q > p + 2 && *q == '=') {
			*p = '\0';
			return;
		}
	}
}

/*
 * babeltrace2's whole cause chain: a headline from the root cause (the
 * first appended, which says what is wrong with the trace, without its
 * fields), then every cause, most recent first as babeltrace2 prints
 * them, one per line, with who said it and every field.
 */
static char *take_bt_error(char **ret_chain)
{
	const bt_error *err = bt_current_thread_take_error();
	g_autoptr(GString) chain = g_string_new(NULL);
	char *reason = NULL;
	uint64_t n = err ? bt_error_get_cause_count(err) : 0;

	for (uint64_t i = n; i-- > 0;) {
		const bt_error_cause *c = bt_error_borrow_cause_by_index(err, i);
		g_autofree char *msg = g_strdup(bt_error_cause_get_message(c));

		g_strdelimit(msg, "\n", ' ');
		g_strstrip(msg);
		g_string_append(chain, "\n  babeltrace2: ");
		append_actor(chain, c);
		if (bt_error_cause_get_actor_type(c) == BT_ERROR_CAUSE_ACTOR_TYPE_UNKNOWN) {
			/* The library's fields are addresses and class internals. */
			g_autofree char *bare = g_strdup(msg);

			strip_fields(bare);
			g_string_append(chain, bare);
		} else {
			g_string_append(chain, msg);
		}
		if (i == 0) {
			reason = g_strdup(msg);
			strip_fields(reason);
			g_strstrip(reason);
			/* Causes end with a full stop; git-style messages do not. */
			if (*reason && reason[strlen(reason) - 1] == '.')
				reason[strlen(reason) - 1] = '\0';
		}
	}
	if (err)
		bt_error_release(err);
	if (!reason || !*reason) {
		g_free(reason);
		reason = g_strdup("babeltrace2 failed without saying why");
	}
	*ret_chain = g_string_free(g_steal_pointer(&chain), FALSE);
	return reason;
}

/* Which trace the causes talk about, by its path; NULL if they do not say. */
static const DecTrace *trace_named_in(const Decoder *d, const char *chain)
{
	const DecTrace *best = NULL;

	for (unsigned i = 0; i < d->n_traces; i++) {
		const DecTrace *t = &d->traces[i];

		/* Longest match: a trace may sit inside another's parent. */
		if (strstr(chain, t->abs) && (!best || strlen(t->abs) > strlen(best->abs)))
			best = t;
	}
	return best;
}

/* babeltrace2 failed reading t (NULL: the causes or the only trace say which). */
static void set_trace_error(Decoder *d, const DecTrace *t)
{
	g_autofree char *chain = NULL;
	g_autofree char *reason = take_bt_error(&chain);
	g_autofree char *which = NULL;

	if (!t)
		t = trace_named_in(d, chain);
	if (!t && d->n_traces == 1)
		t = &d->traces[0];
	if (t) {
		which = g_strdup(t->display);
	} else {
		g_autoptr(GPtrArray) names = g_ptr_array_new();

		for (unsigned i = 0; i < d->n_traces; i++)
			g_ptr_array_add(names, (char *)d->traces[i].display);
		g_ptr_array_add(names, NULL);
		which = g_strjoinv("', '", (char **)names->pdata);
	}
	g_clear_error(&d->stop_error);
	g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
		    "cannot read trace '%s': %s%s", which, reason, chain);
}

/* ---- what a trace's first stream tells ---- */

static void put_env(Decoder *d, unsigned ti, const bt_trace *trace, const bt_clock_class *clock)
{
	g_autoptr(GByteArray) p = g_byte_array_new();
	uint64_t n = bt_trace_get_environment_entry_count(trace);
	uint32_t idx = ti;
	const char *uuid = "";
	char uuid_text[37];

	g_byte_array_append(p, (const guint8 *)&idx, sizeof(idx));
	for (uint64_t i = 0; i < n; i++) {
		const char *key;
		const bt_value *v;

		bt_trace_borrow_environment_entry_by_index_const(trace, i, &key, &v);
		if (bt_value_is_signed_integer(v)) {
			int64_t x = bt_value_integer_signed_get(v);

			g_byte_array_append(p, (const guint8 *)"i", 1);
			g_byte_array_append(p, (const guint8 *)key, (guint)strlen(key) + 1);
			g_byte_array_append(p, (const guint8 *)&x, sizeof(x));
		} else if (bt_value_is_string(v)) {
			const char *s = bt_value_string_get(v);

			/*
			 * perf writes a stream file only for a CPU that had
			 * events, and no index: a stream file deleted, or cut
			 * at a packet boundary, leaves a trace that is whole as
			 * far as anything can tell.  Say so.
			 */
			if (strcmp(key, "tracer_name") == 0 && strcmp(s, "perf") == 0 &&
			    !d->traces[ti].perf) {
				d->traces[ti].perf = true;
				warn(d,
				     "trace '%s': perf's CTF has no index: a stream file missing "
				     "or cut at a packet boundary cannot be detected",
				     d->traces[ti].display);
			}

			g_byte_array_append(p, (const guint8 *)"s", 1);
			g_byte_array_append(p, (const guint8 *)key, (guint)strlen(key) + 1);
			g_byte_array_append(p, (const guint8 *)s, (guint)strlen(s) + 1);
		}
	}
	if (clock && bt_clock_class_get_uuid(clock)) {
		const uint8_t *u = bt_clock_class_get_uuid(clock);

		g_snprintf(uuid_text, sizeof(uuid_text),
			   "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			   u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
			   u[12], u[13], u[14], u[15]);
		uuid = uuid_text;
	}
	g_byte_array_append(p, (const guint8 *)"c", 1);
	g_byte_array_append(p, (const guint8 *)uuid, (guint)strlen(uuid) + 1);
	if (p->len <= WIRE_RECORD_MAX)
		put(d, WIRE_ENV, p->data, p->len);
}

/* Cycles of t's clock -> ns from its origin; `fallback` when it cannot say. */
static int64_t cycles_ns(const DecTrace *t, uint64_t cycles, int64_t fallback)
{
	int64_t ns;

	if (!t->clock || bt_clock_class_cycles_to_ns_from_origin(t->clock, cycles, &ns) !=
				 BT_CLOCK_CLASS_CYCLES_TO_NS_FROM_ORIGIN_STATUS_OK)
		return fallback;
	return ns;
}

/*
 * The last packet end any index of t lists, in ns; INT64_MAX when no
 * stream of t has an index.  LTTng flushes every stream of a session when
 * it stops, so every stream's last packet ends within milliseconds of it.
 */
static int64_t indexed_end_ns(const DecTrace *t)
{
	uint64_t end = 0;
	bool have = false;

	for (guint i = 0; i < t->files->files->len; i++) {
		const StreamFile *f = t->files->files->pdata[i];

		if (!f->index || !f->index->len)
			continue;
		end = MAX(end, g_array_index(f->index, IndexPacket, f->index->len - 1).ts_end);
		have = true;
	}
	return have ? cycles_ns(t, end, INT64_MAX) : INT64_MAX;
}

/* Whether a file of group g of t has a usable index. */
static bool group_indexed(const DecTrace *t, int g)
{
	for (guint i = 0; i < t->files->files->len; i++) {
		const StreamFile *f = t->files->files->pdata[i];

		if (f->group == g && f->index)
			return true;
	}
	return false;
}

/*
 * Packets the index lists that are not in their file, or files that
 * babeltrace2 will skip, as gaps before the trace's first event.  Lost
 * data whose extent nobody knows distrusts the whole trace.
 */
static void put_lost_files(Decoder *d, const DecTrace *t)
{
	for (guint i = 0; i < t->files->files->len; i++) {
		const StreamFile *f = t->files->files->pdata[i];
		g_autofree char *name = NULL;
		Gap g;

		if (!f->lost_packets && !f->lost_unknown)
			continue;
		if (f->inferred && t->perf)
			continue; /* perf writes no file for a CPU without events */
		name = g_strconcat(t->name, "/", f->name, NULL);
		g = (Gap){
			.kind = GAP_DISCARDED_PACKETS,
			.stream = intern(d, name),
			.stream_id = UINT64_MAX,
			.begin_ts_ns = INT64_MIN,
			.end_ts_ns = INT64_MAX,
			.count = f->lost_packets,
			.after_seq = d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE,
		};
		if (f->lost_packets) {
			g.begin_ts_ns = cycles_ns(t, f->lost_begin, INT64_MIN);
			g.end_ts_ns = cycles_ns(t, f->lost_end, INT64_MAX);
			warn(d,
			     "trace '%s': stream file '%s' is %s: %" PRIu64
			     " packet%s its index lists %s lost",
			     t->display, f->name,
			     !f->present    ? f->why_absent
			     : f->size == 0 ? "empty"
					    : "cut short",
			     f->lost_packets, f->lost_packets == 1 ? "" : "s",
			     f->lost_packets == 1 ? "is" : "are");
		} else if (f->inferred) {
			warn(d,
			     "trace '%s': stream file '%s' is missing, and so is its index, "
			     "although "
			     "its channel has higher-numbered streams: what it held is lost",
			     t->display, f->name);
		} else {
			warn(d,
			     "trace '%s': stream file '%s' is %s and has no index: what it held is "
			     "lost",
			     t->display, f->name, !f->present ? f->why_absent : "empty");
		}
		put_gap(d, &g);
	}
}

/* ---- streams ---- */

static DecStream *stream_new(Decoder *d, const bt_stream *stream)
{
	DecStream *s = g_new0(DecStream, 1);
	const char *path = bt_stream_get_name(stream);
	DecTrace *best = NULL;

	s->id = bt_stream_get_id(stream);
	s->cpu = UINT32_MAX;
	s->trace = -1;
	s->group = -1;
	s->last_ts_ns = INT64_MIN;
	s->last_end_ns = INT64_MIN;
	/* source.ctf.fs names a stream by its first data file's path. */
	for (unsigned i = 0; path && i < d->n_traces; i++) {
		DecTrace *t = &d->traces[i];
		size_t len = strlen(t->abs);

		if (strncmp(path, t->abs, len) == 0 && path[len] == '/' &&
		    (!best || len > strlen(best->abs))) {
			best = t;
			s->trace = (int)i;
		}
	}
	if (d->live) {
		/* source.ctf.lttng-live: one session, streams named by the relay daemon. */
		g_autofree char *name =
			path ? g_strconcat(d->traces[0].name, "/", path, NULL)
			     : g_strdup_printf("%s/stream-%" PRIu64, d->traces[0].name, s->id);

		best = &d->traces[0];
		s->trace = 0;
		s->name = intern(d, name);
	} else if (best) {
		g_autofree char *name = g_strconcat(best->name, path + strlen(best->abs), NULL);

		s->name = intern(d, name);
	} else {
		g_autofree char *name = g_strdup_printf("stream-%" PRIu64, s->id);

		s->name = intern(d, name);
	}
	if (best) {
		const StreamFile *f = trace_files_lookup(best->files, path);

		if (f) {
			s->group = f->group;
			best->group_seen[f->group] = true;
		}
	}
	if (best && !best->seen) {
		const bt_stream_class *sc = bt_stream_borrow_class_const(stream);

		best->seen = true;
		best->clock = bt_stream_class_borrow_default_clock_class_const(sc);
		put_env(d, (unsigned)s->trace, bt_stream_borrow_trace_const(stream), best->clock);
		put_lost_files(d, best);
	}
	g_hash_table_insert(d->streams, (gpointer)stream, s);
	return s;
}

static DecStream *stream_info(Decoder *d, const bt_stream *stream)
{
	DecStream *s;

	if (stream == d->last_stream)
		return d->last_info;
	s = g_hash_table_lookup(d->streams, stream);
	if (!s)
		s = stream_new(d, stream);
	d->last_stream = stream;
	d->last_info = s;
	return s;
}

/* The index's last packet end of group g of t, in ns; INT64_MAX if it does not say. */
static int64_t group_end_ns(const DecTrace *t, int g)
{
	uint64_t end = 0;
	bool have = false;

	for (guint i = 0; i < t->files->files->len; i++) {
		const StreamFile *f = t->files->files->pdata[i];

		if (f->group != g || !f->index || !f->index->len)
			continue;
		end = MAX(end, g_array_index(f->index, IndexPacket, f->index->len - 1).ts_end);
		have = true;
	}
	return have ? cycles_ns(t, end, INT64_MAX) : INT64_MAX;
}

/*
 * A stream without an index ends: nothing says whether its file was cut
 * after its last packet, but the other streams' indexes say when the
 * session stopped.  From this stream's end to then, its events may be
 * lost: a gap, so that checks there count as unverified.
 */
static bool check_unindexed_end(Decoder *d, const DecTrace *t, const DecStream *s)
{
	int64_t end = indexed_end_ns(t);
	int64_t last = MAX(s->last_end_ns, s->last_ts_ns);
	double seconds;
	Gap g;

	if (end == INT64_MAX || last == INT64_MIN || last >= end)
		return true;
	seconds = ((double)end - (double)last) / 1e9;
	g = (Gap){
		.kind = GAP_DISCARDED_PACKETS,
		.stream = s->name,
		.stream_id = s->id,
		.begin_ts_ns = last,
		.end_ts_ns = end,
		.count = 0,
		.after_seq = d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE,
	};
	warn(d,
	     "trace '%s': stream file '%s' has no usable index and ends %.3f s before the "
	     "trace's other streams: it may have been cut; checks from then on are unverified",
	     t->display, s->name + strlen(t->name) + 1, seconds);
	return put_gap(d, &g);
}

/*
 * A stream ends: did babeltrace2 decode every packet the index lists?  The
 * ones it did not were skipped silently; their events are lost from here
 * to the index's end of the stream.
 */
static bool check_stream_end(Decoder *d, const DecStream *s)
{
	const DecTrace *t;
	uint64_t want;
	Gap g;

	if (s->trace < 0 || s->group < 0)
		return true;
	t = &d->traces[s->trace];
	want = trace_files_group_expected(t->files, s->group);
	if (want == UINT64_MAX && !t->perf && !group_indexed(t, s->group))
		return check_unindexed_end(d, t, s);
	if (want == UINT64_MAX || s->packets >= want)
		return true;
	g = (Gap){
		.kind = GAP_DISCARDED_PACKETS,
		.stream = s->name,
		.stream_id = s->id,
		.begin_ts_ns = s->last_ts_ns,
		.end_ts_ns = group_end_ns(t, s->group),
		.count = want - s->packets,
		.after_seq = d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE,
	};
	warn(d, "trace '%s': babeltrace2 decoded %" PRIu64 " of the %" PRIu64 " packets of '%s'",
	     t->display, s->packets, want, s->name + strlen(t->name) + 1);
	return put_gap(d, &g);
}

/*
 * A stream ends: its DecStream dies with it, since the key is a borrowed
 * address that a stream created later may reuse.
 */
static bool stream_ended(Decoder *d, const bt_stream *stream)
{
	DecStream *s = stream_info(d, stream);
	bool ok = check_stream_end(d, s);

	d->last_stream = NULL;
	d->last_info = NULL;
	g_hash_table_remove(d->streams, stream);
	return ok;
}

/*
 * After the graph: groups of files with packets that no stream ever read,
 * and traces that cannot say whether they are whole.
 */
static void check_unread_groups(Decoder *d)
{
	for (unsigned i = 0; i < d->n_traces; i++) {
		DecTrace *t = &d->traces[i];

		/*
		 * Without any index, a stream file cut at a packet boundary
		 * reads as a shorter stream; with some, check_stream_end()
		 * measures the ones without against the others' end.  (perf
		 * said so in put_env().)
		 */
		if (t->seen && !t->perf && indexed_end_ns(t) == INT64_MAX)
			warn(d,
			     "trace '%s' has no index: a stream file cut at a packet boundary "
			     "cannot be detected",
			     t->display);

		for (int g = 0; g < t->files->n_groups; g++) {
			uint64_t want = trace_files_group_expected(t->files, g);
			const StreamFile *first = NULL;
			g_autofree char *name = NULL;
			Gap gap;

			if (t->group_seen[g] || want == 0 || want == UINT64_MAX)
				continue;
			for (guint k = 0; k < t->files->files->len && !first; k++)
				if (((StreamFile *)t->files->files->pdata[k])->group == g)
					first = t->files->files->pdata[k];
			name = g_strconcat(t->name, "/", first->name, NULL);
			gap = (Gap){
				.kind = GAP_DISCARDED_PACKETS,
				.stream = intern(d, name),
				.stream_id = UINT64_MAX,
				.begin_ts_ns = INT64_MIN,
				.end_ts_ns = INT64_MAX,
				.count = want,
				.after_seq =
					d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE,
			};
			warn(d,
			     "trace '%s': babeltrace2 read none of the %" PRIu64 " packets of '%s'",
			     t->display, want, first->name);
			put_gap(d, &gap);
		}
	}
}

/* ---- message handling (the hot path) ---- */

static void read_packet(Decoder *d, const bt_message *msg)
{
	const bt_packet *packet = bt_message_packet_beginning_borrow_packet_const(msg);
	DecStream *s = stream_info(d, bt_packet_borrow_stream_const(packet));
	const bt_field *ctx = bt_packet_borrow_context_field_const(packet);
	const bt_field *cpu;

	s->packets++;
	if (!ctx)
		return;
	cpu = bt_field_structure_borrow_member_field_by_name_const(ctx, "cpu_id");
	if (cpu && bt_field_get_class_type(cpu) == BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)
		s->cpu = (uint32_t)bt_field_integer_unsigned_get_value(cpu);
}

static int64_t snapshot_ns(const bt_clock_snapshot *cs)
{
	int64_t ns;

	if (!cs || bt_clock_snapshot_get_ns_from_origin(cs, &ns) !=
			   BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
		return INT64_MIN;
	return ns;
}

static void packet_ended(Decoder *d, const bt_message *msg)
{
	const bt_stream *stream =
		bt_packet_borrow_stream_const(bt_message_packet_end_borrow_packet_const(msg));

	if (bt_stream_class_packets_have_end_default_clock_snapshot(
		    bt_stream_borrow_class_const(stream)))
		stream_info(d, stream)->last_end_ns =
			snapshot_ns(bt_message_packet_end_borrow_default_clock_snapshot_const(msg));
}

static const char *stream_trace_display(const Decoder *d, const DecStream *s)
{
	return s->trace >= 0 ? d->traces[s->trace].display : s->name;
}

static const EventClassMap *class_map(Decoder *d, const bt_event_class *ec, const DecStream *s)
{
	EventClassMap *m;

	if (ec == d->last_class)
		return d->last_map;
	m = g_hash_table_lookup(d->classes, ec);
	if (m) {
		d->last_class = ec;
		d->last_map = m;
		return m;
	}
	m = g_new0(EventClassMap, 1);
	if (!event_class_map_init(m, ec, stream_trace_display(d, s), &d->stop_error)) {
		g_free(m);
		return NULL;
	}
	if (m->kind == _EVENT_KIND_INVALID)
		d->stats.other_classes++;
	else
		d->stats.schema_versions |= 1u << m->version;
	g_hash_table_insert(d->classes, (gpointer)ec, m);
	return m;
}

static void note_ts(Decoder *d, int64_t ts)
{
	if (!d->stats.have_ts) {
		d->stats.have_ts = true;
		d->stats.first_ts_ns = ts;
	}
	d->stats.last_ts_ns = ts;
}

/* ---- perf's lost-event records ---- */

static int compare_perf_lost(gconstpointer a, gconstpointer b)
{
	const PerfLost *la = a, *lb = b;

	if (la->after_ns != lb->after_ns)
		return la->after_ns < lb->after_ns ? -1 : 1;
	if (la->trace != lb->trace)
		return la->trace < lb->trace ? -1 : 1;
	if (la->cpu != lb->cpu)
		return la->cpu < lb->cpu ? -1 : 1;
	return la->at_ns < lb->at_ns ? -1 : la->at_ns > lb->at_ns;
}

/* "-" or a decimal ns count. */
static bool parse_ns(const char *s, int64_t *ret)
{
	gint64 v;

	if (strcmp(s, "-") == 0) {
		*ret = INT64_MIN;
		return true;
	}
	if (!g_ascii_string_to_signed(s, 10, 0, INT64_MAX, &v, NULL))
		return false;
	*ret = v;
	return true;
}

/*
 * The perf-lost.tsv beside trace i (in the directory that holds the trace
 * directory), if there is one: "cpu, after, at, count" lines, tab
 * separated, '#' comments.
 */
static bool read_perf_lost(Decoder *d, unsigned i)
{
	const DecTrace *t = &d->traces[i];
	g_autofree char *parent = g_path_get_dirname(t->abs);
	g_autofree char *path = g_build_filename(parent, PERF_LOST_FILE, NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GError *local = NULL;
	unsigned n = 0;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return true;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': '%s' is not a regular file", t->display, path);
		return false;
	}
	if (!g_file_get_contents(path, &text, NULL, &local)) {
		g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': %s", t->display, local->message);
		g_error_free(local);
		return false;
	}
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) f = NULL;
		guint64 cpu, count;
		PerfLost pl;

		if (**l == '\0' || **l == '#')
			continue;
		f = g_strsplit(*l, "\t", -1);
		if (g_strv_length(f) != 4 ||
		    !g_ascii_string_to_unsigned(f[0], 10, 0, UINT32_MAX - 1, &cpu, NULL) ||
		    !parse_ns(f[1], &pl.after_ns) || !parse_ns(f[2], &pl.at_ns) ||
		    pl.at_ns == INT64_MIN ||
		    !g_ascii_string_to_unsigned(f[3], 10, 0, UINT64_MAX, &count, NULL)) {
			g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': bad line in '%s': '%s'", t->display,
				    path, *l);
			return false;
		}
		pl.cpu = (uint32_t)cpu;
		pl.count = count;
		pl.trace = i;
		g_array_append_val(d->perf_lost, pl);
		n++;
	}
	g_debug("trace %u: %u perf lost-event records in '%s'", i, n, path);
	return true;
}

/*
 * Sends, as gaps, the perf lost-event records whose loss began before `ts`
 * (INT64_MAX: all that are left): right after the last event the CPU
 * recorded before the loss, so that no event after it is trusted.
 */
static bool flush_perf_lost(Decoder *d, int64_t ts)
{
	while (d->next_lost < d->perf_lost->len) {
		const PerfLost *pl = &g_array_index(d->perf_lost, PerfLost, d->next_lost);
		const DecTrace *t = &d->traces[pl->trace];
		g_autofree char *stream = NULL;
		Gap g;

		if (ts != INT64_MAX && pl->after_ns >= ts)
			break;
		d->next_lost++;
		stream = g_strdup_printf("%s/cpu%" PRIu32, t->name, pl->cpu);
		memset(&g, 0, sizeof(g));
		g.kind = GAP_DISCARDED_EVENTS;
		g.stream = intern(d, stream);
		g.stream_id = pl->cpu;
		g.begin_ts_ns = pl->after_ns;
		g.end_ts_ns = pl->at_ns;
		g.count = pl->count;
		g.after_seq = d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE;
		if (!put_gap(d, &g))
			return false;
	}
	return true;
}

static bool handle_event(Decoder *d, const bt_message *msg)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	DecStream *s = stream_info(d, bt_event_borrow_stream_const(ev));
	const EventClassMap *m = class_map(d, bt_event_borrow_class_const(ev), s);
	int64_t ts = d->stats.last_ts_ns;
	Event e;

	if (!m)
		return false;
	d->stats.events++;
	if (m->has_clock) {
		const bt_clock_snapshot *cs =
			bt_message_event_borrow_default_clock_snapshot_const(msg);

		if (bt_clock_snapshot_get_ns_from_origin(cs, &ts) !=
		    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK) {
			g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': timestamp overflows int64 ns",
				    stream_trace_display(d, s));
			return false;
		}
		note_ts(d, ts);
		s->last_ts_ns = ts;
		if (d->next_lost < d->perf_lost->len && !flush_perf_lost(d, ts))
			return false;
	}
	if (m->kind == _EVENT_KIND_INVALID) {
		d->stats.other_events++;
		return true;
	}
	normalize_event(m, ev, d->strings, &e);
	if (e.nr > EVENT_NR_MAX || e.type >= EVENT_TYPE_MAX) {
		g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_SCHEMA,
			    e.nr > EVENT_NR_MAX ? "cannot read trace '%s': event %" PRIu64
						  " (%s) names %" PRIu32
						  " slots, more than any kernel names at once (%u)"
						: "cannot read trace '%s': event %" PRIu64
						  " (%s) names swap "
						  "device %" PRIu32 ", beyond the kernel's %u",
			    stream_trace_display(d, s), d->stats.swap_events,
			    event_kind_name(m->kind), e.nr > EVENT_NR_MAX ? e.nr : e.type,
			    e.nr > EVENT_NR_MAX ? EVENT_NR_MAX : EVENT_TYPE_MAX);
		return false;
	}
	e.seq = d->stats.swap_events++;
	e.ts_ns = ts;
	if (e.cpu == UINT32_MAX) /* perf_cpu, where perf recorded one */
		e.cpu = s->cpu;
	d->stats.per_kind[m->kind]++;
	wire_map_strings(&e, wire_event_strings, wire_n_event_strings, to_id, d);
	if (!wire_put_event(d->w, &e))
		d->pipe_broken = true;
	return !d->pipe_broken;
}

static bool handle_gap(Decoder *d, const bt_message *msg, GapKind kind)
{
	const bt_stream *stream;
	const bt_stream_class *sc;
	const bt_clock_snapshot *b = NULL, *e = NULL;
	bt_property_availability avail;
	uint64_t count = 0;
	Gap g;

	if (kind == GAP_DISCARDED_EVENTS) {
		stream = bt_message_discarded_events_borrow_stream_const(msg);
		sc = bt_stream_borrow_class_const(stream);
		if (bt_stream_class_discarded_events_have_default_clock_snapshots(sc)) {
			b = bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(
				msg);
			e = bt_message_discarded_events_borrow_end_default_clock_snapshot_const(
				msg);
		}
		avail = bt_message_discarded_events_get_count(msg, &count);
	} else {
		stream = bt_message_discarded_packets_borrow_stream_const(msg);
		sc = bt_stream_borrow_class_const(stream);
		if (bt_stream_class_discarded_packets_have_default_clock_snapshots(sc)) {
			b = bt_message_discarded_packets_borrow_beginning_default_clock_snapshot_const(
				msg);
			e = bt_message_discarded_packets_borrow_end_default_clock_snapshot_const(
				msg);
		}
		avail = bt_message_discarded_packets_get_count(msg, &count);
	}
	if (avail != BT_PROPERTY_AVAILABILITY_AVAILABLE)
		count = 0;

	memset(&g, 0, sizeof(g));
	g.kind = kind;
	g.stream = stream_info(d, stream)->name;
	g.stream_id = bt_stream_get_id(stream);
	g.begin_ts_ns = snapshot_ns(b);
	g.end_ts_ns = snapshot_ns(e);
	g.count = count;
	g.after_seq = d->stats.swap_events ? d->stats.swap_events - 1 : SEQ_NONE;
	return put_gap(d, &g);
}

static bool heartbeat(Decoder *d)
{
	struct {
		int64_t ts_ns;
		uint64_t events;
	} p = { d->stats.last_ts_ns, d->stats.events };

	return put(d, WIRE_PROGRESS, &p, sizeof(p)) && wire_flush(d->w);
}

static bool handle_message(Decoder *d, const bt_message *msg)
{
	if (++d->messages % PROGRESS_EVERY == 0 && !heartbeat(d))
		return false;
	switch (bt_message_get_type(msg)) {
	case BT_MESSAGE_TYPE_EVENT:
		return handle_event(d, msg);
	case BT_MESSAGE_TYPE_STREAM_BEGINNING:
		stream_info(d, bt_message_stream_beginning_borrow_stream_const(msg));
		return !d->pipe_broken;
	case BT_MESSAGE_TYPE_STREAM_END:
		return stream_ended(d, bt_message_stream_end_borrow_stream_const(msg));
	case BT_MESSAGE_TYPE_PACKET_BEGINNING:
		read_packet(d, msg);
		return !d->pipe_broken;
	case BT_MESSAGE_TYPE_PACKET_END:
		packet_ended(d, msg);
		return true;
	case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
		return handle_gap(d, msg, GAP_DISCARDED_EVENTS);
	case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
		return handle_gap(d, msg, GAP_DISCARDED_PACKETS);
	default:
		return true;
	}
}

static bt_graph_simple_sink_component_consume_func_status consume(bt_message_iterator *it,
								  void *data)
{
	Decoder *d = data;
	bt_message_array_const msgs;
	uint64_t count;
	bool ok = true;

	if (live_stop)
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	switch (bt_message_iterator_next(it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < count; i++) {
		if (ok)
			ok = handle_message(d, msgs[i]);
		bt_message_put_ref(msgs[i]);
	}
	return ok ? BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK
		  : BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
}

/* ---- the graph ---- */

/* Components log what they see go wrong (stderr, which the parent keeps). */
#define COMPONENT_LOG_LEVEL BT_LOGGING_LEVEL_ERROR

typedef struct Plugins {
	const bt_plugin *ctf;
	const bt_plugin *utils;
	const bt_component_class_source *fs;
	const bt_component_class_source *live;
	const bt_component_class_filter *muxer;
} Plugins;

static void plugins_release(Plugins *p)
{
	BT_PLUGIN_PUT_REF_AND_RESET(p->ctf);
	BT_PLUGIN_PUT_REF_AND_RESET(p->utils);
}

static bool plugins_load(Decoder *d, Plugins *p)
{
	memset(p, 0, sizeof(*p));
	if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &p->ctf) !=
		    BT_PLUGIN_FIND_STATUS_OK ||
	    bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &p->utils) !=
		    BT_PLUGIN_FIND_STATUS_OK)
		goto error;
	p->fs = bt_plugin_borrow_source_component_class_by_name_const(p->ctf, "fs");
	p->live = bt_plugin_borrow_source_component_class_by_name_const(p->ctf, "lttng-live");
	p->muxer = bt_plugin_borrow_filter_component_class_by_name_const(p->utils, "muxer");
	if (!p->fs || !p->muxer || (d->live && !p->live))
		goto error;
	return true;

error:
	bt_current_thread_clear_error();
	plugins_release(p);
	g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
		    "cannot load the babeltrace2 plugins source.ctf.fs%s and filter.utils.muxer "
		    "(is babeltrace2 installed?)",
		    d->live ? ", source.ctf.lttng-live" : "");
	return false;
}

static bt_value *fs_params(const char *path)
{
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;

	if (!params)
		return NULL;
	if (bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
	    bt_value_array_append_string_element(inputs, path) !=
		    BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK)
		BT_VALUE_PUT_REF_AND_RESET(params);
	return params;
}

/* Time span of every stream from the traces' indexes, for the progress line. */
static void put_range(Decoder *d, const Plugins *p)
{
	int64_t range[2] = { INT64_MAX, INT64_MIN };

	for (unsigned i = 0; i < d->n_traces; i++) {
		bt_value *params = fs_params(d->traces[i].abs);
		bt_query_executor *q = NULL;
		const bt_value *res = NULL;

		if (!params)
			continue;
		q = bt_query_executor_create(
			bt_component_class_source_as_component_class_const(p->fs),
			"babeltrace.trace-infos", params);
		if (q && bt_query_executor_query(q, &res) == BT_QUERY_EXECUTOR_QUERY_STATUS_OK &&
		    bt_value_is_array(res)) {
			for (uint64_t ti = 0; ti < bt_value_array_get_length(res); ti++) {
				const bt_value *tv =
					bt_value_array_borrow_element_by_index_const(res, ti);
				const bt_value *sis =
					bt_value_map_borrow_entry_value_const(tv, "stream-infos");

				for (uint64_t si = 0; sis && bt_value_is_array(sis) &&
						      si < bt_value_array_get_length(sis);
				     si++) {
					const bt_value *sv =
						bt_value_array_borrow_element_by_index_const(sis,
											     si);
					const bt_value *r = bt_value_map_borrow_entry_value_const(
						sv, "range-ns");
					const bt_value *b, *e;

					if (!r || !bt_value_is_map(r))
						continue;
					b = bt_value_map_borrow_entry_value_const(r, "begin");
					e = bt_value_map_borrow_entry_value_const(r, "end");
					if (b && bt_value_is_signed_integer(b))
						range[0] = MIN(range[0],
							       bt_value_integer_signed_get(b));
					if (e && bt_value_is_signed_integer(e))
						range[1] = MAX(range[1],
							       bt_value_integer_signed_get(e));
				}
			}
		}
		bt_current_thread_clear_error();
		BT_VALUE_PUT_REF_AND_RESET(res);
		BT_QUERY_EXECUTOR_PUT_REF_AND_RESET(q);
		BT_VALUE_PUT_REF_AND_RESET(params);
	}
	if (range[0] <= range[1])
		put(d, WIRE_RANGE, range, sizeof(range));
}

static bool connect_source(bt_graph *graph, const bt_component_source *src,
			   const bt_component_filter *mux)
{
	uint64_t n = bt_component_source_get_output_port_count(src);

	for (uint64_t i = 0; i < n; i++) {
		const bt_port_output *out =
			bt_component_source_borrow_output_port_by_index_const(src, i);
		/* The muxer always keeps one free input port, its last. */
		const bt_port_input *in = bt_component_filter_borrow_input_port_by_index_const(
			mux, bt_component_filter_get_input_port_count(mux) - 1);

		if (bt_graph_connect_ports(graph, out, in, NULL) !=
		    BT_GRAPH_CONNECT_PORTS_STATUS_OK)
			return false;
	}
	return true;
}

/* One source.ctf.fs per trace, each connected to the muxer; false: stop_error set. */
static bool add_sources(Decoder *d, bt_graph *graph, const Plugins *p,
			const bt_component_filter *mux)
{
	for (unsigned i = 0; i < d->n_traces; i++) {
		const DecTrace *t = &d->traces[i];
		const bt_component_source *src = NULL;
		g_autofree char *name = g_strdup_printf("source-%u", i);
		bt_value *params = d->live ? live_source_params(t->abs) : fs_params(t->abs);
		bt_graph_add_component_status st;
		uint32_t idx = i;

		if (!params || !put(d, WIRE_OPENING, &idx, sizeof(idx)) || !wire_flush(d->w)) {
			BT_VALUE_PUT_REF_AND_RESET(params);
			set_trace_error(d, t);
			return false;
		}
		st = bt_graph_add_source_component(graph, d->live ? p->live : p->fs, name, params,
						   COMPONENT_LOG_LEVEL, &src);
		BT_VALUE_PUT_REF_AND_RESET(params);
		if (st != BT_GRAPH_ADD_COMPONENT_STATUS_OK || !connect_source(graph, src, mux)) {
			set_trace_error(d, t);
			return false;
		}
	}
	return true;
}

/* The in-process sink (consume()), fed by the muxer. */
static bool add_sink(Decoder *d, bt_graph *graph, const bt_component_filter *mux)
{
	const bt_component_sink *out = NULL;

	return bt_graph_add_simple_sink_component(graph, "swaptrace", NULL, consume, NULL, d,
						  &out) == BT_GRAPH_ADD_COMPONENT_STATUS_OK &&
	       bt_graph_connect_ports(
		       graph, bt_component_filter_borrow_output_port_by_name_const(mux, "out"),
		       bt_component_sink_borrow_input_port_by_name_const(out, "in"),
		       NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK;
}

/*
 * A live session waits for the relay daemon: between its packets the
 * graph says AGAIN, and the decoder tells the parent it is alive (the
 * watchdog times silence) every LIVE_HEARTBEAT_US.
 */
#define LIVE_POLL_US 20000
#define LIVE_HEARTBEAT_US G_USEC_PER_SEC

static bool run_graph(Decoder *d, bt_graph *graph)
{
	bt_graph_run_status run;
	int64_t last_beat = g_get_monotonic_time();

	do {
		run = bt_graph_run(graph);
		if (run != BT_GRAPH_RUN_STATUS_AGAIN)
			break;
		if (!d->live) {
			g_usleep(1000);
			continue;
		}
		if (live_stop)
			return true;
		if (g_get_monotonic_time() - last_beat >= LIVE_HEARTBEAT_US) {
			if (!heartbeat(d))
				return false;
			last_beat = g_get_monotonic_time();
		} else if (!wire_flush(d->w)) {
			/* What the relay sent so far goes to the parent now, not with the next batch. */
			d->pipe_broken = true;
			return false;
		}
		g_usleep(LIVE_POLL_US);
	} while (run == BT_GRAPH_RUN_STATUS_AGAIN);
	return run == BT_GRAPH_RUN_STATUS_OK;
}

/*
 * The fast decoder (ctf-fast.h) on the one trace: 1 done, 0 failed
 * (stop_error set or the pipe broken), -1 not our layout: babeltrace2's
 * turn (or, asked for the fast decoder alone, an error).
 */
static int try_fast(Decoder *d)
{
	g_autofree char *why = NULL;
	GError *error = NULL;
	CtfFastTrace t;

	if (d->live) {
		why = g_strdup("a live session (only babeltrace2 speaks lttng-live)");
	} else if (d->n_traces != 1) {
		why = g_strdup("more than one trace");
	} else {
		t = (CtfFastTrace){ d->traces[0].abs, d->traces[0].name, d->traces[0].display,
				    d->traces[0].files };
		switch (ctf_fast_decode(&t, d->want_range, d->w, &d->stats, &why, &error)) {
		case CTF_FAST_OK:
			return !d->pipe_broken;
		case CTF_FAST_FAILED:
			if (error)
				g_propagate_error(&d->stop_error, error);
			else
				d->pipe_broken = true;
			return 0;
		case CTF_FAST_UNSUPPORTED:
			break;
		}
	}
	if (d->choice == DECODER_FAST) {
		g_set_error(&d->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s' with --decoder=fast: %s (--decoder=auto "
			    "reads it with babeltrace2)",
			    d->traces[0].display, why);
		return 0;
	}
	return -1;
}

/* Scans every trace directory, builds the graph, runs it; false: stop_error set. */
static bool decode(Decoder *d)
{
	Plugins p = { 0 };
	bt_graph *graph = NULL;
	const bt_component_filter *mux = NULL;
	bool ok = false;

	for (unsigned i = 0; i < d->n_traces; i++) {
		DecTrace *t = &d->traces[i];

		if (d->live) {
			/* No stream files and no index: nothing to check them against. */
			t->files = g_new0(TraceFiles, 1);
			t->files->files = g_ptr_array_new();
		} else {
			t->files = trace_files_scan(t->abs, t->display, &d->stop_error);
		}
		if (!t->files)
			return false;
		t->group_seen = g_new0(bool, MAX(t->files->n_groups, 1));
		if (!read_perf_lost(d, i))
			return false;
	}
	g_array_sort(d->perf_lost, compare_perf_lost);
	d->next_lost = 0;
	if (d->choice != DECODER_BABELTRACE2) {
		int r;

		if (!put(d, WIRE_DECODER, &(uint8_t){ 1 }, 1))
			return false;
		r = try_fast(d);
		if (r >= 0)
			return r;
	}
	if (!put(d, WIRE_DECODER, &(uint8_t){ 0 }, 1) || !plugins_load(d, &p))
		return false;
	if (d->want_range && !d->live)
		put_range(d, &p);
	if (d->live && !live_source_check_session(p.live, d->traces[0].abs, d->traces[0].display,
						  &d->stop_error))
		goto end;
	graph = bt_graph_create(0);
	if (!graph ||
	    bt_graph_add_filter_component(graph, p.muxer, "muxer", NULL, COMPONENT_LOG_LEVEL,
					  &mux) != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		set_trace_error(d, NULL);
		goto end;
	}
	if (!add_sources(d, graph, &p, mux))
		goto end;
	if (!add_sink(d, graph, mux)) {
		set_trace_error(d, NULL);
		goto end;
	}
	if (!put(d, WIRE_READY, NULL, 0) || !wire_flush(d->w))
		goto end;
	if (!run_graph(d, graph)) {
		if (d->stop_error)
			/* Our own failure: babeltrace2's causes only say the sink gave up. */
			bt_current_thread_clear_error();
		else if (!d->pipe_broken)
			set_trace_error(d, NULL);
		goto end;
	}
	check_unread_groups(d);
	/* Losses after the last event: the replay still hears of them. */
	ok = flush_perf_lost(d, INT64_MAX) && !d->pipe_broken;

end:
	/* Borrowed class and stream pointers die with the graph. */
	g_hash_table_remove_all(d->classes);
	g_hash_table_remove_all(d->streams);
	d->last_class = NULL;
	d->last_map = NULL;
	d->last_stream = NULL;
	d->last_info = NULL;
	for (unsigned i = 0; i < d->n_traces; i++)
		d->traces[i].clock = NULL;
	BT_GRAPH_PUT_REF_AND_RESET(graph);
	plugins_release(&p);
	return ok;
}

/* ---- the child process ---- */

#if defined(__SANITIZE_ADDRESS__)
#define DECODER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DECODER_ASAN 1
#endif
#endif

/*
 * The limits the parent asked for.  Under AddressSanitizer, whose shadow
 * memory needs terabytes of address space, RLIMIT_AS cannot apply: the
 * parent sets ASAN_OPTIONS limits instead (trace-reader.c).
 */
static void apply_limits(uint64_t memory, uint64_t cpu_s, pid_t ppid)
{
	struct rlimit rl;

	/* Die with the parent, and never outlive it if it is already gone. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (ppid > 0 && getppid() != ppid)
		_exit(1);
#ifndef DECODER_ASAN
	if (memory) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)memory;
		setrlimit(RLIMIT_AS, &rl);
	}
#else
	(void)memory;
#endif
	if (cpu_s) {
		/* SIGXCPU at the soft limit, SIGKILL a little later. */
		rl.rlim_cur = (rlim_t)cpu_s;
		rl.rlim_max = (rlim_t)cpu_s + 5;
		setrlimit(RLIMIT_CPU, &rl);
	}
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	guint64 v;

	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*ret = v;
	return true;
}

int trace_decoder_main(int argc, char **argv)
{
	Decoder d = { 0 };
	uint64_t memory = 0, cpu_s = 0, ppid = 0;
	int i = 1, status = 1;
	WireRing *ring;
	WireHello hello = {
		.version = WIRE_VERSION,
		.event_size = sizeof(Event),
		.gap_size = sizeof(Gap),
		.stats_size = sizeof(TraceReaderStats),
	};

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--range") == 0)
			d.want_range = true;
		else if (strcmp(argv[i], "--live") == 0)
			d.live = true;

		else if (strcmp(argv[i], "--memory") == 0 && i + 1 < argc)
			parse_u64(argv[++i], &memory);
		else if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc)
			parse_u64(argv[++i], &cpu_s);
		else if (strcmp(argv[i], "--ppid") == 0 && i + 1 < argc)
			parse_u64(argv[++i], &ppid);
		else if (strcmp(argv[i], "--decoder") == 0 && i + 1 < argc &&
			 decoder_choice_from_name(argv[i + 1], &d.choice))
			i++;
		else
			return 2;
	}
	if (i >= argc || (argc - i - 1) % 3 != 0 || argc - i - 1 == 0)
		return 2;
	apply_limits(memory, cpu_s, (pid_t)ppid);
	if (d.live) {
		struct sigaction sa = { .sa_handler = on_live_stop };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	/* babeltrace2's own log: errors and worse, on stderr, which the parent keeps. */
	bt_logging_set_global_level(BT_LOGGING_LEVEL_ERROR);

	d.n_traces = (unsigned)(argc - i - 1) / 3;
	d.traces = g_new0(DecTrace, d.n_traces);
	for (unsigned t = 0; t < d.n_traces; t++) {
		d.traces[t].abs = argv[i + 1 + 3 * t];
		d.traces[t].name = argv[i + 2 + 3 * t];
		d.traces[t].display = argv[i + 3 + 3 * t];
	}
	if (!(ring = wire_ring_attach(DECODER_RING_FD)))
		return 2;
	d.w = wire_writer_new(DECODER_FD, ring);
	d.classes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	d.streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	d.strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d.string_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	d.perf_lost = g_array_new(FALSE, FALSE, sizeof(PerfLost));

	if (put(&d, WIRE_HELLO, &hello, sizeof(hello))) {
		if (decode(&d)) {
			put(&d, WIRE_STATS, &d.stats, sizeof(d.stats));
			put(&d, WIRE_END, NULL, 0);
			status = 0;
		} else if (d.stop_error && !d.pipe_broken) {
			put_text(&d, WIRE_ERROR, (uint32_t)d.stop_error->code,
				 d.stop_error->message);
		}
	}
	if (!wire_flush(d.w))
		status = 1;
	d.w = wire_writer_free(d.w);
	for (unsigned t = 0; t < d.n_traces; t++) {
		trace_files_free(d.traces[t].files);
		g_free(d.traces[t].group_seen);
	}
	g_free(d.traces);
	g_clear_error(&d.stop_error);
	g_hash_table_unref(d.classes);
	g_hash_table_unref(d.streams);
	g_hash_table_unref(d.string_ids);
	g_hash_table_unref(d.strings);
	g_array_unref(d.perf_lost);
	return status;
}
