/*
 * source.ctf.lttng-live for the decoder (live-source.h).  Told to end when
 * the session is not found, it would also end at once, as if the session
 * were empty, for a session that never was: the relay daemon is asked for
 * its sessions first, so that a mistyped name is an error naming the ones
 * it has.
 */
#include "live-source.h"

#include <inttypes.h>
#include <string.h>

#include "replay-error.h"

#include "banned.h"

bt_value *live_source_params(const char *url)
{
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;

	if (!params)
		return NULL;
	if (bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
	    bt_value_array_append_string_element(inputs, url) !=
		    BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK ||
	    bt_value_map_insert_string_entry(params, "session-not-found-action", "end") !=
		    BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK)
		BT_VALUE_PUT_REF_AND_RESET(params);
	return params;
}

/* The "sessions" query's answer for the relay daemon at relay; NULL if it cannot be asked. */
static const bt_value *query_sessions(const bt_component_class_source *live, const char *relay)
{
	bt_value *params = bt_value_map_create();
	bt_query_executor *q = NULL;
	const bt_value *res = NULL;

	if (params && bt_value_map_insert_string_entry(params, "url", relay) ==
			      BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK)
		q = bt_query_executor_create(
			bt_component_class_source_as_component_class_const(live), "sessions",
			params);
	if (q && (bt_query_executor_query(q, &res) != BT_QUERY_EXECUTOR_QUERY_STATUS_OK ||
		  !bt_value_is_array(res)))
		BT_VALUE_PUT_REF_AND_RESET(res);
	bt_current_thread_clear_error();
	BT_QUERY_EXECUTOR_PUT_REF_AND_RESET(q);
	BT_VALUE_PUT_REF_AND_RESET(params);
	return res;
}

static const char *string_entry(const bt_value *map, const char *key)
{
	const bt_value *v = bt_value_map_borrow_entry_value_const(map, key);

	return v && bt_value_is_string(v) ? bt_value_string_get(v) : NULL;
}

bool live_source_check_session(const bt_component_class_source *live, const char *url,
			       const char *display, GError **error)
{
	const char *scheme_end = strstr(url, "://");
	const char *path = scheme_end ? strstr(scheme_end + 3, "/host/") : NULL;
	g_autofree char *relay = NULL;
	g_auto(GStrv) want = NULL;
	g_autoptr(GString) have = g_string_new(NULL);
	const bt_value *res;
	bool found = false;

	if (!path)
		return true; /* trace-reader.c checked the form; babeltrace2 says the rest */
	relay = g_strndup(url, (size_t)(path - url));
	want = g_strsplit(path + strlen("/host/"), "/", 2);
	if (g_strv_length(want) != 2)
		return true;
	res = query_sessions(live, relay);
	if (!res)
		return true;
	for (uint64_t i = 0; i < bt_value_array_get_length(res); i++) {
		const bt_value *s = bt_value_array_borrow_element_by_index_const(res, i);
		const char *host =
			s && bt_value_is_map(s) ? string_entry(s, "target-hostname") : NULL;
		const char *name = s && bt_value_is_map(s) ? string_entry(s, "session-name") : NULL;

		if (!host || !name)
			continue;
		g_string_append_printf(have, "%s'%s/%s'", have->len ? ", " : "", host, name);
		if (strcmp(host, want[0]) == 0 && strcmp(name, want[1]) == 0)
			found = true;
	}
	bt_value_put_ref(res);
	if (!found)
		g_set_error(error, REPLAY_ERROR, REPLAY_ERROR_INPUT,
			    "cannot read trace '%s': the relay daemon at '%s' has no live session "
			    "'%s/%s' (it has %s)",
			    display, relay, want[0], want[1], have->len ? have->str : "none");
	return found;
}
