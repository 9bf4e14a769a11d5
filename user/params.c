// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Parameters as text. Epsilon is parsed as an exact decimal, never through
 * a double: 0.1 must become exactly 100000000 units, or the "exact"
 * arithmetic would test a different epsilon than the one the user typed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libsegoff.h"

/* The one table of enum names: the tool parses and prints through it. */
#define NAMES(...) { .names = (const char *const[]){ __VA_ARGS__ },			\
		     .n = sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *) }
const struct segoff_enum segoff_enums[SEGOFF_ENUM_COUNT] = {
	[SEGOFF_ENUM_ENCODING] = NAMES([SEGOFF_ENC_FIXED] = "fixed", [SEGOFF_ENC_DOUBLE] = "double"),
	[SEGOFF_ENUM_ARITH] = NAMES([SEGOFF_ARITH_EXACT] = "exact", [SEGOFF_ARITH_SEED] = "seed"),
	[SEGOFF_ENUM_REPLY] = NAMES([SEGOFF_REPLY_PASS] = "pass", [SEGOFF_REPLY_TX] = "tx"),
	[SEGOFF_ENUM_MODE] = NAMES([SEGOFF_MODE_NATIVE] = "native",
				   [SEGOFF_MODE_GENERIC] = "generic",
				   [SEGOFF_MODE_OFFLOAD] = "offload"),
	[SEGOFF_ENUM_REASON] = NAMES([SEGOFF_DETACH_REQUEST] = "request",
				     [SEGOFF_DETACH_DEV_GONE] = "dev-gone",
				     [SEGOFF_DETACH_NETNS] = "netns",
				     [SEGOFF_DETACH_UNLOAD] = "unload"),
};
#undef NAMES

/* the parameters as the command line spells them, in SEGOFF_PARAMS() order */
const struct segoff_param_text segoff_param_texts[] = {
	{ SEGOFF_A_PARAMS_EPS, "eps", "E", -1 },
	{ SEGOFF_A_PARAMS_SCALE, "scale", "S", -1 },
	{ SEGOFF_A_PARAMS_ENCODING, "encoding", NULL, SEGOFF_ENUM_ENCODING },
	{ SEGOFF_A_PARAMS_PORT, "port", "P", -1 },
	{ SEGOFF_A_PARAMS_ARITH, "arith", NULL, SEGOFF_ENUM_ARITH },
	{ SEGOFF_A_PARAMS_REPLY, "reply", NULL, SEGOFF_ENUM_REPLY },
	{ 0, NULL, NULL, -1 },
};

#define SEGOFF_PARAM_MSG(code, msg) [code] = msg,
static const char *const param_msgs[] = { SEGOFF_PARAM_ERRORS(SEGOFF_PARAM_MSG) };
#undef SEGOFF_PARAM_MSG

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EPS_DECIMALS 9	/* SEGOFF_EPS_UNIT = 10^9 */

/*
 * Besides 0 and -EINVAL (not a decimal number), tells the caller why a
 * well-formed number is refused: -ERANGE when it is negative or not below
 * SEGOFF_EPS_MAX, -EDOM when it has more decimals than SEGOFF_EPS_UNIT
 * resolves (rounding would silently change the test).
 */
int segoff_parse_eps(const char *s, uint64_t *eps)
{
	uint64_t ip = 0, frac = 0;
	int negative = 0, idigits = 0, fdigits = 0, extra = 0;
	const char *p = s;

	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, idigits++)
		if (ip < SEGOFF_SAMPLE_LIMIT)	/* saturate: only the range matters */
			ip = ip * 10 + (uint64_t)(*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits < EPS_DECIMALS)
				frac = frac * 10 + (uint64_t)(*p - '0');
			else if (*p != '0')
				extra = 1;
		}
	}
	if (*p || (!idigits && !fdigits))
		return -EINVAL;
	if (extra)
		return -EDOM;
	for (; fdigits < EPS_DECIMALS; fdigits++)
		frac *= 10;
	if (ip >= SEGOFF_SAMPLE_LIMIT || (negative && (ip || frac)))
		return -ERANGE;
	*eps = ip * SEGOFF_EPS_UNIT + frac;
	return 0;
}

uint64_t segoff_param_get(const struct segoff_params *p, uint32_t attr)
{
#define GET(field, a, min, max, code)	\
	if (attr == a)			\
		return p->field;
	SEGOFF_PARAMS(GET)
#undef GET
	return 0;
}

void segoff_param_set(struct segoff_params *p, uint32_t attr, uint64_t v)
{
#define SET(field, a, min, max, code)	\
	if (attr == a)			\
		p->field = v;
	SEGOFF_PARAMS(SET)
#undef SET
}

int segoff_param_code(uint32_t attr)
{
#define CODE(field, a, min, max, code)	\
	if (attr == a)			\
		return code;
	SEGOFF_PARAMS(CODE)
#undef CODE
	return SEGOFF_PARAM_OK;
}

int segoff_enum_parse(int e, const char *s, uint32_t *v)
{
	uint32_t i;

	for (i = 0; i < segoff_enums[e].n; i++) {
		if (segoff_enums[e].names[i] && !strcmp(s, segoff_enums[e].names[i])) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *segoff_enum_name(int e, uint32_t v)
{
	return v < segoff_enums[e].n && segoff_enums[e].names[v] ? segoff_enums[e].names[v]
								  : "unknown";
}

const char *segoff_enum_choices(int e, const char *sep, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < segoff_enums[e].n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? sep : "",
				      segoff_enums[e].names[i]);
	return buf;
}

int segoff_parse_encoding(const char *s, uint32_t *enc)
{
	return segoff_enum_parse(SEGOFF_ENUM_ENCODING, s, enc);
}

int segoff_parse_arith(const char *s, uint32_t *arith)
{
	return segoff_enum_parse(SEGOFF_ENUM_ARITH, s, arith);
}

const char *segoff_encoding_name(uint32_t enc)
{
	return segoff_enum_name(SEGOFF_ENUM_ENCODING, enc);
}

const char *segoff_arith_name(uint32_t arith)
{
	return segoff_enum_name(SEGOFF_ENUM_ARITH, arith);
}

const char *segoff_param_strerror(int err)
{
	if (err < 0 || (size_t)err >= ARRAY_SIZE(param_msgs))
		return "unknown parameter error";
	return param_msgs[err];
}
