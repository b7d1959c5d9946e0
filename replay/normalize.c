/*
 * Event class resolution and per-event normalisation.  The per-event path
 * (normalize_event) does no lookup by name and allocates only for a
 * procname it has never seen: every index was resolved by
 * event_class_map_init() when the class was first seen.
 */
#include "normalize.h"

#include <string.h>

#include "replay-error.h"

#include "banned.h"

/*
 * LTTng context names: the UST domain records "vtid" (the thread id in the
 * process's PID namespace), the kernel domain "tid"; both record
 * "procname" when asked to (`lttng add-context -t procname`).
 */
#define CTX_UST_TID "vtid"
#define CTX_KERNEL_TID "tid"
#define CTX_PROCNAME "procname"

/*
 * perf (`perf record -e 'swap:*'` converted by `perf data convert
 * --to-ctf`, tools/perf/util/data-convert-bt.c) names a kernel event
 * SYSTEM:NAME ("swap:swap_entry_alloc"), records no common context, puts
 * its sample fields in the payload beside the tracepoint's (perf_ip,
 * perf_tid, perf_pid, perf_id, perf_period, perf_cpu where it records
 * one; the tracepoint's common_type, common_flags, common_preempt_count
 * and common_pid too, all ignored here), keeps the CPU in the packet
 * context (cpu_id) otherwise, and widens every integer narrower than 64
 * bits to 32, keeping its signedness.  It has no procname.
 */
#define PERF_SYSTEM "swap:"
#define PERF_TID "perf_tid"
#define PERF_CPU "perf_cpu"

/*
 * The kind of an event named by any producer: LTTng's kernel domain
 * ("swap_entry_alloc"), UST ("swap:entry_alloc"), perf
 * ("swap:swap_entry_alloc", *ret_perf set).
 */
static EventKind trace_event_kind(const char *name, bool *ret_perf)
{
	static const char perf[] = PERF_SYSTEM EVENT_KERNEL_PREFIX;

	*ret_perf = strncmp(name, perf, sizeof(perf) - 1) == 0;
	if (*ret_perf)
		return event_kind_from_trace_name(name + sizeof(PERF_SYSTEM) - 1);
	return event_kind_from_trace_name(name);
}

static int32_t struct_member_index(const bt_field_class *fc, const char *name)
{
	uint64_t n;

	if (!fc || bt_field_class_get_type(fc) != BT_FIELD_CLASS_TYPE_STRUCTURE)
		return -1;
	n = bt_field_class_structure_get_member_count(fc);
	for (uint64_t i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);

		if (strcmp(bt_field_class_structure_member_get_name(m), name) == 0)
			return (int32_t)i;
	}
	return -1;
}

static const bt_field_class *struct_member_class(const bt_field_class *fc, int32_t idx)
{
	const bt_field_class_structure_member *m =
		bt_field_class_structure_borrow_member_by_index_const(fc, (uint64_t)idx);

	return bt_field_class_structure_member_borrow_field_class_const(m);
}

/*
 * Address-like fields hold an unsigned long in the kernel, 32 bits on a
 * 32-bit device; a narrower unsigned integer loses nothing there.  Every
 * other field must have exactly the schema's width.
 */
static bool width_ok(FieldId id, unsigned bits, unsigned want, bool perf)
{
	if (bits == want)
		return true;
	/* perf's converter widens u8 and s32-or-narrower to 32 bits. */
	if (perf && want < 32 && bits == 32)
		return true;
	return (id == FIELD_IP || id == FIELD_PFN) && bits == 32 && want == 64;
}

/* The payload member `name` if it is an integer, else -1. */
static int32_t integer_member_index(const bt_field_class *fc, const char *name, bool *ret_signed)
{
	int32_t idx = struct_member_index(fc, name);
	bt_field_class_type t;

	if (idx < 0)
		return -1;
	t = bt_field_class_get_type(struct_member_class(fc, idx));
	if (!bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_INTEGER))
		return -1;
	*ret_signed = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER);
	return idx;
}

