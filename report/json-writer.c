/*
 * The layout of json-writer.h over a json-glib tree.  json-glib's own
 * generator writes either everything on one line or one value a line with
 * `"key" : value`; neither keeps a finding on one greppable line, so the
 * layout is done here and only the escaping is json-glib's.
 */
#include "json-writer.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "banned.h"

static void write_node(GString *out, JsonGenerator *gen, JsonNode *node, unsigned depth);

/* A string, quoted and escaped by json-glib. */
static void write_string(GString *out, JsonGenerator *gen, const char *s)
{
	g_autoptr(JsonNode) node = json_node_init_string(json_node_alloc(), s);
	g_autofree char *text = NULL;

	json_generator_set_root(gen, node);
	text = json_generator_to_data(gen, NULL);
	g_string_append(out, text);
}

/* The fewest digits that read back as the same double (0.25, not 0.25000000000000000). */
static void write_double(GString *out, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	for (int digits = 1; digits <= 17; digits++) {
		char fmt[8];

		g_snprintf(fmt, sizeof(fmt), "%%.%dg", digits);
		g_ascii_formatd(buf, sizeof(buf), fmt, v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	/*
	 * %g writes 833620 as 8.3362e+05: from 1 to 1e15 the fewest fixed
	 * decimals that read back are as short and read as a number.
	 */
	if (strchr(buf, 'e') && fabs(v) >= 1 && fabs(v) < 1e15) {
		for (int decimals = 0; decimals <= 17; decimals++) {
			char fmt[8];

			g_snprintf(fmt, sizeof(fmt), "%%.%df", decimals);
			g_ascii_formatd(buf, sizeof(buf), fmt, v);
			if (g_ascii_strtod(buf, NULL) == v)
				break;
		}
	}
	g_string_append(out, buf);
}

static void write_value(GString *out, JsonGenerator *gen, JsonNode *node)
{
	switch (json_node_get_value_type(node)) {
	case G_TYPE_INT64:
		g_string_append_printf(out, "%" PRId64, (int64_t)json_node_get_int(node));
		break;
	case G_TYPE_DOUBLE:
		write_double(out, json_node_get_double(node));
		break;
	case G_TYPE_BOOLEAN:
		g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
		break;
	case G_TYPE_STRING:
		write_string(out, gen, json_node_get_string(node));
		break;
	default:
		g_assert_not_reached();
	}
}

static bool is_container(JsonNode *node)
{
	return JSON_NODE_HOLDS_OBJECT(node) || JSON_NODE_HOLDS_ARRAY(node);
}

/*
 * Must the object or array node break into one member a line?  An array
 * must when it holds an object or array; an object when it holds an array
 * or an object that must.
 */
static bool holds_containers(JsonNode *node)
{
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(array); i++)
			if (is_container(json_array_get_element(array, i)))
				return true;
		return false;
	}
	{
		g_autoptr(GList) members = json_object_get_values(json_node_get_object(node));

		/* An object of scalars inside an object (an event's args) stays inline. */
		for (GList *l = members; l; l = l->next)
			if (JSON_NODE_HOLDS_ARRAY(l->data) ||
			    (JSON_NODE_HOLDS_OBJECT(l->data) && holds_containers(l->data)))
				return true;
	}
	return false;
}

static void indent(GString *out, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		g_string_append(out, "  ");
}

/*
 * Between the items of a container: ", " on one line, or a line break
 * and the indentation of the next level.
 */
static void separate(GString *out, bool multiline, bool first, unsigned depth)
{
	if (multiline) {
		g_string_append(out, first ? "\n" : ",\n");
		indent(out, depth + 1);
	} else if (!first) {
		g_string_append(out, ", ");
	}
}

static void write_array(GString *out, JsonGenerator *gen, JsonNode *node, unsigned depth)
{
	JsonArray *array = json_node_get_array(node);
	bool multiline = holds_containers(node);
	guint n = json_array_get_length(array);

	g_string_append_c(out, '[');
	for (guint i = 0; i < n; i++) {
		separate(out, multiline, i == 0, depth);
		write_node(out, gen, json_array_get_element(array, i), depth + 1);
	}
	if (multiline && n) {
		g_string_append_c(out, '\n');
		indent(out, depth);
	}
	g_string_append_c(out, ']');
}

static void write_object(GString *out, JsonGenerator *gen, JsonNode *node, unsigned depth)
{
	JsonObject *object = json_node_get_object(node);
	bool multiline = holds_containers(node);
	JsonObjectIter it;
	const char *name;
	JsonNode *member;
	bool first = true;

	g_string_append_c(out, '{');
	/* Members in the order they were added (json-glib keeps it). */
	json_object_iter_init_ordered(&it, object);
	while (json_object_iter_next_ordered(&it, &name, &member)) {
		separate(out, multiline, first, depth);
		write_string(out, gen, name);
		g_string_append(out, ": ");
		write_node(out, gen, member, depth + 1);
		first = false;
	}
	if (multiline && !first) {
		g_string_append_c(out, '\n');
		indent(out, depth);
	}
	g_string_append_c(out, '}');
}

static void write_node(GString *out, JsonGenerator *gen, JsonNode *node, unsigned depth)
{
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		write_object(out, gen, node, depth);
		break;
	case JSON_NODE_ARRAY:
		write_array(out, gen, node, depth);
		break;
	case JSON_NODE_VALUE:
		write_value(out, gen, node);
		break;
	case JSON_NODE_NULL:
		g_string_append(out, "null");
		break;
	}
}

void json_write(GString *out, JsonNode *root)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();

	write_node(out, gen, root, 0);
	g_string_append_c(out, '\n');
}
