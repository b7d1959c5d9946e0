/*
 * The meta rows of one replay database: versions, the traces and their CTF
 * environment, event counts, findings and the analyzer options.  The keys
 * are documented in schema/README.md, and report/report-load.c reads some
 * of them: change the three together.
 */
#include "replay-run.h"

#include "replay-config.h"

#include "banned.h"

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

bool replay_meta_write(DbWriter *w, const TraceReader *reader, const ReplayConfig *cfg,
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
	/* The schema of the recordings: "2", "1" (read with v1 meanings), or "1,2". */
	{
		g_autoptr(GString) v = g_string_new(NULL);

		for (int i = 1; i <= EVENT_SCHEMA_VERSION; i++)
			if (st->schema_versions & (1u << i))
				g_string_append_printf(v, "%s%d", v->len ? "," : "", i);
		if (v->len)
			TEXT("trace_event_schema", v->str);
		else if (!db_writer_meta_null(w, "trace_event_schema", error))
			return false;
	}
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
	if (cfg->events)
		INT("events.max_nr", db_writer_events_max_nr(w));
	INT("symbolised", s->symbolised);
#undef INT
#undef TEXT
	return true;
}
