/*
 * Reads one or more CTF traces: finds them (trace-reader.c), then has a
 * decoder child process (decoder.c) run the babeltrace2 graph, one
 * source.ctf.fs per trace directory, filter.utils.muxer, and a sink that
 * normalises each swap event, and hands on what the child streams back.
 * babeltrace2 types and statuses stay inside the decoder and normalize.c;
 * babeltrace2 itself stays inside the child, so that its crash, hang or
 * runaway allocation becomes an error naming the trace.
 */
#ifndef SWAPTRACE_TRACE_READER_H
#define SWAPTRACE_TRACE_READER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "event.h"

typedef struct TraceReader TraceReader;

/* Where normalized events and gaps go, in muxer order. */
typedef struct TraceReaderSink {
	void *user;
	/* Return false, with *error set, to stop the replay. */
	bool (*event)(void *user, const Event *ev, GError **error);
	bool (*gap)(void *user, const Gap *gap, GError **error);
	/* Called every few thousand events with the latest timestamp; may be NULL. */
	void (*progress)(void *user, int64_t ts_ns, uint64_t events);
} TraceReaderSink;

typedef struct TraceReaderStats {
	uint64_t events;       /* every event message, swap or not */
	uint64_t swap_events;  /* == next seq */
	uint64_t other_events; /* events of non-swap event classes */
	uint64_t per_kind[_EVENT_KIND_MAX];
	uint64_t other_classes;	   /* distinct non-swap event classes */
	uint64_t gaps;		   /* discarded-events/-packets messages */
	uint64_t discarded_events; /* sum of the counts the traces give */
	uint64_t discarded_packets;
	/* Bit v set: some swap event class follows event schema v (normalize.h). */
	uint32_t schema_versions;
	bool have_ts;
	int64_t first_ts_ns; /* of any event, valid if have_ts */
	int64_t last_ts_ns;
} TraceReaderStats;

/* One environment entry of a trace's CTF metadata. */
typedef struct TraceEnvEntry {
	char *key;
	bool is_int;
	int64_t i;
	char *s;
} TraceEnvEntry;

/* Directories below an input, and their depth, past which discovery gives up. */
#define TRACE_READER_MAX_DEPTH 16
#define TRACE_READER_MAX_DIRS 100000

/*
 * inputs: trace directories, or directories holding traces (found
 * recursively: a directory with a `metadata` file is a trace; symbolic
 * links are followed, a cycle of them is an error), as the user gave them.
 * Fails with REPLAY_ERROR_INPUT when an input is missing, is not a
 * directory, holds no trace, or nests directories deeper than
 * TRACE_READER_MAX_DEPTH.
 */
TraceReader *trace_reader_new(char *const *inputs, size_t n_inputs, GError **error);
TraceReader *trace_reader_free(TraceReader *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceReader, trace_reader_free)

/* How the decoder child runs (README.md, "Limits"). */
typedef struct TraceReaderOptions {
	/* The decoder is stopped when it sends nothing for this long; 0: never. */
	int64_t timeout_ns;
	/* Address space the decoder may use, bytes; 0: no limit. */
	uint64_t memory_bytes;
	/*
	 * Replay traces recorded on different hosts, by different LTTng
	 * sessions or against different clocks on one timeline anyway.
	 */
	bool merge;
	/* Ask for trace_reader_time_range() (the progress line). */
	bool want_range;
} TraceReaderOptions;

#define TRACE_READER_DEFAULT_TIMEOUT_NS (30 * INT64_C(1000000000))
#define TRACE_READER_DEFAULT_MEMORY (UINT64_C(4) << 30)

void trace_reader_options_init(TraceReaderOptions *opts);

/*
 * Starts the decoder and waits until babeltrace2 has opened every trace
 * (parsed its metadata, indexed its streams).  Fails with
 * REPLAY_ERROR_INPUT "cannot read trace 'NAME': REASON" (babeltrace2's
 * whole cause chain on the lines after it), or REPLAY_ERROR_SCHEMA.
 */
bool trace_reader_open(TraceReader *r, const TraceReaderOptions *opts, GError **error);

/*
 * Replays every trace to the end (trace_reader_open() first).  A
 * babeltrace2 failure, crash, hang or runaway allocation becomes
 * REPLAY_ERROR_INPUT "cannot read trace 'NAME': REASON"; a schema breach
 * REPLAY_ERROR_SCHEMA; traces that do not belong on one timeline (and no
 * opts->merge) REPLAY_ERROR_MERGE; a sink failure is passed through.
 * Data the stream files lack (stream-check.h) arrives as gaps, and as
 * warnings on stderr.
 */
bool trace_reader_run(TraceReader *r, const TraceReaderSink *sink, GError **error);

/*
 * Time span of every stream from the traces' indexes, for progress only.
 * Valid after trace_reader_open() with want_range; false when the traces
 * do not say.
 */
bool trace_reader_time_range(TraceReader *r, int64_t *ret_begin_ns, int64_t *ret_end_ns);

const TraceReaderStats *trace_reader_stats(const TraceReader *r);

/* Traces found, sorted by name; names are input basename + relative dir. */
unsigned trace_reader_n_traces(const TraceReader *r);
const char *trace_reader_trace_name(const TraceReader *r, unsigned i);
/* The trace directory as the user can reach it (for kallsyms lookup). */
const char *trace_reader_trace_dir(const TraceReader *r, unsigned i);
/* Canonical path of the input (as given by the user) trace i was found in. */
const char *trace_reader_trace_input(const TraceReader *r, unsigned i);
/* How the user can name trace i in a message: input path [/ relative dir]. */
const char *trace_reader_trace_display(const TraceReader *r, unsigned i);
/* Environment of trace i, sorted by key; empty until a stream of it was read. */
const GPtrArray *trace_reader_trace_env(const TraceReader *r, unsigned i);

#endif
