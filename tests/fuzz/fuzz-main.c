/*
 * main() for the fuzz harnesses when libFuzzer is not there (gcc builds,
 * the default suite): replays the inputs named on the command line, or
 * generates --cases inputs from --seed, deterministically, and feeds each
 * to LLVMFuzzerTestOneInput().  A sanitizer report or an assertion fails
 * the run (systemd's fuzz-main.c does the same for its corpora).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	guint64 cases = 300, seed = 1, max_len = 2048, first = 0;
	g_autofree char *save = NULL;
	g_auto(GStrv) files = NULL;
	GOptionEntry entries[] = {
		{ "cases", 0, 0, G_OPTION_ARG_INT64, &cases, "Inputs to generate (default 300)",
		  "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generator (default 1)",
		  "S" },
		{ "max-len", 0, 0, G_OPTION_ARG_INT64, &max_len,
		  "Longest input generated, bytes (default 2048)", "N" },
		{ "first", 0, 0, G_OPTION_ARG_INT64, &first,
		  "Skip the generated inputs before this one", "I" },
		{ "save", 0, 0, G_OPTION_ARG_FILENAME, &save,
		  "Write each generated input to FILE before running it (the one that "
		  "failed stays there)",
		  "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "error: %s\n", error->message);
		return 2;
	}
	if (files && files[0]) {
		for (char **f = files; *f; f++) {
			g_autofree char *data = NULL;
			gsize len;

			if (!g_file_get_contents(*f, &data, &len, &error)) {
				fprintf(stderr, "error: %s\n", error->message);
				return 2;
			}
			LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		}
		printf("%u inputs replayed\n", g_strv_length(files));
		return 0;
	}
	{
		g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)seed);
		g_autofree uint8_t *buf = g_malloc(max_len + 1);

		for (guint64 i = 0; i < cases; i++) {
			/* Mostly short programs; a few long ones. */
			gsize len = (gsize)g_rand_int_range(rand, 0, (gint32)max_len + 1);

			if (i % 4)
				len /= 8;
			for (gsize k = 0; k < len; k++)
				buf[k] = (uint8_t)g_rand_int(rand);
			if (i < first)
				continue;
			if (save &&
			    !g_file_set_contents(save, (const char *)buf, (gssize)len, &error)) {
				fprintf(stderr, "error: %s\n", error->message);
				return 2;
			}
			LLVMFuzzerTestOneInput(buf, len);
		}
		printf("%" G_GUINT64_FORMAT " generated inputs (seed %" G_GUINT64_FORMAT ")\n",
		       cases, seed);
	}
	return 0;
}
