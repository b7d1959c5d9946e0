/*
 * Reads one or more CTF traces through an in-process babeltrace2 graph:
 * one source.ctf.fs per trace directory, filter.utils.muxer, and a simple
 * sink that normalises each swap event and hands it on.  babeltrace2
 * types and statuses stay inside trace-reader.c and normalize.c.
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

/*
 * inputs: trace directories, or directories holding traces (found
 * recursively: a directory with a `metadata` file is a trace), as the user
 * gave them.  Fails with REPLAY_ERROR_INPUT when an input is missing or
 * holds no trace.
 */
TraceReader *trace_reader_new(char *const *inputs, size_t n_inputs, GError **error);
TraceReader *trace_reader_free(TraceReader *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceReader, trace_reader_free)

/*
 * Builds the graph and replays every trace to the end.  A babeltrace2
 * failure becomes REPLAY_ERROR_INPUT "cannot read trace 'NAME': REASON";
 * a schema breach REPLAY_ERROR_SCHEMA; a sink failure is passed through.
 */
bool trace_reader_run(TraceReader *r, const TraceReaderSink *sink, GError **error);

/*
 * Time span of every stream from the traces' indexes, for progress only.
 * Call before trace_reader_run(); false when the traces do not say.
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
/* Environment of trace i, sorted by key; empty until a stream of it was read. */
const GPtrArray *trace_reader_trace_env(const TraceReader *r, unsigned i);

#endif
