/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * segoff-nl internals: the subcommands, the global options and the option
 * tables they parse their arguments with. Kernel I/O is client.h's.
 */
#ifndef _SEGOFF_TOOL_H
#define _SEGOFF_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* The parameters, and which of them the command line gave (SEGOFF_PARAM_F()). */
struct tool_params {
	struct segoff_params p;
	unsigned int given;
};

enum tool_opt_kind {
	TOOL_OPT_STR,		/* const char * */
	TOOL_OPT_U32,		/* uint32_t in min..max */
	TOOL_OPT_SECONDS,	/* double, 0..a day; min 1: more than 0 */
	TOOL_OPT_FLAG,		/* int set to 1, no value */
	TOOL_OPT_MODE,		/* uint32_t, enum segoff_mode */
	TOOL_OPT_PARAMS,	/* struct tool_params: the parameters in @max (a mask) */
};

#define TOOL_OPT_REQUIRED	1
#define TOOL_OPT_POSITIONAL	2	/* no keyword: the value comes first */

/*
 * One option of a subcommand: parsed by tool_opts_parse(), which also
 * writes the usage line from the same table, so the two cannot disagree.
 */
struct tool_opt {
	const char *key;
	const char *meta;		/* the value in the usage text */
	enum tool_opt_kind kind;
	size_t off;			/* of the field in the command's struct */
	unsigned int flags;		/* TOOL_OPT_REQUIRED, TOOL_OPT_POSITIONAL */
	uint32_t min, max;
};

/* then flags, min, max if any */
#define TOOL_OPT(k, m, kd, type, field, ...) \
	{ .key = k, .meta = m, .kind = kd, .off = offsetof(type, field), __VA_ARGS__ }
#define TOOL_OPT_PARAMS_OF(type, field, mask) \
	{ .kind = TOOL_OPT_PARAMS, .off = offsetof(type, field), .max = mask }
#define TOOL_OPT_END { .key = NULL }

/*
 * Parses argv[1..] (argv[0] is the subcommand) into @cfg: 0; 1 after
 * printing the usage for `help` or `--help`; -1 after printing why and the
 * usage. Parameters start from the defaults, with none given.
 */
int tool_opts_parse(const struct tool_opt *opts, void *cfg, int argc, char **argv);
void tool_usage(FILE *f, const char *cmd, const struct tool_opt *opts);

int tool_parse_u32(const char *key, const char *s, uint32_t min, uint32_t max, uint32_t *out);
int tool_parse_seconds(const char *key, const char *s, double *out);

/*
 * Merges what was given into @base (the defaults when NULL) with
 * segoff_params_merge(), leaving the result in tp->p; -1 after printing.
 */
int tool_params_config(struct tool_params *tp, const struct segoff_params *base,
		       struct segoff_config *c);

#define TOOL_EPS_STRLEN 32
/* the shortest decimal for an epsilon in SEGOFF_EPS_UNIT */
const char *tool_eps_str(uint64_t eps, char *buf);
/* one parameter's value as the command line spells it: "0.1", "fixed", "1000" */
const char *tool_param_value(const struct segoff_params *p, const struct segoff_param_text *t,
			     char *buf, size_t len);
/* "eps 0.1 scale 1000 encoding fixed port 6666 arith exact" */
const char *tool_params_str(const struct segoff_params *p, char *buf, size_t len);

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

/*
 * plot.c: x[0..n) and the cuts of @cuts drawn by gnuplot into the SVG
 * file @out, titled with @source (the data file, or how it was sent) and
 * the parameters; -1 after printing.
 */
int tool_cuts_plot(const struct tool_cuts *cuts, const double *x, size_t n, const char *source,
		   const char *out);

#endif /* _SEGOFF_TOOL_H */
