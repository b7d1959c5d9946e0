/*
 * The Chrome trace-event file of `swaptrace export` (export-chrome.h for
 * what it holds), built as a json-glib tree and laid out by the one JSON
 * writer, one event a line.
 */
#include "export-chrome.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "json-writer.h"

#include "banned.h"

/* Slice depths on a slot's track: each kind nests in the one before it. */
enum {
	DEPTH_LIFE,
	DEPTH_BINDING,
	DEPTH_RETENTION,
};

/* A slice before nesting: [begin, end) at a depth, and what it shows. */
typedef struct Slice {
	int64_t begin_ns, end_ns; /* from the trace start */
	int depth;
	const void *what; /* ReportSlotLife, ReportBinding or ReportSlotRetention */
	bool continued;	  /* the part of a slice after its parent ended */
	int parent;	  /* index of the slice it nests in, after nest(); -1: none */
	double end_us;	  /* its end as a viewer computes it, ts + dur (emit_slice()) */
} Slice;

typedef struct Exporter {
	const Report *r;
	JsonBuilder *b;
} Exporter;

/* ns from the trace start as the format's microseconds, keeping the ns. */
static void add_ts(JsonBuilder *b, const char *member, int64_t rel_ns)
{
	json_builder_set_member_name(b, member);
	json_builder_add_double_value(b, (double)rel_ns / 1000.0);
}

static int64_t rel(const Exporter *x, int64_t ts_ns)
{
	/* INT64_MIN: an end not in the trace, drawn at the trace's bound. */
	if (ts_ns == INT64_MIN)
		return 0;
	return report_span(x->r->begin_ts_ns, CLAMP(ts_ns, x->r->begin_ts_ns, x->r->end_ts_ns));
}

static void member_int(JsonBuilder *b, const char *name, int64_t v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, v);
}

static void member_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, v);
}

/* A seq, or null for "none". */
static void member_seq(JsonBuilder *b, const char *name, int64_t seq)
{
	json_builder_set_member_name(b, name);
	if (seq < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, seq);
}

static void member_hex(JsonBuilder *b, const char *name, int64_t v)
{
	g_autofree char *hex = g_strdup_printf("0x%" PRIx64, (uint64_t)v);

	member_str(b, name, hex);
}

/* {"ph": ph, "pid": pid, "tid": tid, "name": name, ...: the caller goes on. */
static void begin_event(JsonBuilder *b, const char *ph, int64_t pid, int64_t tid, const char *name)
{
	json_builder_begin_object(b);
	member_str(b, "ph", ph);
	member_int(b, "pid", pid);
	member_int(b, "tid", tid);
	member_str(b, "name", name);
}

