/*
 * The babeltrace2 side of the replayer (DESIGN.md §2):
 *
 *   source.ctf.fs (one per trace dir) --> filter.utils.muxer --> simple sink
 *
 * The muxer orders messages by timestamp with a stable tie-break that does
 * not depend on directory order (babeltrace2 >= 2.0 sorts stream files by
 * path and compares equal-time messages by content), so the sequence
 * numbers assigned here are the same on every run and machine (DESIGN.md
 * §6).  Statuses are turned into a GError at this boundary and nowhere
 * else.
 */
#include "trace-reader.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <babeltrace2/babeltrace.h>

#include "normalize.h"
#include "replay-error.h"

#include "banned.h"

/* Events between two progress callbacks: cheap enough to never matter. */
#define PROGRESS_EVERY 65536

typedef struct TraceInfo {
	char *display;	/* as the user can name it: input path [/ relative dir] */
	char *name;	/* input basename [/ relative dir]: what the database stores */
	char *abs;	/* canonical path, as handed to source.ctf.fs */
	char *input;	/* canonical path of the input it was found in */
	GPtrArray *env; /* TraceEnvEntry*, sorted by key */
	bool env_read;
} TraceInfo;

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
	unsigned trace; /* index into TraceReader.traces */
} PerfLost;

#define PERF_LOST_FILE "perf-lost.tsv"

typedef struct StreamInfo {
	char *name; /* trace name / stream file: stable across machines */
	uint64_t id;
	uint32_t cpu; /* from the packet context's cpu_id, UINT32_MAX if none */
	int trace;    /* index into TraceReader.traces, -1 if unmatched */
} StreamInfo;

struct TraceReader {
	GPtrArray *traces;     /* TraceInfo*, sorted by name */
	GHashTable *classes;   /* const bt_event_class* -> EventClassMap* */
	GHashTable *streams;   /* const bt_stream* -> StreamInfo* */
	GHashTable *procnames; /* interned procname strings */
	const TraceReaderSink *sink;
	GError *stop_error; /* why the sink stopped the graph */
	const bt_stream *last_stream;
	StreamInfo *last_info;
	GArray *perf_lost; /* PerfLost, in (after_ns, trace, cpu) order */
	guint next_lost;   /* the first not yet handed to the sink as a gap */
	TraceReaderStats stats;
};

static void env_entry_free(gpointer p)
{
	TraceEnvEntry *e = p;

	g_free(e->key);
	g_free(e->s);
	g_free(e);
}

static void trace_info_free(gpointer p)
{
	TraceInfo *t = p;

	g_free(t->display);
	g_free(t->name);
	g_free(t->abs);
	g_free(t->input);
	g_ptr_array_unref(t->env);
	g_free(t);
}

static void stream_info_free(gpointer p)
{
	StreamInfo *s = p;

	g_free(s->name);
	g_free(s);
}

