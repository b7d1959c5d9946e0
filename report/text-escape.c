/*
 * Escaping of trace-controlled text for terminals (text-escape.h).
 */
#include "text-escape.h"

#include <stdint.h>
#include <string.h>

#include "banned.h"

void text_escape_append(GString *out, const char *s, bool keep_newlines)
{
	const char *p = s;

	while (*p) {
		const unsigned char c = (unsigned char)*p;
		gunichar u;
		const char *next;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && !(c == '\n' && keep_newlines)) || c == 0x7f)
				g_string_append_printf(out, "\\x%02x", c);
			else
				g_string_append_c(out, (char)c);
			p++;
			continue;
		}
		u = g_utf8_get_char_validated(p, -1);
		if (u == (gunichar)-1 || u == (gunichar)-2 || (u >= 0x80 && u <= 0x9f)) {
			/* Not UTF-8, or a C1 control (CSI is 0x9b): byte by byte. */
			next = (u == (gunichar)-1 || u == (gunichar)-2) ? p + 1
									: g_utf8_next_char(p);
			for (; p < next; p++)
				g_string_append_printf(out, "\\x%02x", (unsigned char)*p);
			continue;
		}
		next = g_utf8_next_char(p);
		g_string_append_len(out, p, next - p);
		p = next;
	}
}

char *text_escape(const char *s, bool keep_newlines)
{
	GString *out;

	if (!s)
		return NULL;
	out = g_string_sized_new(strlen(s) + 8);
	text_escape_append(out, s, keep_newlines);
	return g_string_free(out, FALSE);
}
