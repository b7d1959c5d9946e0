/*
 * One replay, shared by `swaptrace replay` (database) and `swaptrace
 * check` (no database): trace reader -> analyzer -> outputs
 * (replay-run.c), the meta rows it writes (replay-meta.c) and the summary
 * paragraph both commands print (replay-summary.c).
 */
#ifndef SWAPTRACE_REPLAY_RUN_H
#define SWAPTRACE_REPLAY_RUN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer.h"
#include "db-writer.h"
#include "trace-reader.h"

typedef struct ReplayConfig {
	AnalyzerOptions analyzer;
	TraceReaderOptions reader; /* decoder limits, --merge */
	const char *output;	   /* database to write; NULL: none (check) */
	bool force;		   /* overwrite output */
	bool events;		   /* write every event to `events` */
	bool progress;		   /* progress line on stderr (a terminal) */
	/* Where analyzer records go when there is no database; may be NULL. */
	const ReplayOutput *out;
} ReplayConfig;

typedef struct ReplaySummary {
	TraceReaderStats stats;
	uint64_t findings[_RULE_MAX];
	uint64_t unverified[_RULE_MAX];
	uint64_t by_severity[_SEVERITY_MAX];
	uint64_t unverified_total;
	uint64_t slots;
	uint64_t devices;
	unsigned n_traces;
	bool symbolised; /* a kallsyms file was found */
} ReplaySummary;

/*
 * Replays inputs into cfg->output (or cfg->out).  Fails with the stage's
 * error; CLI_USAGE_ERROR when the output lies inside an input trace;
 * REPLAY_ERROR_INPUT when the traces hold no swap event.
 */
bool replay_traces(char *const *inputs, size_t n_inputs, const ReplayConfig *cfg,
		   ReplaySummary *ret_summary, GError **error);

/* Writes the summary of `swaptrace replay`/`check` to f (replay-summary.c). */
void replay_summary_print(const ReplaySummary *s, char *const *inputs, size_t n_inputs, FILE *f);

/* The meta rows (keys in schema/README.md), once the replay is over. */
bool replay_meta_write(DbWriter *w, const TraceReader *reader, const ReplayConfig *cfg,
		       const ReplaySummary *s, GError **error);

#endif