/* Where the thread id and procname contexts sit, if the trace recorded them. */
static void map_contexts(EventClassMap *m, const bt_field_class *ctx)
{
	m->ctx_tid = struct_member_index(ctx, CTX_UST_TID);
	if (m->ctx_tid < 0)
		m->ctx_tid = struct_member_index(ctx, CTX_KERNEL_TID);
	m->ctx_tid_signed = false;
	if (m->ctx_tid >= 0) {
		const bt_field_class *fc = struct_member_class(ctx, m->ctx_tid);

		if (bt_field_class_type_is(bt_field_class_get_type(fc),
					   BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
			m->ctx_tid_signed = true;
		else if (!bt_field_class_type_is(bt_field_class_get_type(fc),
						 BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
			m->ctx_tid = -1; /* not an integer: not the context we know */
	}
	m->ctx_procname = struct_member_index(ctx, CTX_PROCNAME);
	if (m->ctx_procname >= 0 && bt_field_class_get_type(struct_member_class(
					    ctx, m->ctx_procname)) != BT_FIELD_CLASS_TYPE_STRING)
		m->ctx_procname = -1;
}

/*
 * The payload member index of schema field sf in event class `name`, or -1
 * with REPLAY_ERROR_SCHEMA when the class lacks it or has another type.
 */
static int32_t map_field(const bt_field_class *payload, const SchemaField *sf, int version,
			 bool perf, const char *trace, const char *name, GError **error)
{
	int32_t idx = struct_member_index(payload, sf->name);
	const bt_field_class *fc;
	bt_field_class_type t;
	bool is_signed;
	unsigned bits;

	if (idx < 0) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_SCHEMA,
			    "cannot read trace '%s': event '%s' has no field '%s' (event "
			    "schema v%d wants %s)",
			    trace, name, sf->name, version, field_type_name(sf->type));
		return -1;
	}
	fc = struct_member_class(payload, idx);
	t = bt_field_class_get_type(fc);
	if (!bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_INTEGER)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_SCHEMA,
			    "cannot read trace '%s': event '%s' field '%s' is not an integer "
			    "(event schema v%d wants %s)",
			    trace, name, sf->name, version, field_type_name(sf->type));
		return -1;
	}
	is_signed = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER);
	bits = (unsigned)bt_field_class_integer_get_field_value_range(fc);
	if (is_signed != (bool)field_type_signed(sf->type) ||
	    !width_ok(sf->id, bits, field_type_bits(sf->type), perf)) {
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_SCHEMA,
			    "cannot read trace '%s': event '%s' field '%s' is %c%u (event "
			    "schema v%d wants %s)",
			    trace, name, sf->name, is_signed ? 's' : 'u', bits, version,
			    field_type_name(sf->type));
		return -1;
	}
	return idx;
}

/*
 * The schema a producer follows shows in the event classes it declares,
 * all of them, in the metadata, before its first event: a v2-only event, or
 * a fault or state class with the first field v2 added.
 */
static int stream_class_schema_version(const bt_stream_class *sc)
{
	uint64_t n = bt_stream_class_get_event_class_count(sc);

	for (uint64_t i = 0; i < n; i++) {
		const bt_event_class *ec = bt_stream_class_borrow_event_class_by_index_const(sc, i);
		const char *name = bt_event_class_get_name(ec);
		bool perf;
		EventKind k = name ? trace_event_kind(name, &perf) : _EVENT_KIND_INVALID;
		const bt_field_class *payload;

		if (k == _EVENT_KIND_INVALID)
			continue;
		if (schema_events[k].since >= 2)
			return 2;
		payload = bt_event_class_borrow_payload_field_class_const(ec);
		if ((k == EVENT_FAULT &&
		     struct_member_index(payload, schema_fields[FIELD_CACHED].name) >= 0) ||
		    (k == EVENT_STATE &&
		     struct_member_index(payload, schema_fields[FIELD_PINNED].name) >= 0))
			return 2;
	}
	return 1;
}

bool event_class_map_init(EventClassMap *m, const bt_event_class *ec, const char *trace,
			  GError **error)
{
	const char *name = bt_event_class_get_name(ec);
	const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(ec);
	const bt_field_class *payload = bt_event_class_borrow_payload_field_class_const(ec);
	EventClassMap res;
	const FieldId *fields;
	size_t n_fields;

	res.perf = false;
	res.kind = name ? trace_event_kind(name, &res.perf) : _EVENT_KIND_INVALID;
	res.has_clock = bt_stream_class_borrow_default_clock_class_const(sc) != NULL;
	for (int f = 0; f < _FIELD_ID_MAX; f++)
		res.field[f] = -1;
	map_contexts(&res, bt_stream_class_borrow_event_common_context_field_class_const(sc));
	res.perf_tid = res.perf_cpu = -1;
	if (res.perf && res.kind != _EVENT_KIND_INVALID) {
		res.perf_tid = integer_member_index(payload, PERF_TID, &res.perf_tid_signed);
		res.perf_cpu = integer_member_index(payload, PERF_CPU, &res.perf_cpu_signed);
	}
	if (res.kind == _EVENT_KIND_INVALID) {
		*m = res;
		return true;
	}
	res.version = stream_class_schema_version(sc);
	fields = schema_event_fields(res.kind, res.version, &n_fields);
	if (!fields) {
		/* A v2-only event in a trace that looks v1 cannot be: the scan saw it. */
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_SCHEMA,
			    "cannot read trace '%s': event '%s' is not in event schema v%d", trace,
			    name, res.version);
		return false;
	}
	for (size_t i = 0; i < n_fields; i++) {
		const SchemaField *sf = &schema_fields[fields[i]];
		int32_t idx = map_field(payload, sf, res.version, res.perf, trace, name, error);

		if (idx < 0)
			return false;
		res.field[sf->id] = idx;
	}
	*m = res;
	return true;
}

