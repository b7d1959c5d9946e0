/*
 * The rule table (DESIGN.md §4): name, severity and one-sentence
 * description of every rule.  Names are exactly those of DESIGN.md so C,
 * SQL and reports agree.
 */
#ifndef SWAPTRACE_RULES_H
#define SWAPTRACE_RULES_H

#include <errno.h>

#include "db-names.h"

typedef enum Rule {
	RULE_ALLOC_IN_USE,
	RULE_ALLOC_MISALIGNED,
	RULE_DUP_UNALLOCATED,
	RULE_PUT_UNALLOCATED,
	RULE_PUT_UNDERFLOW,
	RULE_DUP_UNCACHED,
	RULE_PUT_UNCACHED,
	RULE_CACHE_ADD_OCCUPIED,
	RULE_CACHE_ADD_ZERO_COUNT,
	RULE_CACHE_DEL_MISMATCH,
	RULE_FREE_REFERENCED,
	RULE_FREE_CACHED,
	RULE_FREE_UNALLOCATED,
	RULE_COUNT_MISMATCH,
	RULE_SLOT_LEAK,
	RULE_RETENTION_STALE,
	RULE_RETENTION_FULL,
	RULE_WP_ROUNDTRIP,
	RULE_SWAPIN_RACE,
	RULE_CACHE_MOVE_MISMATCH,
	RULE_LAZYFREE_SWAPPED,
	_RULE_MAX,
	_RULE_INVALID = -EINVAL,
} Rule;

typedef struct RuleInfo {
	Rule rule;
	const char *name; /* "put_underflow" */
	Severity severity;
	const char *description;  /* one sentence */
	const char *unverifiable; /* what unknown fact makes it not fire */
} RuleInfo;

extern const RuleInfo rule_table[_RULE_MAX];

const char *rule_name(Rule r);
Rule rule_from_name(const char *name);

#endif
