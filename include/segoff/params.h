/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Parameters -> struct segoff_config, shared by segoff-nl and segoff.ko so
 * that the config map means the same whoever writes it. Integer only: the
 * kernel has no floating point, and epsilon must be exact.
 */
#ifndef _SEGOFF_PARAMS_H
#define _SEGOFF_PARAMS_H

#include <linux/types.h>
#include <linux/segoff.h>

struct segoff_params {
	__u64 eps;		/* in SEGOFF_EPS_UNIT */
	__u32 scale;
	__u32 encoding;		/* enum segoff_encoding */
	__u32 port;
	__u32 arith;		/* enum segoff_arith */
};

/* X(code, message): every way segoff_config_make() can refuse parameters */
#define SEGOFF_PARAM_ERRORS(X)						\
	X(SEGOFF_PARAM_OK, "ok")					\
	X(SEGOFF_PARAM_EPS_RANGE, "eps must be > 0 and < 65536")	\
	X(SEGOFF_PARAM_SCALE_RANGE,					\
	  "scale must be 1..4096 (exact) or 1..16384 (seed)")		\
	X(SEGOFF_PARAM_EPS_SMALL, "eps * scale rounds to 0: raise eps or scale") \
	X(SEGOFF_PARAM_EPS_INEXACT,					\
	  "exact arithmetic needs eps * scale to be a whole number")	\
	X(SEGOFF_PARAM_ENCODING, "encoding must be fixed or double")	\
	X(SEGOFF_PARAM_ARITH, "arith must be exact or seed")		\
	X(SEGOFF_PARAM_PORT, "port must be 1..65535")

#define SEGOFF_PARAM_ENUM(code, msg) code,
enum segoff_param_err { SEGOFF_PARAM_ERRORS(SEGOFF_PARAM_ENUM) };
#undef SEGOFF_PARAM_ENUM

static inline void segoff_params_default(struct segoff_params *p)
{
	p->eps = SEGOFF_DEFAULT_EPS;
	p->scale = SEGOFF_DEFAULT_SCALE_EXACT;
	p->encoding = SEGOFF_ENC_FIXED;
	p->port = SEGOFF_DEFAULT_PORT;
	p->arith = SEGOFF_ARITH_EXACT;
}

/* the UDP port as the program loads it from the header */
static inline __u32 segoff_port_be(__u32 port)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (__u16)((port >> 8) | (port << 8));
#else
	return port;
#endif
}

static inline __u32 segoff_scale_max(__u32 arith)
{
	return arith == SEGOFF_ARITH_SEED ? SEGOFF_SCALE_MAX_SEED : SEGOFF_SCALE_MAX_EXACT;
}

/*
 * round(p^2 / U^2) for p < 2^62, U = SEGOFF_EPS_UNIT, in 64 bits:
 * p = q U + r gives p^2 / U^2 = q^2 + 2 q r / U + r^2 / U^2.
 */
static inline __u64 segoff_square_units(__u64 p)
{
	const __u64 u = SEGOFF_EPS_UNIT;
	__u64 q = p / u, r = p % u, a = 2 * q * r;

	return q * q + a / u + ((a % u) * u + r * r + u * u / 2) / (u * u);
}

static inline int segoff_config_make(const struct segoff_params *p, struct segoff_config *c)
{
	__u64 es, e;

	if (p->arith > SEGOFF_ARITH_MAX)
		return SEGOFF_PARAM_ARITH;
	if (p->encoding > SEGOFF_ENC_MAX)
		return SEGOFF_PARAM_ENCODING;
	if (!p->port || p->port > 65535)
		return SEGOFF_PARAM_PORT;
	if (!p->eps || p->eps >= SEGOFF_EPS_MAX)
		return SEGOFF_PARAM_EPS_RANGE;
	if (!p->scale || p->scale > segoff_scale_max(p->arith))
		return SEGOFF_PARAM_SCALE_RANGE;

	/* eps * S in SEGOFF_EPS_UNIT: < 2^16 * 2^14 * 10^9 < 2^60 */
	es = p->eps * p->scale;
	e = (es + SEGOFF_EPS_UNIT / 2) / SEGOFF_EPS_UNIT;
	if (!e)
		return SEGOFF_PARAM_EPS_SMALL;
	c->port_be = segoff_port_be(p->port);
	c->encoding = p->encoding;
	c->arith = p->arith;
	c->scale = p->scale;
	if (p->arith == SEGOFF_ARITH_SEED) {
		c->eps = (__u32)e;
		c->eps2 = segoff_square_units(es);
		c->round = 0;
	} else {
		if (es % SEGOFF_EPS_UNIT)
			return SEGOFF_PARAM_EPS_INEXACT;
		c->eps = (__u32)(8 * e);
		c->eps2 = 8 * e * e;
		c->round = 1;
	}
	return SEGOFF_PARAM_OK;
}