static int compare_traces(gconstpointer a, gconstpointer b)
{
	const TraceInfo *ta = *(TraceInfo *const *)a;
	const TraceInfo *tb = *(TraceInfo *const *)b;

	return strcmp(ta->name, tb->name);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Adds dir if it is a CTF trace (holds `metadata`), else every trace below
 * it, visiting subdirectories in name order.  A trace directory is not
 * searched further: LTTng keeps nothing but streams and index/ there.
 */
static bool find_traces(TraceReader *r, const char *input, const char *display, const char *name,
			const char *dir, GError **error)
{
	g_autofree char *metadata = g_build_filename(dir, "metadata", NULL);
	g_autoptr(GPtrArray) subdirs = NULL;
	g_autoptr(GDir) d = NULL;
	GError *local = NULL;
	const char *entry;

	if (g_file_test(metadata, G_FILE_TEST_IS_REGULAR)) {
		TraceInfo *t = g_new0(TraceInfo, 1);
		char *abs = realpath(dir, NULL);

		if (!abs) {
			int errsv = errno;

			g_free(t);
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': %s", display, g_strerror(errsv));
			return false;
		}
		t->abs = g_strdup(abs);
		free(abs);
		t->display = g_strdup(display);
		t->input = g_strdup(input);
		t->name = g_strdup(name);
		t->env = g_ptr_array_new_with_free_func(env_entry_free);
		g_ptr_array_add(r->traces, t);
		return true;
	}

	d = g_dir_open(dir, 0, &local);
	if (!d) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    display, local->message);
		g_error_free(local);
		return false;
	}
	subdirs = g_ptr_array_new_with_free_func(g_free);
	while ((entry = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, entry, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			g_ptr_array_add(subdirs, g_strdup(entry));
	}
	g_ptr_array_sort(subdirs, compare_strings);
	for (guint i = 0; i < subdirs->len; i++) {
		const char *sub = subdirs->pdata[i];
		g_autofree char *sub_dir = g_build_filename(dir, sub, NULL);
		g_autofree char *sub_display = g_build_filename(display, sub, NULL);
		g_autofree char *sub_name = g_strconcat(name, "/", sub, NULL);

		if (!find_traces(r, input, sub_display, sub_name, sub_dir, error))
			return false;
	}
	return true;
}

/*
 * One trace named twice (an input and its parent, or the same path twice)
 * is read once; two traces with the same name (x/trace and y/trace) get a
 * "#2" suffix so their streams stay apart in the database.
 */
static void dedup_traces(TraceReader *r)
{
	for (guint i = 0; i < r->traces->len; i++) {
		TraceInfo *t = r->traces->pdata[i];
		bool dup = false;

		for (guint j = 0; j < i && !dup; j++)
			dup = strcmp(((TraceInfo *)r->traces->pdata[j])->abs, t->abs) == 0;
		if (dup) {
			g_ptr_array_remove_index(r->traces, i--);
			continue;
		}
		for (guint j = 0, n = 1; j < i; j++) {
			if (strcmp(((TraceInfo *)r->traces->pdata[j])->name, t->name) == 0) {
				char *name = g_strdup_printf("%s#%u", t->name, ++n);

				g_free(t->name);
				t->name = name;
				j = (guint)-1; /* the new name may collide too: start over */
			}
		}
	}
}

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
static bool read_perf_lost(TraceReader *r, unsigned i, GError **error)
{
	const TraceInfo *t = r->traces->pdata[i];
	g_autofree char *parent = g_path_get_dirname(t->abs);
	g_autofree char *path = g_build_filename(parent, PERF_LOST_FILE, NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GError *local = NULL;
	unsigned n = 0;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return true;
	if (!g_file_get_contents(path, &text, NULL, &local)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s",
			    t->display, local->message);
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
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': bad line in '%s': '%s'", t->display,
				    path, *l);
			return false;
		}
		pl.cpu = (uint32_t)cpu;
		pl.count = count;
		pl.trace = i;
		g_array_append_val(r->perf_lost, pl);
		n++;
	}
	g_debug("trace %u: %u perf lost-event records in '%s'", i, n, path);
	return true;
}

