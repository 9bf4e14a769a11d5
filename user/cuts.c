// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A segmentation as segment and inject print it: window i decides the cut
 * between samples i+7 and i+8, so the cuts are listed by window index.
 * The text output lists the first few (every one with -v) and a summary:
 * a data set of thousands of samples has hundreds of cuts, which is for
 * -j, -v or a plot, not for a terminal.
 */
#include <stdio.h>

#include "json.h"
#include "tool.h"

size_t tool_cuts_count(const struct tool_cuts *cuts, uint8_t tag)
{
	size_t i, n = 0;

	for (i = 0; i < cuts->windows; i++)
		n += cuts->tag[i] == tag;
	return n;
}

void tool_cuts_json(const struct tool_cuts *cuts)
{
	char eps[TOOL_EPS_STRLEN];
	size_t i;

	json_u64("windows", cuts->windows);
	json_u64("splits", tool_cuts_count(cuts, SEGOFF_TAG_SPLIT));
	json_u64("invalid", tool_cuts_count(cuts, SEGOFF_TAG_INVALID));
	json_arr_open("split_windows");
	for (i = 0; i < cuts->windows; i++)
		if (cuts->tag[i] == SEGOFF_TAG_SPLIT)
			json_u64(NULL, i);
	json_arr_close();
	json_str("eps", tool_eps_str(cuts->p->eps, eps));
	json_u64("scale", cuts->p->scale);
	json_str("arith", segoff_arith_name(cuts->p->arith));
}

#define CUTS_SHOWN	5	/* lines of cuts and invalid windows without -v */

void tool_cuts_print(const struct tool_cuts *cuts)
{
	const struct segoff_params *p = cuts->p;
	char eps[TOOL_EPS_STRLEN];
	size_t i, shown = 0, more = 0;

	for (i = 0; i < cuts->windows; i++) {
		if (cuts->tag[i] != SEGOFF_TAG_SPLIT && cuts->tag[i] != SEGOFF_TAG_INVALID)
			continue;
		if (!tool_verbose && shown == CUTS_SHOWN) {
			more++;
			continue;
		}
		shown++;
		if (cuts->tag[i] == SEGOFF_TAG_SPLIT)
			printf("window %zu: cut between samples %zu and %zu\n", i, i + 7, i + 8);
		else
			printf("window %zu: invalid (a sample is not evaluable)\n", i);
	}
	if (more)
		printf("... and %zu more (-v lists them all, -j gives split_windows)\n", more);
	printf("%zu windows: %zu splits, %zu no split, %zu invalid "
	       "(eps %s, scale %u, arith %s, encoding %s)\n",
	       cuts->windows, tool_cuts_count(cuts, SEGOFF_TAG_SPLIT),
	       tool_cuts_count(cuts, SEGOFF_TAG_NOSPLIT), tool_cuts_count(cuts, SEGOFF_TAG_INVALID),
	       tool_eps_str(p->eps, eps), p->scale, segoff_arith_name(p->arith),
	       segoff_encoding_name(p->encoding));
}
