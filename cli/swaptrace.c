/*
 * swaptrace: one command, one table of subcommands (git.c), each in its own
 * file and declared in commands.h.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "decoder.h"
#include "replay-config.h"

#include "banned.h"

typedef struct Command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} Command;

static const Command commands[] = {
	{ "replay", cmd_replay, "replay traces into an SQLite database" },
	{ "check", cmd_check, "replay traces and print rule violations (no database)" },
	{ "rules", cmd_rules, "list the rules, their severity and what they check" },
	{ "report", cmd_report, "summarise a replayed database" },
	{ "diff", cmd_diff, "compare two replayed databases" },
	{ "export", cmd_export, "write a replayed database for trace viewers (Perfetto)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: swaptrace <command> [<args>]\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "   %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'swaptrace <command> --help' describes a command.\n"
		   "Exit status, every command: 0 success; 1 the answer is bad (check:\n"
		   "error findings, diff: a regression); 2 usage error, or an input that\n"
		   "cannot be read or an output that cannot be written.\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	/* The babeltrace2 decoder child of a replay (replay/decoder.h), not a command. */
	if (argc >= 2 && strcmp(argv[1], DECODER_ARG) == 0)
		return trace_decoder_main(argc - 1, argv + 1);
	/*
	 * The user's locale for messages and --help, but C numbers: nothing
	 * the replay writes may depend on where it runs.
	 */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	g_set_prgname("swaptrace");
	cli_log_init();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("swaptrace %s\n", SWAPTRACE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("'%s' is not a swaptrace command\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
