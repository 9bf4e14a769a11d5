// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * segoff-nl: attach, configure and exercise segoff. One table of
 * subcommands, one <cmd>_main() per user/cmd_<name>.c, after wg(8).
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"

#define SEGOFF_NL_VERSION "0.1"

const char *prog_name;
int tool_json;
int tool_verbose;

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "show", show_main, "Shows the bindings held by segoff.ko" },
	{ "attach", attach_main, "Loads segoff and has segoff.ko attach it to a device" },
	{ "detach", detach_main, "Drops a device's binding" },
	{ "set", set_main, "Changes the parameters of a binding live" },
	{ "up", up_main, "Attaches a device as its configuration file says (boot)" },
	{ "down", down_main, "Detaches a device if it is bound (boot)" },
	{ "counters", counters_main, "Shows the counters of the bindings" },
	{ "monitor", monitor_main, "Prints attach and detach events until interrupted" },
	{ "segment", segment_main, "Segments a data file with the reference arithmetic" },
	{ "inject", inject_main, "Sends a data file through a device and checks the verdicts" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j] [-v] <cmd> [<args>]\n\n", prog_name);
	fprintf(f, "Available subcommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nOptions: -j JSON output, -v libbpf's log and every cut.\n");
	fprintf(f, "You may pass `--help' to any of these subcommands to view usage.\n");
}

int main(int argc, char **argv)
{
	static char *bare[] = { "show", NULL };	/* bare segoff-nl shows, as wg does */
	size_t i;

	prog_name = argv[0];
	for (argc--, argv++; argc && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-j")) {
			tool_json = 1;
		} else if (!strcmp(argv[0], "-v")) {
			tool_verbose = 1;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[0], "--version")) {
			printf("segoff-nl v%s\n", SEGOFF_NL_VERSION);
			return 0;
		} else {
			fprintf(stderr, "Invalid option: `%s'\n", argv[0]);
			usage(stderr);
			return 1;
		}
	}
	if (!argc) {
		argc = 1;
		argv = bare;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	/* a subcommand sees its own name as argv[0] */
	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].main(argc, argv);
	fprintf(stderr, "Invalid subcommand: `%s'\n", argv[0]);
	usage(stderr);
	return 1;
}
