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

/* the port is the data path's business: segment sends nothing */
#define SEGMENT_PARAMS (SEGOFF_PARAM_F_ALL & ~SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT))

struct segment {
	const char *path, *plot;
	struct tool_params tp;
};

static const struct tool_opt segment_opts[] = {
	TOOL_OPT(NULL, "FILE", TOOL_OPT_STR, struct segment, path,
		 TOOL_OPT_REQUIRED | TOOL_OPT_POSITIONAL),
	TOOL_OPT_PARAMS_OF(struct segment, tp, SEGMENT_PARAMS),
	TOOL_OPT("plot", "OUT.svg", TOOL_OPT_STR, struct segment, plot),
	TOOL_OPT_END
};

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
	struct segment sg = { 0 };
	struct segoff_config c;
	struct segoff_data d;
	struct tool_cuts cuts;
	size_t i;
	int ret, why;

	ret = tool_opts_parse(segment_opts, &sg, argc, argv);
	if (ret)
		return ret < 0;
	if (tool_params_config(&sg.tp, NULL, &c) || tool_read_windows(sg.path, &d))
		return 1;

	cuts.windows = d.n - SEGOFF_SAMPLES + 1;
	cuts.p = &sg.tp.p;
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
	ret = sg.plot && tool_cuts_plot(&cuts, d.x, d.n, basename(sg.path), sg.plot);
	free(cuts.tag);
	segoff_data_free(&d);
	return ret;
}
