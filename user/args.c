// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Keyword arguments. Every subcommand that takes parameters goes through
 * tool_params_arg() and tool_params_config(), so a parameter is spelled,
 * checked and refused the same way everywhere.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define SECONDS_MAX 86400	/* a day: anything longer is a typo */

void tool_bad_arg(const char *word)
{
	fprintf(stderr, "%s: unexpected argument `%s'\n", prog_name, word);
}

const char *tool_value(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "%s: `%s' needs a value\n", prog_name, argv[0]);
		return NULL;
	}
	return argv[1];
}

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

void tool_params_init(struct tool_params *tp)
{
	segoff_params_default(&tp->p);
	tp->given = 0;
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

/* scale and port only need to fit: segoff_config_make() owns their limits */
int tool_params_arg(struct tool_params *tp, unsigned int allowed, int argc, char **argv)
{
	const char *key = argv[0], *val;
	struct segoff_params *p = &tp->p;
	unsigned int bit;
	uint64_t eps;
	int ret;

	if (!strcmp(key, "eps"))
		bit = TOOL_P_EPS;
	else if (!strcmp(key, "scale"))
		bit = TOOL_P_SCALE;
	else if (!strcmp(key, "encoding"))
		bit = TOOL_P_ENCODING;
	else if (!strcmp(key, "port"))
		bit = TOOL_P_PORT;
	else if (!strcmp(key, "arith"))
		bit = TOOL_P_ARITH;
	else
		return 0;
	if (!(bit & allowed))
		return 0;
	val = tool_value(argc, argv);
	if (!val)
		return -1;
	switch (bit) {
	case TOOL_P_EPS:
		ret = parse_eps(val, &eps);
		if (!ret)
			p->eps = eps;
		break;
	case TOOL_P_SCALE:
		ret = tool_parse_u32(key, val, 0, UINT32_MAX, &p->scale);
		break;
	case TOOL_P_PORT:
		ret = tool_parse_u32(key, val, 0, UINT32_MAX, &p->port);
		break;
	case TOOL_P_ENCODING:
		ret = segoff_parse_encoding(val, &p->encoding);
		if (ret)
			fprintf(stderr, "Unable to parse encoding `%s': %s\n", val,
				segoff_param_strerror(SEGOFF_PARAM_ENCODING));
		break;
	default:
		ret = segoff_parse_arith(val, &p->arith);
		if (ret)
			fprintf(stderr, "Unable to parse arith `%s': %s\n", val,
				segoff_param_strerror(SEGOFF_PARAM_ARITH));
		break;
	}
	if (ret)
		return -1;
	tp->given |= bit;
	return 2;
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
