/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * segoff-nl internals: the subcommands, the global options and the
 * keyword-argument helpers they share.
 */
#ifndef _SEGOFF_TOOL_H
#define _SEGOFF_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "libsegoff.h"

extern const char *prog_name;
extern int tool_json;		/* -j */
extern int tool_verbose;	/* -v: libbpf's log, every cut */

/* one per user/cmd_<name>.c, listed in segoff-nl.c's table */
int segment_main(int argc, char **argv);
int inject_main(int argc, char **argv);
int show_main(int argc, char **argv);
int attach_main(int argc, char **argv);
int detach_main(int argc, char **argv);
int set_main(int argc, char **argv);
int counters_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int up_main(int argc, char **argv);
int down_main(int argc, char **argv);

/* ---- args.c: iproute2-style "keyword value" arguments ---- */

#define TOOL_P_EPS	SEGOFF_PARAM_F(SEGOFF_A_PARAMS_EPS)
#define TOOL_P_SCALE	SEGOFF_PARAM_F(SEGOFF_A_PARAMS_SCALE)
#define TOOL_P_ENCODING	SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING)
#define TOOL_P_PORT	SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT)
#define TOOL_P_ARITH	SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH)
#define TOOL_P_ALL	SEGOFF_PARAM_F_ALL

/* The parameters, and which of them the command line gave (SEGOFF_PARAM_F()). */
struct tool_params {
	struct segoff_params p;
	unsigned int given;
};

void tool_params_init(struct tool_params *tp);

/*
 * Consumes argv[0] argv[1] if argv[0] is the keyword of a parameter in
 * @allowed (enum tool_param_bit): returns 2, 0 for any other word, -1
 * after printing why the value is refused.
 */
int tool_params_arg(struct tool_params *tp, unsigned int allowed, int argc, char **argv);
/*
 * Merges what was given into @base (the defaults when NULL) with
 * segoff_params_merge(), leaving the result in tp->p; -1 after printing.
 */
int tool_params_config(struct tool_params *tp, const struct segoff_params *base,
		       struct segoff_config *c);

/* "keyword value": the value, or NULL after printing that it is missing */
const char *tool_value(int argc, char **argv);
int tool_parse_u32(const char *key, const char *s, uint32_t min, uint32_t max, uint32_t *out);
int tool_parse_seconds(const char *key, const char *s, double *out);
void tool_bad_arg(const char *word);

#define TOOL_EPS_STRLEN 32
/* the shortest decimal for an epsilon in SEGOFF_EPS_UNIT */
const char *tool_eps_str(uint64_t eps, char *buf);

/* cmd_segment.c: FILE's samples, at least one window of them; -1 after printing */
int tool_read_windows(const char *path, struct segoff_data *d);

/* ---- cuts.c: a segmentation, as `segment` and `inject` print it ---- */

struct tool_cuts {
	size_t windows;
	uint8_t *tag;		/* enum segoff_tag per window, 0: no verdict */
	const struct segoff_params *p;
};

/* the fields of the segment object, inside an object the caller opened */
void tool_cuts_json(const struct tool_cuts *cuts);
void tool_cuts_print(const struct tool_cuts *cuts);
size_t tool_cuts_count(const struct tool_cuts *cuts, uint8_t tag);

#endif /* _SEGOFF_TOOL_H */
