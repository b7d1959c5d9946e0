/*
 * One function per `swaptrace` subcommand, one file each (git's builtin/).
 * Each returns the process exit status; argv[0] is the subcommand name.
 */
#ifndef SWAPTRACE_COMMANDS_H
#define SWAPTRACE_COMMANDS_H

/* Exit statuses shared by every subcommand, unless its --help says otherwise. */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_INPUT = 1, /* unreadable trace, bad database, write error */
	EXIT_USAGE = 2,
};

int cmd_replay(int argc, char **argv); /* cmd-replay.c */
int cmd_check(int argc, char **argv);  /* cmd-check.c */
int cmd_rules(int argc, char **argv);  /* cmd-rules.c */
int cmd_report(int argc, char **argv); /* cmd-report.c */
int cmd_diff(int argc, char **argv);   /* cmd-diff.c */

#endif