/*
 * ---- The one parameter policy ----
 * X(field, attr, min, max, code): every parameter, its attribute in the
 * SEGOFF_A_PARAMS_ nest, the range any value of it must lie in, and the
 * enum segoff_param_err for a value outside. Adding a parameter is a field
 * in struct segoff_params, its default and a line here; the merge, the
 * tool's "given" masks and the netlink attributes follow. (The scale's
 * bound also depends on the arithmetic: segoff_config_make() checks that.)
 */
#define SEGOFF_PARAMS(X)							\
	X(eps, SEGOFF_A_PARAMS_EPS, 1, SEGOFF_EPS_MAX - 1, SEGOFF_PARAM_EPS_RANGE)	\
	X(scale, SEGOFF_A_PARAMS_SCALE, 1, SEGOFF_SCALE_MAX_SEED, SEGOFF_PARAM_SCALE_RANGE) \
	X(encoding, SEGOFF_A_PARAMS_ENCODING, 0, SEGOFF_ENC_MAX, SEGOFF_PARAM_ENCODING)	\
	X(port, SEGOFF_A_PARAMS_PORT, 1, 65535, SEGOFF_PARAM_PORT)			\
	X(arith, SEGOFF_A_PARAMS_ARITH, 0, SEGOFF_ARITH_MAX, SEGOFF_PARAM_ARITH)

/* A parameter's bit in a "given" mask: 1 << its attribute type. */
#define SEGOFF_PARAM_F(attr)	(1U << (attr))
#define SEGOFF_PARAM_BIT(field, attr, min, max, code) | SEGOFF_PARAM_F(attr)
#define SEGOFF_PARAM_F_ALL	(0 SEGOFF_PARAMS(SEGOFF_PARAM_BIT))

/* the scale an arithmetic gets when none is given */
static inline __u32 segoff_scale_default(__u32 arith)
{
	return arith == SEGOFF_ARITH_SEED ? SEGOFF_DEFAULT_SCALE_SEED : SEGOFF_DEFAULT_SCALE_EXACT;
}

/*
 * @p holds the base (segoff_params_default(), or a binding's parameters)
 * and takes the fields of @req that @given names (SEGOFF_PARAM_F()). The
 * scale follows a change of arith unless it is given too, so that `set
 * arith seed` means the seed's scale, not exact's 1000 under seed. Every
 * range is checked and @c made from the result; @p changes only on
 * success. Returns enum segoff_param_err. The module, segoff-nl, the tests
 * and the benchmark all take parameters through here.
 */
static inline int segoff_params_merge(struct segoff_params *p, const struct segoff_params *req,
				      __u32 given, struct segoff_config *c)
{
	struct segoff_params m = *p;
	int err;

#define SEGOFF_PARAM_TAKE(field, attr, min, max, code)				\
	if (given & SEGOFF_PARAM_F(attr))					\
		m.field = req->field;
	SEGOFF_PARAMS(SEGOFF_PARAM_TAKE)
#undef SEGOFF_PARAM_TAKE
	if (m.arith != p->arith && !(given & SEGOFF_PARAM_F(SEGOFF_A_PARAMS_SCALE)))
		m.scale = segoff_scale_default(m.arith);
	/* one unsigned compare: min <= v <= max, and no "always false" for min 0 */
#define SEGOFF_PARAM_CHECK(field, attr, min, max, code)				\
	if ((__u64)m.field - (__u64)(min) > (__u64)(max) - (__u64)(min))	\
		return code;
	SEGOFF_PARAMS(SEGOFF_PARAM_CHECK)
#undef SEGOFF_PARAM_CHECK
	err = segoff_config_make(&m, c);
	if (err == SEGOFF_PARAM_OK)
		*p = m;
	return err;
}

#endif /* _SEGOFF_PARAMS_H */
