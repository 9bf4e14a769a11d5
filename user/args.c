// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Keyword arguments. Every subcommand describes its options in one table
 * that tool_opts_parse() parses by and tool_usage() prints, and takes
 * parameters through tool_params_config(), so a parameter is spelled,
 * checked and refused the same way everywhere.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define SECONDS_MAX 86400	/* a day: anything longer is a typo */

int tool_parse_u32(const char *key, const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9' || (v = strtoull(s, &end, 10), *end)) {
		fprintf(stderr, "Unable to parse %s `%s': not a whole number\n", key, s);
		return -1;
	}
	if (errno || v < min || v > max) {
		fprintf(stderr, "Unable to parse %s `%s': must be %u..%u\n", key, s, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int tool_parse_seconds(const char *key, const char *s, double *out)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end || isnan(v)) {
		fprintf(stderr, "Unable to parse %s `%s': not a number of seconds\n", key, s);
		return -1;
	}
	if (v < 0 || v > SECONDS_MAX) {
		fprintf(stderr, "Unable to parse %s `%s': must be 0..%d seconds\n", key, s,
			SECONDS_MAX);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_eps(const char *s, uint64_t *eps)
{
	const char *why;

	switch (segoff_parse_eps(s, eps)) {
	case 0:
		return 0;
	case -ERANGE:
		why = segoff_param_strerror(SEGOFF_PARAM_EPS_RANGE);
		break;
	case -EDOM:
		why = "more than 9 decimals (eps resolves 1e-9)";
		break;
	default:
		why = "not a decimal number";
		break;
	}
	fprintf(stderr, "Unable to parse eps `%s': %s\n", s, why);
	return -1;
}

/* every option has a keyword, a value or is the parameters: the end has none */
#define OPTS_EACH(o, opts) for (o = (opts); o->key || o->meta || o->kind; o++)

/* One parameter's value; numbers only need to fit, the merge owns their ranges. */
static int parse_param(struct tool_params *tp, const struct segoff_param_text *t,
		       const char *val)
{
	uint64_t eps;
	uint32_t v;

	if (t->attr == SEGOFF_A_PARAMS_EPS) {
		if (parse_eps(val, &eps))
			return -1;
		segoff_param_set(&tp->p, t->attr, eps);
	} else if (t->names < 0) {
		if (tool_parse_u32(t->key, val, 0, UINT32_MAX, &v))
			return -1;
		segoff_param_set(&tp->p, t->attr, v);
	} else {
		/* an enum: its message says what it may be */
		if (segoff_enum_parse(t->names, val, &v)) {
			fprintf(stderr, "Unable to parse %s `%s': %s\n", t->key, val,
				segoff_param_strerror(segoff_param_code(t->attr)));
			return -1;
		}
		segoff_param_set(&tp->p, t->attr, v);
	}
	tp->given |= SEGOFF_PARAM_F(t->attr);
	return 0;
}

static const struct segoff_param_text *param_text(const struct tool_opt *o, const char *key)
{
	const struct segoff_param_text *t;

	for (t = segoff_param_texts; t->key; t++)
		if ((o->max & SEGOFF_PARAM_F(t->attr)) && !strcmp(key, t->key))
			return t;
	return NULL;
}

/* The option @key names, and for parameters which one in *@t. */
static const struct tool_opt *find_opt(const struct tool_opt *opts, const char *key,
				       const struct segoff_param_text **t)
{
	const struct tool_opt *o;

	OPTS_EACH(o, opts) {
		if (o->kind == TOOL_OPT_PARAMS) {
			*t = param_text(o, key);
			if (*t)
				return o;
		} else if (o->key && !(o->flags & TOOL_OPT_POSITIONAL) && !strcmp(o->key, key)) {
			return o;
		}
	}
	return NULL;
}

static int parse_value(const struct tool_opt *o, void *field, const char *key, const char *val)
{
	char names[64];

	switch (o->kind) {
	case TOOL_OPT_STR:
		*(const char **)field = val;
		return 0;
	case TOOL_OPT_U32:
		return tool_parse_u32(key, val, o->min, o->max, field);
	case TOOL_OPT_SECONDS:
		if (tool_parse_seconds(key, val, field))
			return -1;
		/* min 1: a period, which 0 is not */
		if (o->min && *(double *)field <= 0) {
			fprintf(stderr, "Unable to parse %s `%s': must be more than 0 seconds\n",
				key, val);
			return -1;
		}
		return 0;
	case TOOL_OPT_MODE:
		if (!segoff_enum_parse(SEGOFF_ENUM_MODE, val, field))
			return 0;
		fprintf(stderr, "Unable to parse %s `%s': must be %s\n", key, val,
			segoff_enum_choices(SEGOFF_ENUM_MODE, ", ", names, sizeof(names)));
		return -1;
	default:
		return -1;
	}
}

static int check_required(const struct tool_opt *opts, const char *cmd, const int *seen)
{
	const struct tool_opt *o;
	char need[256];
	size_t n = 0;
	int missing = 0, i = 0;

	OPTS_EACH(o, opts) {
		if ((o->flags & TOOL_OPT_REQUIRED) && !seen[i])
			missing = 1;
		i++;
	}
	if (!missing)
		return 0;
	/* name them all, so the one line says what a complete command needs */
	need[0] = '\0';
	OPTS_EACH(o, opts) {
		if ((o->flags & TOOL_OPT_REQUIRED) && n < sizeof(need))
			n += (size_t)snprintf(need + n, sizeof(need) - n, "%s`%s%s%s'",
					      n ? " and " : "",
					      o->flags & TOOL_OPT_POSITIONAL ? "" : o->key,
					      o->flags & TOOL_OPT_POSITIONAL ? "" : " ", o->meta);
	}
	fprintf(stderr, "%s: %s needs %s\n", prog_name, cmd, need);
	return -1;
}

#define OPTS_MAX 32

int tool_opts_parse(const struct tool_opt *opts, void *cfg, int argc, char **argv)
{
	const struct segoff_param_text *t = NULL;
	const char *cmd = argv[0], *key, *val;
	int seen[OPTS_MAX] = { 0 }, i;
	const struct tool_opt *o;
	char *base = cfg;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		tool_usage(stdout, cmd, opts);
		return 1;
	}
	i = 0;
	OPTS_EACH(o, opts) {
		if (o->kind == TOOL_OPT_PARAMS) {
			segoff_params_default(&((struct tool_params *)(base + o->off))->p);
			((struct tool_params *)(base + o->off))->given = 0;
		}
		i++;
	}
	argc--;
	argv++;
	/* positional values first, in table order */
	i = 0;
	OPTS_EACH(o, opts) {
		if ((o->flags & TOOL_OPT_POSITIONAL) && argc) {
			*(const char **)(base + o->off) = argv[0];
			seen[i] = 1;
			argc--;
			argv++;
		}
		i++;
	}
	while (argc) {
		key = argv[0];
		o = find_opt(opts, key, &t);
		if (!o) {
			fprintf(stderr, "%s: unexpected argument `%s'\n", prog_name, key);
			goto usage;
		}
		seen[o - opts] = 1;
		if (o->kind == TOOL_OPT_FLAG) {
			*(int *)(base + o->off) = 1;
			argc--;
			argv++;
			continue;
		}
		if (argc < 2) {
			fprintf(stderr, "%s: `%s' needs a value\n", prog_name, key);
			goto usage;
		}
		val = argv[1];
		if (o->kind == TOOL_OPT_PARAMS ?
		    parse_param((struct tool_params *)(base + o->off), t, val) :
		    parse_value(o, base + o->off, key, val))
			goto usage;
		argc -= 2;
		argv += 2;
	}
	if (check_required(opts, cmd, seen))
		goto usage;
	return 0;
usage:
	tool_usage(stderr, cmd, opts);
	return -1;
}

#define USAGE_COLS 80

/* Appends @word to the usage line, wrapping under the command like man pages do. */
static void usage_word(FILE *f, size_t *col, size_t indent, const char *word)
{
	size_t len = strlen(word);

	if (*col + 1 + len > USAGE_COLS) {
		fprintf(f, "\n%*s", (int)indent, "");
		*col = indent;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(word, f);
	*col += len;
}

void tool_usage(FILE *f, const char *cmd, const struct tool_opt *opts)
{
	const struct segoff_param_text *t;
	const struct tool_opt *o;
	char word[96], names[64];
	size_t col, indent;
	int req;

	col = (size_t)fprintf(f, "Usage: %s %s", prog_name, cmd);
	indent = strlen("Usage: ") + strlen(prog_name) + 1 + strlen(cmd) + 1;
	OPTS_EACH(o, opts) {
		req = o->flags & TOOL_OPT_REQUIRED;
		if (o->kind == TOOL_OPT_PARAMS) {
			for (t = segoff_param_texts; t->key; t++) {
				if (!(o->max & SEGOFF_PARAM_F(t->attr)))
					continue;
				snprintf(word, sizeof(word), "[%s %s]", t->key, t->meta ? t->meta :
					 segoff_enum_choices(t->names, "|", names, sizeof(names)));
				usage_word(f, &col, indent, word);
			}
			continue;
		}
		if (o->flags & TOOL_OPT_POSITIONAL)
			snprintf(word, sizeof(word), req ? "%s" : "[%s]", o->meta);
		else if (o->kind == TOOL_OPT_FLAG)
			snprintf(word, sizeof(word), "[%s]", o->key);
		else
			snprintf(word, sizeof(word), req ? "%s %s" : "[%s %s]", o->key,
				 o->kind == TOOL_OPT_MODE ?
				 segoff_enum_choices(SEGOFF_ENUM_MODE, "|", names, sizeof(names)) :
				 o->meta);
		usage_word(f, &col, indent, word);
	}
	fputc('\n', f);
}

int tool_params_config(struct tool_params *tp, const struct segoff_params *base,
		       struct segoff_config *c)
{
	struct segoff_params p;
	int err;

	if (base)
		p = *base;
	else
		segoff_params_default(&p);
	err = segoff_params_merge(&p, &tp->p, tp->given, c);
	tp->p = p;
	if (err) {
		fprintf(stderr, "Unable to use parameters: %s\n", segoff_param_strerror(err));
		return -1;
	}
	return 0;
}

const char *tool_eps_str(uint64_t eps, char *buf)
{
	uint64_t frac = eps % SEGOFF_EPS_UNIT;
	int digits = 9;

	if (!frac) {
		snprintf(buf, TOOL_EPS_STRLEN, "%llu", (unsigned long long)(eps / SEGOFF_EPS_UNIT));
		return buf;
	}
	for (; frac % 10 == 0; frac /= 10)
		digits--;
	snprintf(buf, TOOL_EPS_STRLEN, "%llu.%0*llu", (unsigned long long)(eps / SEGOFF_EPS_UNIT),
		 digits, (unsigned long long)frac);
	return buf;
}

const char *tool_param_value(const struct segoff_params *p, const struct segoff_param_text *t,
			     char *buf, size_t len)
{
	uint64_t v = segoff_param_get(p, t->attr);
	char eps[TOOL_EPS_STRLEN];

	if (t->attr == SEGOFF_A_PARAMS_EPS)
		snprintf(buf, len, "%s", tool_eps_str(v, eps));
	else if (t->names >= 0)
		snprintf(buf, len, "%s", segoff_enum_name(t->names, (uint32_t)v));
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

const char *tool_params_str(const struct segoff_params *p, char *buf, size_t len)
{
	const struct segoff_param_text *t;
	char val[TOOL_EPS_STRLEN];
	size_t n = 0;

	buf[0] = '\0';
	for (t = segoff_param_texts; t->key && n < len; t++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s", n ? " " : "", t->key,
				      tool_param_value(p, t, val, sizeof(val)));
	return buf;
}
