/*
 * One function per `swaptrace` subcommand, one file each (git's builtin/).
 * Each returns the process exit status; argv[0] is the subcommand name.
 */
#ifndef SWAPTRACE_COMMANDS_H
#define SWAPTRACE_COMMANDS_H

/*
 * The one exit-status convention of every subcommand (README.md, the man
 * pages; tests/cli/test-exit.sh checks each command), that of diff(1),
 * cmp(1) and grep(1): 0 all is well, 1 the answer is "bad", 2 trouble.
 */
enum {
	EXIT_OK = 0,
	EXIT_FOUND = 1,		/* check: error findings; diff: a regression; no other command */
	EXIT_FAILURE_INPUT = 2, /* unreadable trace or database, output not written */
	EXIT_USAGE = 2,		/* bad option or argument */
};

int cmd_replay(int argc, char **argv); /* cmd-replay.c */
int cmd_check(int argc, char **argv);  /* cmd-check.c */
int cmd_rules(int argc, char **argv);  /* cmd-rules.c */
int cmd_report(int argc, char **argv); /* cmd-report.c */
int cmd_diff(int argc, char **argv);   /* cmd-diff.c */
int cmd_export(int argc, char **argv); /* cmd-export.c */

#endif