TraceReader *trace_reader_new(char *const *inputs, size_t n_inputs, GError **error)
{
	g_autoptr(TraceReader) r = g_new0(TraceReader, 1);

	r->traces = g_ptr_array_new_with_free_func(trace_info_free);
	r->classes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	r->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stream_info_free);
	r->procnames = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->perf_lost = g_array_new(FALSE, FALSE, sizeof(PerfLost));

	for (size_t i = 0; i < n_inputs; i++) {
		const char *in = inputs[i];
		struct stat st;
		char *abs;
		g_autofree char *base = NULL;
		guint before = r->traces->len;
		bool ok;

		if (stat(in, &st) < 0) {
			int errsv = errno;

			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': %s", in, g_strerror(errsv));
			return NULL;
		}
		if (!S_ISDIR(st.st_mode)) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': not a directory", in);
			return NULL;
		}
		/* The basename of the canonical path: "." and "x/" name x too. */
		abs = realpath(in, NULL);
		if (!abs) {
			int errsv = errno;

			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': %s", in, g_strerror(errsv));
			return NULL;
		}
		base = g_path_get_basename(abs);
		ok = find_traces(r, abs, in, base, in, error);
		free(abs);
		if (!ok)
			return NULL;
		if (r->traces->len == before) {
			g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': no CTF trace (directory with a "
				    "'metadata' file) in it",
				    in);
			return NULL;
		}
	}
	g_ptr_array_sort(r->traces, compare_traces);
	dedup_traces(r);
	for (guint i = 0; i < r->traces->len; i++) {
		const TraceInfo *t = g_ptr_array_index(r->traces, i);

		g_debug("trace %u: '%s' in '%s'", i, t->name, t->display);
		if (!read_perf_lost(r, i, error))
			return NULL;
	}
	g_array_sort(r->perf_lost, compare_perf_lost);
	return g_steal_pointer(&r);
}

TraceReader *trace_reader_free(TraceReader *r)
{
	if (!r)
		return NULL;
	g_clear_pointer(&r->traces, g_ptr_array_unref);
	g_clear_pointer(&r->classes, g_hash_table_unref);
	g_clear_pointer(&r->streams, g_hash_table_unref);
	g_clear_pointer(&r->procnames, g_hash_table_unref);
	g_clear_pointer(&r->perf_lost, g_array_unref);
	g_clear_error(&r->stop_error);
	g_free(r);
	return NULL;
}

const TraceReaderStats *trace_reader_stats(const TraceReader *r)
{
	return &r->stats;
}

unsigned trace_reader_n_traces(const TraceReader *r)
{
	return r->traces->len;
}

static const TraceInfo *trace_at(const TraceReader *r, unsigned i)
{
	g_assert(i < r->traces->len);
	return r->traces->pdata[i];
}

const char *trace_reader_trace_name(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->name;
}

const char *trace_reader_trace_dir(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->abs;
}

const char *trace_reader_trace_input(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->input;
}

const GPtrArray *trace_reader_trace_env(const TraceReader *r, unsigned i)
{
	return trace_at(r, i)->env;
}

/* ---- babeltrace2 errors -> GError ---- */

/*
 * Cuts babeltrace2's "name=value" fields off a cause ("Sentence: a=1, b=2"):
 * addresses and log levels mean nothing to the user.
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
 * The first cause appended is the root one and says what was wrong with
 * the trace; the later ones only say which component gave up.  The
 * message is folded into one line, without babeltrace2's fields.
 */
static char *take_bt_error_reason(char ***ret_messages)
{
	const bt_error *err = bt_current_thread_take_error();
	g_autoptr(GPtrArray) msgs = g_ptr_array_new();
	char *reason;

	if (err) {
		for (uint64_t i = 0; i < bt_error_get_cause_count(err); i++) {
			const bt_error_cause *c = bt_error_borrow_cause_by_index(err, i);

			g_ptr_array_add(msgs, g_strdup(bt_error_cause_get_message(c)));
		}
		bt_error_release(err);
	}
	if (msgs->len == 0) {
		reason = g_strdup("babeltrace2 failed without saying why");
	} else {
		reason = g_strdup(msgs->pdata[0]);
		g_strdelimit(reason, "\n", ' ');
		strip_fields(reason);
		g_strstrip(reason);
		/* Causes end with a full stop; git-style messages do not. */
		if (*reason && reason[strlen(reason) - 1] == '.')
			reason[strlen(reason) - 1] = '\0';
	}
	g_ptr_array_add(msgs, NULL);
	*ret_messages = (char **)g_ptr_array_free(g_steal_pointer(&msgs), FALSE);
	return reason;
}

