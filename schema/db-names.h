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

/* NULL for a value out of range; _*_INVALID for a name not in the table. */
const char *severity_name(Severity s);
Severity severity_from_name(const char *name);
const char *retention_verdict_name(RetentionVerdict v);
RetentionVerdict retention_verdict_from_name(const char *name);
/* gaps.kind, of GapKind (event.h) */
const char *gap_kind_name(GapKind k);
GapKind gap_kind_from_name(const char *name);

#endif
