/*
 * The GError domain of the replayer: user-caused failures (an unreadable
 * trace, a trace that breaks the event schema, a database that cannot be
 * written).  Each command prints the message once and exits 1.
 */
#ifndef SWAPTRACE_REPLAY_ERROR_H
#define SWAPTRACE_REPLAY_ERROR_H

#include <glib.h>

#define REPLAY_ERROR (replay_error_quark())

typedef enum ReplayErrorCode {
	REPLAY_ERROR_INPUT,  /* trace missing, unreadable or malformed */
	REPLAY_ERROR_SCHEMA, /* a swap event breaks event schema v1 */
	REPLAY_ERROR_OUTPUT, /* database cannot be written */
	REPLAY_ERROR_EXISTS, /* output exists and --force was not given */
} ReplayErrorCode;

GQuark replay_error_quark(void);

#endif
