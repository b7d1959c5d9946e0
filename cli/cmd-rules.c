/*
 * swaptrace rules: the rule table (analyzer/rules.c), one rule a line.
 */
#include <stdio.h>

#include <glib.h>

#include "cli.h"
#include "commands.h"
#include "rules.h"

#include "banned.h"

int cmd_rules(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);

	g_option_context_set_summary(ctx, "List the rules swaptrace checks: name, severity, "
					  "description (DESIGN.md section 4).");
	g_option_context_set_description(ctx, "Exit status: 0 success, 2 usage error.");
	if (!cli_parse(ctx, "rules", "Also say what unknown fact keeps each rule from firing",
		       &argc, &argv))
		return EXIT_USAGE;
	if (argc > 1)
		return cli_usage_error("rules", "unexpected argument '%s'", argv[1]);
	for (int r = 0; r < _RULE_MAX; r++) {
		const RuleInfo *ri = &rule_table[r];

		printf("%-22s %-8s %s\n", ri->name, severity_name(ri->severity), ri->description);
		if (cli_verbose() && ri->unverifiable)
			printf("%-22s %-8s unverified when: %s\n", "", "", ri->unverifiable);
	}
	return EXIT_OK;
}
