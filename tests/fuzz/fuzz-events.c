/*
 * libFuzzer harness on the normalized event stream: bytes -> Events and
 * Gaps -> analyzer -> SQLite writer -> the report loaded back and formatted
 * (text and HTML).  Everything after babeltrace2, which the CTF mutation
 * fuzzer (ctf-mutate.py) reaches from the other side.
 *
 * Built two ways (tests/fuzz/meson.build): with clang and
 * -fsanitize=fuzzer (meson option `fuzzing`), libFuzzer drives it; without,
 * fuzz-main.c replays files or a fixed-seed run of generated inputs, which
 * the default suite runs under the sanitizers the build has.
 *
 * The input is a byte program.  Each record starts with an opcode byte:
 * mostly an event in "structured" form (small offsets, types and pfns, so
 * that events meet on the same slots and every rule gets its chance),
 * sometimes a raw one (the struct's bytes as given: absurd values, within
 * the bounds the reader enforces), sometimes a gap.  Timestamps move by
 * small steps, with now and then a jump to the ends of int64.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "analyzer.h"
#include "db-writer.h"
#include "html-report.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Input {
	const uint8_t *p;
	size_t left;
} Input;

static uint64_t take(Input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

static const char *const procnames[] = {
	NULL,
	"kswapd0",
	"stress-ng",
	"a\033[31mred\033[0m",
	"\x9b"
	"2J",
	"tab\tname",
	"",
	"\xff\xfe not utf-8",
};

static const int32_t rets[] = { 0, -EEXIST, -ENOENT, -ENOMEM, 1, -1 };

/* Timestamps: small steps, and now and then the ends of int64. */
static int64_t next_ts(Input *in, int64_t ts)
{
	uint8_t how = (uint8_t)take(in, 1);
	int64_t step = (int64_t)take(in, 2);

	switch (how % 32) {
	case 0:
		return INT64_MAX - step;
	case 1:
		return INT64_MIN + step;
	case 2:
		return ts - step; /* backwards: babeltrace2 never does it, a bug might */
	default:
		return ts > INT64_MAX - step ? INT64_MAX : ts + step;
	}
}

static void structured_event(Input *in, Event *e)
{
	uint8_t nr_code = (uint8_t)take(in, 1);

	e->type = (uint32_t)take(in, 1) % 4;
	e->offset = take(in, 2) % 2048;
	if (nr_code < 200)
		e->nr = 1u << (nr_code % 5);
	else if (nr_code < 250)
		e->nr = nr_code;
	else if (nr_code < 255)
		e->nr = 1024u << (nr_code - 250);
	else
		e->nr = EVENT_NR_MAX; /* the most the reader lets through */
	e->pfn = take(in, 1) % 16;
	e->count = (int8_t)take(in, 1);
	e->ret = rets[take(in, 1) % G_N_ELEMENTS(rets)];
	e->flags = (uint32_t)take(in, 2);
	e->refs = (int8_t)take(in, 1);
	e->ip = 0xffffffff81000000ull + take(in, 1) * 16;
	e->tid = (int32_t)take(in, 1) - 1;
	e->procname = procnames[take(in, 1) % G_N_ELEMENTS(procnames)];
	if (e->kind == EVENT_DEVICE_ON) {
		uint8_t sz = (uint8_t)take(in, 1);

		e->nr_slots = sz < 250 ? 256u * (1 + sz % 16) : UINT64_MAX >> (sz - 250);
		e->cluster_size = 1u << (take(in, 1) % 12);
	}
}

/* The struct's bytes as given, then what the reader guarantees made true. */
static void raw_event(Input *in, Event *e)
{
	uint8_t buf[sizeof(Event)];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)take(in, 1);
	memcpy(e, buf, sizeof(*e));
	e->kind = (EventKind)((unsigned)e->kind % _EVENT_KIND_MAX);
	e->procname = procnames[e->tid & 7];
	/* Mostly what a folio can be; now and then the most the reader allows. */
	e->nr = (e->nr >> 24) == 0xff ? EVENT_NR_MAX : e->nr % 4096;
	e->type %= EVENT_TYPE_MAX;
}

static char *fuzz_dir;

static void remove_dir(void)
{
	if (fuzz_dir) {
		g_rmdir(fuzz_dir);
		g_free(fuzz_dir);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Input in = { data, size };
	g_autofree char *path = NULL;
	g_autoptr(DbWriter) w = NULL;
	g_autoptr(GError) error = NULL;
	ReplayOutput out = { 0 };
	AnalyzerOptions opts;
	Analyzer *a;
	int64_t ts = 1000000;
	uint64_t seq = 0;
	bool ok = true;

	if (!fuzz_dir) {
		fuzz_dir = g_dir_make_tmp("swaptrace-fuzz-XXXXXX", NULL);
		g_assert(fuzz_dir);
		atexit(remove_dir);
	}
	path = g_build_filename(fuzz_dir, "fuzz.db", NULL);
	w = db_writer_new(path, true, true, &error);
	g_assert_no_error(error);
	db_writer_output(w, &out);
	analyzer_options_init(&opts);
	opts.stale_threshold_ns = (int64_t)take(&in, 2) * 1000;
	a = analyzer_new(&opts, &out);

	while (ok && in.left) {
		uint8_t op = (uint8_t)take(&in, 1);

		ts = next_ts(&in, ts);
		if (op >= 0xf0) {
			Gap g = {
				.kind = (GapKind)(op & 1),
				.stream = op & 2 ? "fuzz/chan_0" : "fuzz/chan_1",
				.stream_id = op & 3,
				.begin_ts_ns = op & 4 ? INT64_MIN : ts,
				.end_ts_ns =
					op & 8 ? INT64_MAX : ts + (int64_t)(take(&in, 1) << 10),
				.count = take(&in, 1),
				.after_seq = seq ? seq - 1 : SEQ_NONE,
			};

			analyzer_note_gap(a, &g);
			ok = db_writer_gap(w, &g, &error);
		} else {
			Event e = { 0 };

			e.kind = (EventKind)(op % _EVENT_KIND_MAX);
			if (op >= 0xe0)
				raw_event(&in, &e);
			else
				structured_event(&in, &e);
			e.seq = seq++;
			e.ts_ns = ts;
			e.cpu = op & 1;
			analyzer_apply(a, &e);
			ok = db_writer_event(w, &e, &error);
		}
	}
	g_assert_no_error(error);
	analyzer_finish(a, ts);
	/* What the report prints from meta: the span, and a host name from the trace. */
	ok = db_writer_meta_int(w, "schema_version", DB_SCHEMA_VERSION, &error) &&
	     db_writer_meta_int(w, "first_ts_ns", 1000000, &error) &&
	     db_writer_meta_int(w, "last_ts_ns", ts, &error) &&
	     db_writer_meta_text(w, "env.hostname", procnames[seq % G_N_ELEMENTS(procnames)],
				 &error) &&
	     db_writer_final_state(w, a, &error) && db_writer_commit(w, &error);
	g_assert_no_error(error);
	g_assert(ok);
	analyzer_free(a);
	w = db_writer_free(w);

	{
		g_autoptr(Report) r = report_load(path, true, &error);
		g_autoptr(GString) text = g_string_new(NULL);

		g_assert_no_error(error);
		report_format_text(r, 10, text);
		html_report_format(r, 10, text);
	}
	g_unlink(path);
	return 0;
}
