/*
 * The names the output database stores for the enums that are not event
 * kinds (those are in event-schema.h), one table each, shared by C and
 * SQL.  C reads them through the functions below; schema/views.sql.in
 * spells a name as @CONSTANT@ (@RETENTION_STALE@), which
 * schema/gen-sql-header.py replaces at build time with the quoted name it
 * reads from db-names.c ('stale'), so a view cannot spell a verdict
 * differently from the code that writes it.
 *
 * Pure C11, no GLib, like event-schema.h.
 */
#ifndef SWAPTRACE_DB_NAMES_H
#define SWAPTRACE_DB_NAMES_H

#include <errno.h>

#include "event.h"

/* findings.severity, rule_stats.severity */
typedef enum Severity {
	SEVERITY_ERROR,
	SEVERITY_WARNING,
	SEVERITY_INFO,
	_SEVERITY_MAX,
	_SEVERITY_INVALID = -EINVAL,
} Severity;

/* retention.verdict: why a slot stayed cached with count 0 (analyzer/retention.h) */
typedef enum RetentionVerdict {
	RETENTION_LAZY,	 /* by design: clean folio kept for cheap re-reclaim */
	RETENTION_STALE, /* cached folio was written: device copy is stale */
	RETENTION_FULL,	 /* device over half full (vm_swap_full()) */
	_RETENTION_VERDICT_MAX,
	_RETENTION_VERDICT_INVALID = -EINVAL,
} RetentionVerdict;

/*
 * retention.keep_reason, write_faults.reason: why a write swap-in fault left
 * the folio in the swap cache, derived from the swap_fault event's inputs
 * (analyzer/keep-reason.c, in this order of precedence).
 */
typedef enum KeepReason {
	KEEP_NOT_CACHED, /* the mapped folio is not in the swap cache (synchronous or KSM copy) */
	KEEP_NOT_EXCLUSIVE, /* not exclusive: the write goes to a COW copy, the cached one stays clean */
	KEEP_WRITEBACK,	 /* the folio is under writeback */
	KEEP_KSM,	 /* a KSM folio */
	KEEP_SWAPPED,	 /* other page tables still hold the entry (count > 0) */
	KEEP_LRU_BATCH,	 /* not on an LRU list with one extra reference: an LRU batch holds it */
	KEEP_EXTRA_REFS, /* other extra references (GUP pins, isolation, ...) */
	KEEP_UNKNOWN,	 /* none of the above shows (v1 traces lack the inputs) */
	_KEEP_REASON_MAX,
	_KEEP_REASON_INVALID = -EINVAL,
} KeepReason;

/* NULL for a value out of range; _*_INVALID for a name not in the table. */
const char *severity_name(Severity s);
Severity severity_from_name(const char *name);
const char *retention_verdict_name(RetentionVerdict v);
RetentionVerdict retention_verdict_from_name(const char *name);
const char *keep_reason_name(KeepReason r);
KeepReason keep_reason_from_name(const char *name);
/* A sentence a kernel developer recognises, for reports. */
const char *keep_reason_description(KeepReason r);
/* gaps.kind, of GapKind (event.h) */
const char *gap_kind_name(GapKind k);
GapKind gap_kind_from_name(const char *name);

#endif
