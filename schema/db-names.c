/*
 * The name tables of db-names.h.  schema/gen-sql-header.py reads the
 * `[CONSTANT] = "name",` rows below to expand views.sql.in: keep one row
 * per line, in that form.
 */
#include "db-names.h"

#include <string.h>

static const char *const severity_names[_SEVERITY_MAX] = {
	[SEVERITY_ERROR] = "error",
	[SEVERITY_WARNING] = "warning",
	[SEVERITY_INFO] = "info",
};

static const char *const retention_verdict_names[_RETENTION_VERDICT_MAX] = {
	[RETENTION_LAZY] = "lazy",
	[RETENTION_STALE] = "stale",
	[RETENTION_FULL] = "full",
};

static const char *const keep_reason_names[_KEEP_REASON_MAX] = {
	[KEEP_NOT_CACHED] = "not_cached", [KEEP_NOT_EXCLUSIVE] = "not_exclusive",
	[KEEP_WRITEBACK] = "writeback",	  [KEEP_KSM] = "ksm",
	[KEEP_SWAPPED] = "swapped",	  [KEEP_LRU_BATCH] = "lru_batch",
	[KEEP_EXTRA_REFS] = "extra_refs", [KEEP_UNKNOWN] = "unknown",
};

static const char *const gap_kind_names[_GAP_KIND_MAX] = {
	[GAP_DISCARDED_EVENTS] = "events",
	[GAP_DISCARDED_PACKETS] = "packets",
};

static int lookup(const char *const *names, int n, const char *name)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -EINVAL;
}

const char *severity_name(Severity s)
{
	return (unsigned)s < _SEVERITY_MAX ? severity_names[s] : NULL;
}

Severity severity_from_name(const char *name)
{
	return (Severity)lookup(severity_names, _SEVERITY_MAX, name);
}

const char *retention_verdict_name(RetentionVerdict v)
{
	return (unsigned)v < _RETENTION_VERDICT_MAX ? retention_verdict_names[v] : NULL;
}

RetentionVerdict retention_verdict_from_name(const char *name)
{
	return (RetentionVerdict)lookup(retention_verdict_names, _RETENTION_VERDICT_MAX, name);
}

const char *keep_reason_name(KeepReason r)
{
	return (unsigned)r < _KEEP_REASON_MAX ? keep_reason_names[r] : NULL;
}

KeepReason keep_reason_from_name(const char *name)
{
	return (KeepReason)lookup(keep_reason_names, _KEEP_REASON_MAX, name);
}

/* A switch, not a [CONSTANT] = "..." table: gen-sql-header.py reads those as names. */
const char *keep_reason_description(KeepReason r)
{
	switch (r) {
	case KEEP_NOT_CACHED:
		return "the mapped folio is not in the swap cache (synchronous swap-in, or a KSM "
		       "copy): nothing is kept";
	case KEEP_NOT_EXCLUSIVE:
		return "not mapped exclusively: the write goes to a COW copy in do_wp_page(), the "
		       "cached folio stays clean";
	case KEEP_WRITEBACK:
		return "the folio is under writeback: folio_free_swap() refuses";
	case KEEP_KSM:
		return "a KSM folio: should_try_to_free_swap() does not try";
	case KEEP_SWAPPED:
		return "other page tables still hold the swap entry (count > 0): folio_free_swap() "
		       "refuses";
	case KEEP_LRU_BATCH:
		return "LRU batch reference: the folio is not on an LRU list and holds one extra "
		       "reference (a per-CPU LRU batch, or isolation by reclaim or migration), "
		       "which defeats should_try_to_free_swap()'s refcount test";
	case KEEP_EXTRA_REFS:
		return "extra references (a GUP pin, isolation for reclaim or migration, a racing "
		       "lookup): should_try_to_free_swap()'s refcount test fails";
	case KEEP_UNKNOWN:
		return "no recorded input explains it (a v1 trace lacks them)";
	default:
		return NULL;
	}
}

const char *gap_kind_name(GapKind k)
{
	return (unsigned)k < _GAP_KIND_MAX ? gap_kind_names[k] : NULL;
}

GapKind gap_kind_from_name(const char *name)
{
	return (GapKind)lookup(gap_kind_names, _GAP_KIND_MAX, name);
}
