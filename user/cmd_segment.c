// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * segment FILE: the verdicts of the reference arithmetic, i.e. what the
 * data path must answer for every window of FILE with these parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tool.h"

#define SEGMENT_PARAMS (TOOL_P_EPS | TOOL_P_SCALE | TOOL_P_ENCODING | TOOL_P_ARITH)

static void segment_usage(FILE *f, const char *name)
{
	fprintf(f, "Usage: %s %s FILE [eps E] [arith exact|seed] [scale S] "
		"[encoding fixed|double]\n", prog_name, name);
}

/* Reads FILE, checking it holds at least one window; -1 after printing. */
int tool_read_windows(const char *path, struct segoff_data *d)
{
	char err[512];

	if (segoff_data_read(path, d, err, sizeof(err))) {
		fprintf(stderr, "Unable to read data: %s\n", err);
		return -1;
	}
	if (d->n < SEGOFF_SAMPLES) {
		fprintf(stderr, "Unable to read data: %s: %zu samples, a window needs %d\n",
			path, d->n, SEGOFF_SAMPLES);
		segoff_data_free(d);
		return -1;
	}
	return 0;
}

int segment_main(int argc, char **argv)
{
	struct tool_params tp;
	struct segoff_config c;
	struct segoff_data d;
	struct tool_cuts cuts;
	const char *path;
	size_t i;
	int n, why;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		segment_usage(argc < 2 ? stderr : stdout, argv[0]);
		return argc < 2;
	}
	path = argv[1];
	tool_params_init(&tp);
	for (argc -= 2, argv += 2; argc; argc -= n, argv += n) {
		n = tool_params_arg(&tp, SEGMENT_PARAMS, argc, argv);
		if (n < 0)
			return 1;
		if (!n) {
			tool_bad_arg(argv[0]);
			return 1;
		}
	}
	if (tool_params_config(&tp, NULL, &c) || tool_read_windows(path, &d))
		return 1;

	cuts.windows = d.n - SEGOFF_SAMPLES + 1;
	cuts.p = &tp.p;
	cuts.tag = malloc(cuts.windows);
	if (!cuts.tag) {
		perror("Unable to allocate verdicts");
		segoff_data_free(&d);
		return 1;
	}
	for (i = 0; i < cuts.windows; i++)
		cuts.tag[i] = (uint8_t)segoff_ref_window(d.x + i, &c, &why);

	if (tool_json) {
		json_obj_open(NULL);
		tool_cuts_json(&cuts);
		json_obj_close();
	} else {
		tool_cuts_print(&cuts);
	}
	free(cuts.tag);
	segoff_data_free(&d);
	return 0;
}
