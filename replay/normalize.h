/*
 * bt_event -> Event.  The field-name table lives in schema/event-schema.c;
 * this file maps it onto one babeltrace2 event class at a time, once, and
 * then reads events through the resolved member indices.  Kernel names
 * ("swap_entry_alloc"), UST names ("swap:entry_alloc") and perf's names of
 * kernel events ("swap:swap_entry_alloc") give one kind.
 */
#ifndef SWAPTRACE_NORMALIZE_H
#define SWAPTRACE_NORMALIZE_H

#include <babeltrace2/babeltrace.h>
#include <glib.h>
#include <stdbool.h>

#include "event.h"

/* What one event class's payload and common context look like to us. */
typedef struct EventClassMap {
	EventKind kind;		      /* _EVENT_KIND_INVALID: not a swap event */
	bool has_clock;		      /* stream class has a default clock */
	int32_t field[_FIELD_ID_MAX]; /* payload member index; -1: kind lacks it */
	int32_t ctx_tid;	      /* common-context vtid/tid member, -1 if none */
	int32_t ctx_procname;	      /* common-context procname member, -1 if none */
	bool ctx_tid_signed;
	int version;	  /* the event schema the trace's producer follows: 1 or 2 */
	bool perf;	  /* recorded by perf: "swap:swap_*", sample fields in the payload */
	int32_t perf_tid; /* payload perf_tid member, -1 if none */
	int32_t perf_cpu; /* payload perf_cpu member, -1 if none (cpu_id of the packet) */
	bool perf_tid_signed;
	bool perf_cpu_signed;
} EventClassMap;

/*
 * Resolves ec against the event schema its producer follows: v2, or v1 for
 * a recording made before v2 (told apart by the event classes of ec's
 * stream class: a v2 producer declares a v2-only event, or a fault or
 * state class with the fields v2 added).  A swap event class that lacks a
 * field of its schema, or carries it with another signedness or width,
 * fails with REPLAY_ERROR_SCHEMA naming the event class, the field and
 * trace.  A class that is not a swap event resolves to kind
 * _EVENT_KIND_INVALID.
 */
bool event_class_map_init(EventClassMap *m, const bt_event_class *ec, const char *trace,
			  GError **error);

/*
 * Fills everything but seq and ts_ns, which belong to the message, and cpu
 * unless the event carries one (perf_cpu): UINT32_MAX is left for the
 * stream's packet context to fill.  procnames interns procname strings (key == value, owned by the
 * table); only a procname seen for the first time allocates.
 */
void normalize_event(const EventClassMap *m, const bt_event *ev, GHashTable *procnames, Event *out);

#endif