/* Which trace the causes talk about, by its path; NULL if they do not say. */
static const TraceInfo *trace_named_in(const TraceReader *r, char **messages)
{
	const TraceInfo *best = NULL;

	for (char **m = messages; *m; m++) {
		for (guint i = 0; i < r->traces->len; i++) {
			const TraceInfo *t = r->traces->pdata[i];

			/* Longest match: a trace may sit inside another's parent. */
			if (strstr(*m, t->abs) && (!best || strlen(t->abs) > strlen(best->abs)))
				best = t;
		}
		if (best)
			return best;
	}
	return NULL;
}

static void set_trace_error(const TraceReader *r, const TraceInfo *t, GError **error)
{
	g_auto(GStrv) messages = NULL;
	g_autofree char *reason = take_bt_error_reason(&messages);
	g_autofree char *which = NULL;

	if (!t)
		t = trace_named_in(r, messages);
	if (!t && r->traces->len == 1)
		t = r->traces->pdata[0];
	if (t) {
		which = g_strdup(t->display);
	} else {
		g_autoptr(GPtrArray) names = g_ptr_array_new();

		for (guint i = 0; i < r->traces->len; i++)
			g_ptr_array_add(names, ((TraceInfo *)r->traces->pdata[i])->display);
		g_ptr_array_add(names, NULL);
		which = g_strjoinv("', '", (char **)names->pdata);
	}
	g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT, "cannot read trace '%s': %s", which,
		    reason);
}

/* ---- message handling (the hot path) ---- */

static int compare_env(gconstpointer a, gconstpointer b)
{
	const TraceEnvEntry *ea = *(TraceEnvEntry *const *)a;
	const TraceEnvEntry *eb = *(TraceEnvEntry *const *)b;

	return strcmp(ea->key, eb->key);
}

static void read_env(TraceInfo *t, const bt_trace *trace)
{
	uint64_t n = bt_trace_get_environment_entry_count(trace);

	t->env_read = true;
	for (uint64_t i = 0; i < n; i++) {
		const char *key;
		const bt_value *v;
		TraceEnvEntry *e;

		bt_trace_borrow_environment_entry_by_index_const(trace, i, &key, &v);
		e = g_new0(TraceEnvEntry, 1);
		e->key = g_strdup(key);
		if (bt_value_is_signed_integer(v)) {
			e->is_int = true;
			e->i = bt_value_integer_signed_get(v);
		} else if (bt_value_is_string(v)) {
			e->s = g_strdup(bt_value_string_get(v));
		} else {
			env_entry_free(e);
			continue;
		}
		g_ptr_array_add(t->env, e);
	}
	g_ptr_array_sort(t->env, compare_env);
}

static StreamInfo *stream_info_new(TraceReader *r, const bt_stream *stream)
{
	StreamInfo *s = g_new0(StreamInfo, 1);
	const char *path = bt_stream_get_name(stream);
	const TraceInfo *best = NULL;

	s->id = bt_stream_get_id(stream);
	s->cpu = UINT32_MAX;
	s->trace = -1;
	/* source.ctf.fs names a stream by its first data file's path. */
	for (guint i = 0; path && i < r->traces->len; i++) {
		const TraceInfo *t = r->traces->pdata[i];
		size_t len = strlen(t->abs);

		if (strncmp(path, t->abs, len) == 0 && path[len] == '/' &&
		    (!best || len > strlen(best->abs))) {
			best = t;
			s->trace = (int)i;
		}
	}
	if (best)
		s->name = g_strconcat(best->name, path + strlen(best->abs), NULL);
	else
		s->name = g_strdup_printf("stream-%" PRIu64, s->id);
	if (best && !best->env_read)
		read_env((TraceInfo *)best, bt_stream_borrow_trace_const(stream));
	g_hash_table_insert(r->streams, (gpointer)stream, s);
	return s;
}

static StreamInfo *stream_info(TraceReader *r, const bt_stream *stream)
{
	StreamInfo *s;

	if (stream == r->last_stream)
		return r->last_info;
	s = g_hash_table_lookup(r->streams, stream);
	if (!s)
		s = stream_info_new(r, stream);
	r->last_stream = stream;
	r->last_info = s;
	return s;
}

