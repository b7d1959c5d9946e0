/*
 * The GError domain of trace reading: user-caused failures (an unreadable
 * trace or kallsyms file, a trace that breaks the event schema).  The
 * command prints the message once and exits 1.
 */
#ifndef SWAPTRACE_REPLAY_ERROR_H
#define SWAPTRACE_REPLAY_ERROR_H

#include <glib.h>

#define REPLAY_ERROR (replay_error_quark())

typedef enum ReplayErrorCode {
	REPLAY_ERROR_INPUT,  /* trace missing, unreadable or malformed */
	REPLAY_ERROR_SCHEMA, /* a swap event breaks the event schema */
	REPLAY_ERROR_MERGE,  /* traces from different hosts, sessions or clocks */
} ReplayErrorCode;

GQuark replay_error_quark(void);

#endif