static inline uint64_t get_u(const bt_field *payload, int32_t idx)
{
	return bt_field_integer_unsigned_get_value(
		bt_field_structure_borrow_member_field_by_index_const(payload, (uint64_t)idx));
}

static inline int64_t get_s(const bt_field *payload, int32_t idx)
{
	return bt_field_integer_signed_get_value(
		bt_field_structure_borrow_member_field_by_index_const(payload, (uint64_t)idx));
}

static const char *intern(GHashTable *procnames, const char *s)
{
	char *found = g_hash_table_lookup(procnames, s);

	if (!found) {
		found = g_strdup(s);
		g_hash_table_add(procnames, found);
	}
	return found;
}

void normalize_event(const EventClassMap *m, const bt_event *ev, GHashTable *procnames, Event *out)
{
	const bt_field *p = bt_event_borrow_payload_field_const(ev);
	const int32_t *f = m->field;

	memset(out, 0, sizeof(*out));
	out->kind = m->kind;
	out->tid = EVENT_TID_UNKNOWN;
	out->cpu = UINT32_MAX;

	/* Widths were checked against the schema when the class was resolved. */
	if (f[FIELD_TYPE] >= 0)
		out->type = (uint32_t)get_u(p, f[FIELD_TYPE]);
	if (f[FIELD_OFFSET] >= 0)
		out->offset = get_u(p, f[FIELD_OFFSET]);
	if (f[FIELD_NR] >= 0)
		out->nr = (uint32_t)get_u(p, f[FIELD_NR]);
	if (f[FIELD_PFN] >= 0)
		out->pfn = get_u(p, f[FIELD_PFN]);
	if (f[FIELD_COUNT] >= 0)
		out->count = (int32_t)get_s(p, f[FIELD_COUNT]);
	if (f[FIELD_RET] >= 0)
		out->ret = (int32_t)get_s(p, f[FIELD_RET]);
	if (f[FIELD_REFS] >= 0)
		out->refs = (int32_t)get_s(p, f[FIELD_REFS]);
	if (f[FIELD_NR_SLOTS] >= 0)
		out->nr_slots = get_u(p, f[FIELD_NR_SLOTS]);
	if (f[FIELD_CLUSTER_SIZE] >= 0)
		out->cluster_size = (uint32_t)get_u(p, f[FIELD_CLUSTER_SIZE]);
	if (f[FIELD_IP] >= 0)
		out->ip = get_u(p, f[FIELD_IP]);
	for (size_t i = 0; i < schema_n_flag_fields; i++) {
		const SchemaFlagField *b = &schema_flag_fields[i];

		if (m->version >= b->version && f[b->field] >= 0 && get_u(p, f[b->field]))
			out->flags |= b->flag;
	}
	if (m->version >= 2) {
		if (f[FIELD_NEW_PFN] >= 0)
			out->new_pfn = get_u(p, f[FIELD_NEW_PFN]);
		if (f[FIELD_NEW_NR] >= 0)
			out->new_nr = (uint32_t)get_u(p, f[FIELD_NEW_NR]);
		if (f[FIELD_MAPCOUNT] >= 0)
			out->mapcount = (int32_t)get_s(p, f[FIELD_MAPCOUNT]);
		if (f[FIELD_VERDICT] >= 0)
			out->verdict = (uint32_t)get_u(p, f[FIELD_VERDICT]);
	} else if (m->kind == EVENT_FAULT || m->kind == EVENT_STATE || m->kind == EVENT_DEVICE_ON) {
		out->flags |= EVENT_F_V1;
	}

	if (m->perf_tid >= 0)
		out->tid = m->perf_tid_signed ? (int32_t)get_s(p, m->perf_tid)
					      : (int32_t)get_u(p, m->perf_tid);
	if (m->perf_cpu >= 0)
		out->cpu = m->perf_cpu_signed ? (uint32_t)get_s(p, m->perf_cpu)
					      : (uint32_t)get_u(p, m->perf_cpu);
	if (m->ctx_tid >= 0 || m->ctx_procname >= 0) {
		const bt_field *ctx = bt_event_borrow_common_context_field_const(ev);

		if (m->ctx_tid >= 0)
			out->tid = m->ctx_tid_signed ? (int32_t)get_s(ctx, m->ctx_tid)
						     : (int32_t)get_u(ctx, m->ctx_tid);
		if (m->ctx_procname >= 0)
			out->procname = intern(
				procnames,
				bt_field_string_get_value(
					bt_field_structure_borrow_member_field_by_index_const(
						ctx, (uint64_t)m->ctx_procname)));
	}
}