/*
 * A stream's StreamInfo dies with the stream: the key is a borrowed address,
 * which a stream created later (lttng-live, a source that frees ended
 * streams) may reuse.
 */
static void stream_ended(TraceReader *r, const bt_stream *stream)
{
	if (stream == r->last_stream) {
		r->last_stream = NULL;
		r->last_info = NULL;
	}
	g_hash_table_remove(r->streams, stream);
}

static void read_packet_cpu(TraceReader *r, const bt_packet *packet)
{
	StreamInfo *s = stream_info(r, bt_packet_borrow_stream_const(packet));
	const bt_field *ctx = bt_packet_borrow_context_field_const(packet);
	const bt_field *cpu;

	if (!ctx)
		return;
	cpu = bt_field_structure_borrow_member_field_by_name_const(ctx, "cpu_id");
	if (cpu && bt_field_get_class_type(cpu) == BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)
		s->cpu = (uint32_t)bt_field_integer_unsigned_get_value(cpu);
}

/* How an error message names the trace of stream s. */
static const char *stream_trace_display(const TraceReader *r, const StreamInfo *s)
{
	return s->trace >= 0 ? ((TraceInfo *)r->traces->pdata[s->trace])->display : s->name;
}

static const EventClassMap *class_map(TraceReader *r, const bt_event_class *ec, const StreamInfo *s)
{
	EventClassMap *m = g_hash_table_lookup(r->classes, ec);

	if (m)
		return m;
	m = g_new0(EventClassMap, 1);
	if (!event_class_map_init(m, ec, stream_trace_display(r, s), &r->stop_error)) {
		g_free(m);
		return NULL;
	}
	if (m->kind == _EVENT_KIND_INVALID)
		r->stats.other_classes++;
	else
		r->stats.schema_versions |= 1u << m->version;
	g_hash_table_insert(r->classes, (gpointer)ec, m);
	return m;
}

static void note_ts(TraceReader *r, int64_t ts)
{
	if (!r->stats.have_ts) {
		r->stats.have_ts = true;
		r->stats.first_ts_ns = ts;
	}
	r->stats.last_ts_ns = ts;
}

/*
 * Hands the sink, as gaps, the perf lost-event records whose loss began
 * before `ts` (INT64_MAX: all that are left): right after the last event
 * the CPU recorded before the loss, so that no event after it is trusted.
 */
static bool flush_perf_lost(TraceReader *r, int64_t ts)
{
	while (r->next_lost < r->perf_lost->len) {
		const PerfLost *pl = &g_array_index(r->perf_lost, PerfLost, r->next_lost);
		const TraceInfo *t = r->traces->pdata[pl->trace];
		g_autofree char *stream = NULL;
		Gap g;

		if (ts != INT64_MAX && pl->after_ns >= ts)
			break;
		r->next_lost++;
		stream = g_strdup_printf("%s/cpu%" PRIu32, t->name, pl->cpu);
		memset(&g, 0, sizeof(g));
		g.kind = GAP_DISCARDED_EVENTS;
		g.stream = stream;
		g.stream_id = pl->cpu;
		g.begin_ts_ns = pl->after_ns;
		g.end_ts_ns = pl->at_ns;
		g.count = pl->count;
		g.after_seq = r->stats.swap_events ? r->stats.swap_events - 1 : SEQ_NONE;
		g_debug("%s: %" PRIu64 " events lost (perf) after seq %" PRId64, g.stream, g.count,
			g.after_seq == SEQ_NONE ? (int64_t)-1 : (int64_t)g.after_seq);
		r->stats.gaps++;
		r->stats.discarded_events += pl->count;
		if (!r->sink->gap(r->sink->user, &g, &r->stop_error))
			return false;
	}
	return true;
}