/* A metadata event: process_name, thread_sort_index, ... */
static void metadata(JsonBuilder *b, int64_t pid, int64_t tid, const char *name, const char *key,
		     const char *text, int64_t number)
{
	begin_event(b, "M", pid, tid, name);
	json_builder_set_member_name(b, "args");
	json_builder_begin_object(b);
	if (text)
		member_str(b, key, text);
	else
		member_int(b, key, number);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static int64_t device_pid(int64_t type)
{
	return type + 1; /* pid 0 means "no process" to some viewers */
}

/* ---- counters ---- */

typedef struct Step {
	int64_t ts_ns;
	int delta;
} Step;

static gint step_cmp(gconstpointer a, gconstpointer b)
{
	const Step *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->delta - y->delta;
}

static void counter_sample(Exporter *x, int64_t pid, const char *name, const char *series,
			   int64_t at_ns, int64_t level)
{
	begin_event(x->b, "C", pid, 0, name);
	add_ts(x->b, "ts", at_ns);
	json_builder_set_member_name(x->b, "args");
	json_builder_begin_object(x->b);
	member_int(x->b, series, level);
	json_builder_end_object(x->b);
	json_builder_end_object(x->b);
}

/*
 * A counter of how many spans are open, one sample at the trace start and
 * one at each time the number changes (spans open at an end not in the
 * trace count from, or to, the trace's bound).
 */
static void counter(Exporter *x, int64_t pid, const char *name, const char *series,
		    const GArray *spans)
{
	g_autoptr(GArray) steps = g_array_new(FALSE, FALSE, sizeof(Step));
	int64_t level = 0;

	for (guint i = 0; i < spans->len; i++) {
		const ReportSpan *sp = &g_array_index(spans, ReportSpan, i);
		Step open = { rel(x, sp->begin_ts_ns), +1 };
		Step close = { sp->end_ts_ns == INT64_MIN ? rel(x, x->r->end_ts_ns)
							  : rel(x, sp->end_ts_ns),
			       -1 };

		if (close.ts_ns <= open.ts_ns && sp->end_ts_ns != INT64_MIN)
			continue; /* empty: never held a slot */
		g_array_append_val(steps, open);
		/* Still open at the end: the counter stays up. */
		if (sp->end_ts_ns != INT64_MIN)
			g_array_append_val(steps, close);
	}
	g_array_sort(steps, step_cmp);
	if (steps->len == 0 || g_array_index(steps, Step, 0).ts_ns > 0)
		counter_sample(x, pid, name, series, 0, 0);
	for (guint i = 0; i < steps->len;) {
		int64_t ts = g_array_index(steps, Step, i).ts_ns;

		/* One sample per time, after every change at that time. */
		while (i < steps->len && g_array_index(steps, Step, i).ts_ns == ts)
			level += g_array_index(steps, Step, i++).delta;
		counter_sample(x, pid, name, series, ts, level);
	}
}

static void devices(Exporter *x)
{
	for (guint i = 0; i < x->r->device_spans->len; i++) {
		const ReportDeviceSpans *d = g_ptr_array_index(x->r->device_spans, i);
		int64_t pid = device_pid(d->type);
		g_autofree char *name = NULL;
		int64_t nr_slots = -1;

		for (guint j = 0; j < x->r->devices->len; j++) {
			const ReportDevice *dev = g_ptr_array_index(x->r->devices, j);

			if (dev->type == d->type)
				nr_slots = dev->nr_slots;
		}
		if (nr_slots > 0)
			name = g_strdup_printf("swap device %" PRId64 " (%" PRId64 " slots)",
					       d->type, nr_slots);
		else
			name = g_strdup_printf("swap device %" PRId64, d->type);
		metadata(x->b, pid, 0, "process_name", "name", name, 0);
		metadata(x->b, pid, 0, "process_sort_index", "sort_index", NULL, d->type);
		if (!x->r->events_stored)
			metadata(x->b, pid, 0, "process_labels", "labels",
				 "replayed without --events: no swap cache bindings or events", 0);
		counter(x, pid, "slots", "in use", d->in_use);
		counter(x, pid, "swap cache", "count 0", d->cached_zero);
	}
}

/* ---- slot tracks ---- */

static gint slice_cmp(gconstpointer a, gconstpointer b)
{
	const Slice *x = a, *y = b;

	if (x->begin_ns != y->begin_ns)
		return x->begin_ns < y->begin_ns ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth - y->depth;
	if (x->end_ns != y->end_ns)
		return x->end_ns > y->end_ns ? -1 : 1;
	return 0;
}

/*
 * Viewers draw slices of one thread as a stack and drop those that
 * overlap without nesting.  Lay them out so each nests in the slice open
 * below it: a slice that outlives its parent is cut at the parent's end
 * and goes on, marked continued, from there (a folio still caching a
 * freed slot, free_cached, reads as such).  Input sorted by slice_cmp.
 */
static GArray *nest(GArray *in)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(Slice));
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(int)); /* indices into out */

	g_array_sort(in, slice_cmp);
	for (guint i = 0; i < in->len; i++) {
		Slice s = g_array_index(in, Slice, i);
		int64_t top = INT64_MAX;

		while (open->len &&
		       g_array_index(out, Slice, g_array_index(open, int, open->len - 1)).end_ns <=
			       s.begin_ns)
			g_array_set_size(open, open->len - 1);
		s.parent = open->len ? g_array_index(open, int, open->len - 1) : -1;
		if (s.parent >= 0)
			top = g_array_index(out, Slice, s.parent).end_ns;
		if (s.end_ns > top) {
			Slice rest = s;

			rest.begin_ns = top;
			rest.continued = true;
			s.end_ns = top;
			/* The rest starts later: back into the sorted input. */
			for (guint j = i + 1; j <= in->len; j++)
				if (j == in->len ||
				    slice_cmp(&rest, &g_array_index(in, Slice, j)) < 0) {
					g_array_insert_val(in, j, rest);
					break;
				}
		}
		g_array_append_val(out, s);
		g_array_append_val(open, (int){ (int)out->len - 1 });
	}
	return out;
}

