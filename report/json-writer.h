/*
 * swaptrace's one JSON writer (`check --format=json`, `diff --format=json`,
 * `export --format=chrome-json`): the caller builds a JsonNode tree with
 * json-glib's JsonBuilder, and json_write() lays it out the same way for
 * every command.  An array that holds objects or arrays, and an object
 * that holds an array, gets one member a line, indented two spaces a
 * level; an object of scalars, or of scalars and objects of scalars, stays
 * on one line, `"key": value, "args": {...}`, so each finding, metric or
 * trace event is one line a script can grep.  Strings are escaped by
 * json-glib; doubles are written in the C locale with the fewest digits
 * that read back the same.
 */
#ifndef SWAPTRACE_JSON_WRITER_H
#define SWAPTRACE_JSON_WRITER_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* Appends root, then a newline, to out. */
void json_write(GString *out, JsonNode *root);

#endif