static bool handle_event(TraceReader *r, const bt_message *msg)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	StreamInfo *s = stream_info(r, bt_event_borrow_stream_const(ev));
	const EventClassMap *m = class_map(r, bt_event_borrow_class_const(ev), s);
	int64_t ts = r->stats.last_ts_ns;
	Event e;

	if (!m)
		return false;
	r->stats.events++;
	if (m->has_clock) {
		const bt_clock_snapshot *cs =
			bt_message_event_borrow_default_clock_snapshot_const(msg);

		if (bt_clock_snapshot_get_ns_from_origin(cs, &ts) !=
		    BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK) {
			g_set_error(&r->stop_error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
				    "cannot read trace '%s': timestamp overflows int64 ns",
				    stream_trace_display(r, s));
			return false;
		}
		note_ts(r, ts);
		if (r->next_lost < r->perf_lost->len && !flush_perf_lost(r, ts))
			return false;
	}
	if (r->sink->progress && (r->stats.events % PROGRESS_EVERY) == 0)
		r->sink->progress(r->sink->user, ts, r->stats.events);
	if (m->kind == _EVENT_KIND_INVALID) {
		r->stats.other_events++;
		return true;
	}
	normalize_event(m, ev, r->procnames, &e);
	e.seq = r->stats.swap_events++;
	e.ts_ns = ts;
	if (e.cpu == UINT32_MAX)
		e.cpu = s->cpu;
	r->stats.per_kind[m->kind]++;
	return r->sink->event(r->sink->user, &e, &r->stop_error);
}

static int64_t snapshot_ns(const bt_clock_snapshot *cs)
{
	int64_t ns;

	if (!cs || bt_clock_snapshot_get_ns_from_origin(cs, &ns) !=
			   BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
		return INT64_MIN;
	return ns;
}

static bool handle_gap(TraceReader *r, const bt_message *msg, GapKind kind)
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
	g.stream = stream_info(r, stream)->name;
	g.stream_id = bt_stream_get_id(stream);
	g.begin_ts_ns = snapshot_ns(b);
	g.end_ts_ns = snapshot_ns(e);
	g.count = count;
	g.after_seq = r->stats.swap_events ? r->stats.swap_events - 1 : SEQ_NONE;

	g_debug("%s: %" PRIu64 " %s lost after seq %" PRId64, g.stream, count,
		kind == GAP_DISCARDED_EVENTS ? "events" : "packets",
		g.after_seq == SEQ_NONE ? (int64_t)-1 : (int64_t)g.after_seq);
	r->stats.gaps++;
	if (kind == GAP_DISCARDED_EVENTS)
		r->stats.discarded_events += count;
	else
		r->stats.discarded_packets += count;
	return r->sink->gap(r->sink->user, &g, &r->stop_error);
}

static bool handle_message(TraceReader *r, const bt_message *msg)
{
	switch (bt_message_get_type(msg)) {
	case BT_MESSAGE_TYPE_EVENT:
		return handle_event(r, msg);
	case BT_MESSAGE_TYPE_STREAM_BEGINNING:
		stream_info(r, bt_message_stream_beginning_borrow_stream_const(msg));
		return true;
	case BT_MESSAGE_TYPE_STREAM_END:
		stream_ended(r, bt_message_stream_end_borrow_stream_const(msg));
		return true;
	case BT_MESSAGE_TYPE_PACKET_BEGINNING:
		read_packet_cpu(r, bt_message_packet_beginning_borrow_packet_const(msg));
		return true;
	case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
		return handle_gap(r, msg, GAP_DISCARDED_EVENTS);
	case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
		return handle_gap(r, msg, GAP_DISCARDED_PACKETS);
	default:
		return true;
	}
}

static bt_graph_simple_sink_component_consume_func_status consume(bt_message_iterator *it,
								  void *data)
{
	TraceReader *r = data;
	bt_message_array_const msgs;
	uint64_t count;
	bool ok = true;

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
			ok = handle_message(r, msgs[i]);
		bt_message_put_ref(msgs[i]);
	}
	return ok ? BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK
		  : BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
}