static const char *verdict_cname(const char *verdict)
{
	/* Colour names of the format's reserved palette (catapult's color_scheme). */
	switch (retention_verdict_from_name(verdict)) {
	case RETENTION_LAZY:
		return "good";
	case RETENTION_STALE:
		return "terrible";
	case RETENTION_FULL:
		return "bad";
	default:
		return "grey";
	}
}

static const char *severity_cname(const char *severity)
{
	switch (severity_from_name(severity)) {
	case SEVERITY_ERROR:
		return "terrible";
	case SEVERITY_WARNING:
		return "bad";
	default:
		return "yellow";
	}
}

static void slice_args_life(JsonBuilder *b, const ReportSlotLife *l)
{
	member_seq(b, "alloc_seq", l->alloc_seq);
	member_seq(b, "free_seq", l->free_seq);
	member_int(b, "max_count", l->max_count);
	member_int(b, "swapins", l->swapins);
}

static void slice_args_retention(JsonBuilder *b, const ReportSlotRetention *x)
{
	member_str(b, "verdict", x->verdict);
	member_hex(b, "pfn", x->pfn);
	json_builder_set_member_name(b, "written");
	json_builder_add_boolean_value(b, x->written);
	member_seq(b, "start_seq", x->start_seq);
	member_seq(b, "end_seq", x->end_seq);
	if (x->start_site)
		member_str(b, "start_site", x->start_site);
	if (x->end_site)
		member_str(b, "end_site", x->end_site);
	if (x->procname)
		member_str(b, "procname", x->procname);
	if (x->tid >= 0)
		member_int(b, "tid", x->tid);
	if (x->truncated) {
		json_builder_set_member_name(b, "truncated");
		json_builder_add_boolean_value(b, true);
	}
}

/*
 * dur in microseconds such that ts + dur, as a viewer adds them in
 * doubles, ends neither after the slice's true end (a sibling starting
 * there would seem to overlap it) nor after its parent's computed end (it
 * would seem to outlive its parent, and DevTools drops such a slice).
 * Perfetto rounds ts and dur to integer ns, which this never changes.
 */
static double nested_dur_us(const Slice *s, const GArray *all)
{
	double ts = (double)s->begin_ns / 1000.0;
	double dur = (double)report_span(s->begin_ns, s->end_ns) / 1000.0;
	double limit = (double)s->end_ns / 1000.0;

	if (s->parent >= 0)
		limit = MIN(limit, g_array_index(all, Slice, s->parent).end_us);
	while (dur > 0 && ts + dur > limit)
		dur = nextafter(dur, 0);
	return dur;
}

