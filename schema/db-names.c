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

const char *gap_kind_name(GapKind k)
{
	return (unsigned)k < _GAP_KIND_MAX ? gap_kind_names[k] : NULL;
}

GapKind gap_kind_from_name(const char *name)
{
	return (GapKind)lookup(gap_kind_names, _GAP_KIND_MAX, name);
}