/* ---- the graph ---- */

typedef struct Plugins {
	const bt_plugin *ctf;
	const bt_plugin *utils;
	const bt_component_class_source *fs;
	const bt_component_class_filter *muxer;
} Plugins;

static void plugins_release(Plugins *p)
{
	BT_PLUGIN_PUT_REF_AND_RESET(p->ctf);
	BT_PLUGIN_PUT_REF_AND_RESET(p->utils);
}

static bool plugins_load(Plugins *p, GError **error)
{
	memset(p, 0, sizeof(*p));
	if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &p->ctf) !=
		    BT_PLUGIN_FIND_STATUS_OK ||
	    bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &p->utils) !=
		    BT_PLUGIN_FIND_STATUS_OK)
		goto error;
	p->fs = bt_plugin_borrow_source_component_class_by_name_const(p->ctf, "fs");
	p->muxer = bt_plugin_borrow_filter_component_class_by_name_const(p->utils, "muxer");
	if (!p->fs || !p->muxer)
		goto error;
	return true;

error:
	bt_current_thread_clear_error();
	plugins_release(p);
	g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
		    "cannot load the babeltrace2 plugins source.ctf.fs and filter.utils.muxer "
		    "(is babeltrace2 installed?)");
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

bool trace_reader_time_range(TraceReader *r, int64_t *ret_begin_ns, int64_t *ret_end_ns)
{
	Plugins p;
	int64_t begin = INT64_MAX, end = INT64_MIN;

	if (!plugins_load(&p, NULL))
		return false;
	for (guint i = 0; i < r->traces->len; i++) {
		const TraceInfo *t = r->traces->pdata[i];
		bt_value *params = fs_params(t->abs);
		bt_query_executor *q = NULL;
		const bt_value *res = NULL;

		if (!params)
			continue;
		q = bt_query_executor_create(
			bt_component_class_source_as_component_class_const(p.fs),
			"babeltrace.trace-infos", params);
		if (q && bt_query_executor_query(q, &res) == BT_QUERY_EXECUTOR_QUERY_STATUS_OK &&
		    bt_value_is_array(res)) {
			for (uint64_t ti = 0; ti < bt_value_array_get_length(res); ti++) {
				const bt_value *tv =
					bt_value_array_borrow_element_by_index_const(res, ti);
				const bt_value *sis =
					bt_value_map_borrow_entry_value_const(tv, "stream-infos");

				for (uint64_t si = 0; sis && si < bt_value_array_get_length(sis);
				     si++) {
					const bt_value *sv =
						bt_value_array_borrow_element_by_index_const(sis,
											     si);
					const bt_value *range =
						bt_value_map_borrow_entry_value_const(sv,
										      "range-ns");
					const bt_value *b, *e;

					if (!range)
						continue;
					b = bt_value_map_borrow_entry_value_const(range, "begin");
					e = bt_value_map_borrow_entry_value_const(range, "end");
					if (b && bt_value_is_signed_integer(b))
						begin = MIN(begin, bt_value_integer_signed_get(b));
					if (e && bt_value_is_signed_integer(e))
						end = MAX(end, bt_value_integer_signed_get(e));
				}
			}
		}
		bt_current_thread_clear_error();
		BT_VALUE_PUT_REF_AND_RESET(res);
		BT_QUERY_EXECUTOR_PUT_REF_AND_RESET(q);
		BT_VALUE_PUT_REF_AND_RESET(params);
	}
	plugins_release(&p);
	if (begin > end)
		return false;
	*ret_begin_ns = begin;
	*ret_end_ns = end;
	return true;
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

/* What building the graph ran into: a babeltrace2 failure, or an unreadable trace. */
typedef enum GraphStatus {
	GRAPH_OK,
	GRAPH_BT_ERROR,
	GRAPH_TRACE_ERROR, /* *error is set, naming the trace */
} GraphStatus;

/* One source.ctf.fs per trace, each connected to the muxer. */
static GraphStatus add_sources(TraceReader *r, bt_graph *graph, const Plugins *p,
			       const bt_component_filter *mux, GError **error)
{
	for (guint i = 0; i < r->traces->len; i++) {
		const TraceInfo *t = r->traces->pdata[i];
		const bt_component_source *src = NULL;
		g_autofree char *name = g_strdup_printf("source-%u", i);
		bt_value *params = fs_params(t->abs);
		bt_graph_add_component_status st;

		if (!params)
			return GRAPH_BT_ERROR;
		st = bt_graph_add_source_component(graph, p->fs, name, params,
						   BT_LOGGING_LEVEL_NONE, &src);
		BT_VALUE_PUT_REF_AND_RESET(params);
		if (st != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
			set_trace_error(r, t, error);
			return GRAPH_TRACE_ERROR;
		}
		if (!connect_source(graph, src, mux))
			return GRAPH_BT_ERROR;
	}
	return GRAPH_OK;
}

/* The in-process sink (consume()), fed by the muxer. */
static bool add_sink(TraceReader *r, bt_graph *graph, const bt_component_filter *mux)
{
	const bt_component_sink *out = NULL;

	return bt_graph_add_simple_sink_component(graph, "swaptrace", NULL, consume, NULL, r,
						  &out) == BT_GRAPH_ADD_COMPONENT_STATUS_OK &&
	       bt_graph_connect_ports(
		       graph, bt_component_filter_borrow_output_port_by_name_const(mux, "out"),
		       bt_component_sink_borrow_input_port_by_name_const(out, "in"),
		       NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK;
}

static bool run_graph(bt_graph *graph)
{
	bt_graph_run_status run;

	do {
		run = bt_graph_run(graph);
		if (run == BT_GRAPH_RUN_STATUS_AGAIN)
			g_usleep(1000);
	} while (run == BT_GRAPH_RUN_STATUS_AGAIN);
	return run == BT_GRAPH_RUN_STATUS_OK;
}

bool trace_reader_run(TraceReader *r, const TraceReaderSink *sink, GError **error)
{
	Plugins p;
	bt_graph *graph = NULL;
	const bt_component_filter *mux = NULL;
	GraphStatus st;
	bool ok = false;

	if (!plugins_load(&p, error))
		return false;
	r->sink = sink;
	r->next_lost = 0;
	graph = bt_graph_create(0);
	if (!graph)
		goto bt_error;
	if (bt_graph_add_filter_component(graph, p.muxer, "muxer", NULL, BT_LOGGING_LEVEL_NONE,
					  &mux) != BT_GRAPH_ADD_COMPONENT_STATUS_OK)
		goto bt_error;
	st = add_sources(r, graph, &p, mux, error);
	if (st == GRAPH_TRACE_ERROR)
		goto end;
	if (st != GRAPH_OK || !add_sink(r, graph, mux) || !run_graph(graph))
		goto bt_error;
	/* Losses after the last event: the sink still hears of them. */
	ok = flush_perf_lost(r, INT64_MAX);
	if (!ok) {
		g_propagate_error(error, g_steal_pointer(&r->stop_error));
		goto end;
	}
	goto end;

bt_error:
	if (r->stop_error) {
		/* Our own failure: babeltrace2's causes only say the sink gave up. */
		bt_current_thread_clear_error();
		g_propagate_error(error, g_steal_pointer(&r->stop_error));
	} else {
		set_trace_error(r, NULL, error);
	}

end:
	/* Borrowed class and stream pointers die with the graph. */
	g_hash_table_remove_all(r->classes);
	g_hash_table_remove_all(r->streams);
	r->last_stream = NULL;
	r->last_info = NULL;
	BT_GRAPH_PUT_REF_AND_RESET(graph);
	plugins_release(&p);
	r->sink = NULL;
	return ok;
}