static void emit_slice(Exporter *x, int64_t pid, int64_t tid, Slice *s, const GArray *all)
{
	double dur_us = nested_dur_us(s, all);

	JsonBuilder *b = x->b;
	const char *name, *cname, *cat;

	switch (s->depth) {
	case DEPTH_LIFE:
		name = "allocated", cname = "generic_work", cat = "lifetime";
		break;
	case DEPTH_BINDING:
		name = "swap cache", cname = "thread_state_iowait", cat = "binding";
		break;
	default:
		name = ((const ReportSlotRetention *)s->what)->verdict;
		cname = verdict_cname(name);
		cat = "retention";
		break;
	}
	if (s->depth == DEPTH_RETENTION) {
		g_autofree char *full = g_strconcat("retention: ", name, NULL);

		begin_event(b, "X", pid, tid, full);
	} else {
		begin_event(b, "X", pid, tid, name);
	}
	member_str(b, "cat", cat);
	add_ts(b, "ts", s->begin_ns);
	json_builder_set_member_name(b, "dur");
	json_builder_add_double_value(b, dur_us);
	s->end_us = (double)s->begin_ns / 1000.0 + dur_us;
	member_str(b, "cname", cname);
	json_builder_set_member_name(b, "args");
	json_builder_begin_object(b);
	if (s->continued) {
		json_builder_set_member_name(b, "continued");
		json_builder_add_boolean_value(b, true);
	}
	if (s->depth == DEPTH_LIFE) {
		slice_args_life(b, s->what);
	} else if (s->depth == DEPTH_BINDING) {
		const ReportBinding *bd = s->what;

		member_hex(b, "pfn", bd->pfn);
		member_seq(b, "begin_seq", bd->begin_seq);
		member_seq(b, "end_seq", bd->end_seq);
	} else {
		slice_args_retention(b, s->what);
	}
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void slot_slices(Exporter *x, const ReportSlot *slot, int64_t pid, int64_t tid)
{
	g_autoptr(GArray) in = g_array_new(FALSE, FALSE, sizeof(Slice));
	g_autoptr(GArray) out = NULL;

	for (guint i = 0; i < slot->lives->len; i++) {
		const ReportSlotLife *l = &g_array_index(slot->lives, ReportSlotLife, i);
		Slice s = { rel(x, l->alloc_ts_ns),
			    l->free_ts_ns == INT64_MIN ? rel(x, x->r->end_ts_ns)
						       : rel(x, l->free_ts_ns),
			    DEPTH_LIFE,
			    l,
			    false,
			    -1,
			    0 };

		g_array_append_val(in, s);
	}
	for (guint i = 0; i < slot->bindings->len; i++) {
		const ReportBinding *bd = &g_array_index(slot->bindings, ReportBinding, i);
		Slice s = { rel(x, bd->begin_ts_ns),
			    rel(x, bd->end_ts_ns),
			    DEPTH_BINDING,
			    bd,
			    false,
			    -1,
			    0 };

		g_array_append_val(in, s);
	}
	for (guint i = 0; i < slot->retention->len; i++) {
		const ReportSlotRetention *rt = g_ptr_array_index(slot->retention, i);
		Slice s = { rel(x, rt->start_ts_ns),
			    rel(x, rt->end_ts_ns),
			    DEPTH_RETENTION,
			    rt,
			    false,
			    -1,
			    0 };

		g_array_append_val(in, s);
	}
	out = nest(in);
	for (guint i = 0; i < out->len; i++)
		emit_slice(x, pid, tid, &g_array_index(out, Slice, i), out);
}

static void finding_instant(Exporter *x, const ReportFinding *f, int64_t pid, int64_t tid)
{
	JsonBuilder *b = x->b;
	g_autofree char *cat = g_strconcat("finding,", f->severity, NULL);
	g_autofree char *slots = NULL;

	/* "I", the format's first instant phase: every viewer draws it. */
	begin_event(b, "I", pid, tid, f->rule);
	member_str(b, "cat", cat);
	add_ts(b, "ts", rel(x, f->ts_ns));
	member_str(b, "s", "t");
	member_str(b, "cname", severity_cname(f->severity));
	json_builder_set_member_name(b, "args");
	json_builder_begin_object(b);
	member_str(b, "rule", f->rule);
	member_str(b, "severity", f->severity);
	member_str(b, "message", f->message);
	member_int(b, "seq", f->seq);
	member_seq(b, "setup_seq", f->setup_seq);
	if (f->nr > 1)
		slots = g_strdup_printf("%" PRId64 ":%" PRId64 "+%" PRId64, f->type, f->offset,
					f->nr);
	else
		slots = g_strdup_printf("%" PRId64 ":%" PRId64, f->type, f->offset);
	member_str(b, "slots", slots);
	member_str(b, "site", f->site ? f->site : "unknown");
	if (f->tid >= 0)
		member_int(b, "tid", f->tid);
	if (f->procname)
		member_str(b, "procname", f->procname);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void event_instant(Exporter *x, const ReportSlotEvent *e, int64_t pid, int64_t tid)
{
	JsonBuilder *b = x->b;

	begin_event(b, "I", pid, tid, e->kind);
	member_str(b, "cat", "event");
	add_ts(b, "ts", rel(x, e->ts_ns));
	member_str(b, "s", "t");
	json_builder_set_member_name(b, "args");
	json_builder_begin_object(b);
	member_int(b, "seq", e->seq);
	if (e->nr != 1)
		member_int(b, "nr", e->nr);
	if (e->pfn >= 0)
		member_hex(b, "pfn", e->pfn);
	if (e->count != INT64_MIN)
		member_int(b, "count", e->count);
	if (e->ret != INT64_MIN)
		member_int(b, "ret", e->ret);
	if (e->flags >= 0)
		member_int(b, "flags", e->flags);
	if (e->new_pfn >= 0)
		member_hex(b, "new_pfn", e->new_pfn);
	if (e->new_nr >= 0)
		member_int(b, "new_nr", e->new_nr);
	if (e->ip)
		member_hex(b, "ip", e->ip);
	if (e->tid >= 0)
		member_int(b, "tid", e->tid);
	if (e->procname)
		member_str(b, "procname", e->procname);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void slots(Exporter *x)
{
	for (guint i = 0; i < x->r->slot_tracks->len; i++) {
		const ReportSlot *s = g_ptr_array_index(x->r->slot_tracks, i);
		int64_t pid = device_pid(s->type), tid = (int64_t)i + 1;
		g_autofree char *name =
			g_strdup_printf("slot %" PRId64 ":%" PRId64, s->type, s->offset);

		metadata(x->b, pid, tid, "thread_name", "name", name, 0);
		metadata(x->b, pid, tid, "thread_sort_index", "sort_index", NULL, (int64_t)i + 1);
		slot_slices(x, s, pid, tid);
		for (guint j = 0; s->events && j < s->events->len; j++)
			event_instant(x, g_ptr_array_index(s->events, j), pid, tid);
		for (guint j = 0; j < s->findings_list->len; j++)
			finding_instant(x, g_ptr_array_index(s->findings_list, j), pid, tid);
	}
}

static void other_data(Exporter *x)
{
	JsonBuilder *b = x->b;
	g_autofree char *base = g_path_get_basename(x->r->path);

	json_builder_set_member_name(b, "otherData");
	json_builder_begin_object(b);
	member_str(b, "generator", "swaptrace export");
	member_str(b, "database", base);
	member_int(b, "trace_start_ts_ns", x->r->begin_ts_ns);
	member_int(b, "trace_end_ts_ns", x->r->end_ts_ns);
	member_str(b, "ts", "microseconds from the trace's first event");
	json_builder_set_member_name(b, "events_stored");
	json_builder_add_boolean_value(b, x->r->events_stored);
	member_int(b, "findings", x->r->findings_total);
	member_int(b, "slot_tracks", x->r->slot_tracks->len);
	member_int(b, "slots_with_findings_or_waste", x->r->slot_tracks_total);
	json_builder_end_object(b);
}

void export_chrome_format(const Report *r, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	Exporter x = { r, b };

	g_return_if_fail(r->slot_tracks && r->device_spans);
	json_builder_begin_object(b);
	member_str(b, "displayTimeUnit", "ns");
	other_data(&x);
	json_builder_set_member_name(b, "traceEvents");
	json_builder_begin_array(b);
	devices(&x);
	slots(&x);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_write(out, root);
}
