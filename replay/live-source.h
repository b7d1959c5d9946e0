/*
 * The babeltrace2 side of a live session (an lttng-live URL), for the
 * decoder child (decoder.c): source.ctf.lttng-live's parameters, and
 * whether the relay daemon serves the session at all.
 */
#ifndef SWAPTRACE_LIVE_SOURCE_H
#define SWAPTRACE_LIVE_SOURCE_H

#include <glib.h>
#include <stdbool.h>

#include <babeltrace2/babeltrace.h>

/*
 * {inputs: [url], session-not-found-action: "end"}: the graph ends when the
 * relay daemon says the session is gone; NULL if out of memory.
 */
bt_value *live_source_params(const char *url);

/*
 * Asks the relay daemon of url for its sessions (the "sessions" query of
 * live, source.ctf.lttng-live's class).  False, *error set (REPLAY_ERROR_INPUT
 * "cannot read trace 'DISPLAY': the relay daemon at ... has no live session
 * ... (it has ...)"), when it does not list url's HOSTNAME/SESSION; true
 * when it does, or cannot be asked (the graph then says why).
 */
bool live_source_check_session(const bt_component_class_source *live, const char *url,
			       const char *display, GError **error);

#endif
