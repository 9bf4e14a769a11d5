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

/* map entries of 56 bytes: 64 with the key, the Agilio's limit */
_Static_assert(sizeof(struct segoff_config) == SEGOFF_COUNTERS_ENTRY, "config entry size");
_Static_assert(sizeof(struct segoff_wcounters) == SEGOFF_COUNTERS_ENTRY, "counters entry 0");
_Static_assert(sizeof(struct segoff_fcounters) == SEGOFF_COUNTERS_ENTRY, "counters entry 1");
_Static_assert(sizeof(struct segoff_counters) == SEGOFF_MAP_ENTRIES * SEGOFF_COUNTERS_ENTRY,
	       "counters: both entries");

struct segoff_params {
	__u64 eps;		/* in SEGOFF_EPS_UNIT */
	__u32 scale;
	__u32 encoding;		/* enum segoff_encoding */
	__u32 port;
	__u32 arith;		/* enum segoff_arith */
	__u32 reply;		/* enum segoff_reply_mode */
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
	X(SEGOFF_PARAM_PORT, "port must be 1..65535")			\
	X(SEGOFF_PARAM_REPLY, "reply must be pass or tx")

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
	p->reply = SEGOFF_REPLY_PASS;
}

/* the UDP port as the program loads it from the header */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SEGOFF_PORT_BE(port)	((__u16)(((port) >> 8) | ((port) << 8)))
#else
#define SEGOFF_PORT_BE(port)	(port)
#endif

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

/*
 * The stored words of the default parameters: segoff_config_make() XORs
 * every word with these, so that an all-zero entry means the defaults
 * (exact, scale 1000, eps 0.1: e = 100, stored as 8 e and 8 e^2).
 */
#define SEGOFF_DEF_PORT_BE	SEGOFF_PORT_BE(SEGOFF_DEFAULT_PORT)
#define SEGOFF_DEF_ENCODING	SEGOFF_ENC_FIXED
#define SEGOFF_DEF_ARITH	SEGOFF_ARITH_EXACT
#define SEGOFF_DEF_SCALE	SEGOFF_DEFAULT_SCALE_EXACT
#define SEGOFF_DEF_EPS		800
#define SEGOFF_DEF_ROUND	1
#define SEGOFF_DEF_REPLY	SEGOFF_REPLY_PASS
#define SEGOFF_DEF_EPS2		80000ULL

/* The stored config for @p: the map's words, see struct segoff_config. */
static inline int segoff_config_make(const struct segoff_params *p, struct segoff_config *c)
{
	__u64 es, e;

	if (p->arith > SEGOFF_ARITH_MAX)
		return SEGOFF_PARAM_ARITH;
	if (p->encoding > SEGOFF_ENC_MAX)
		return SEGOFF_PARAM_ENCODING;
	if (!p->port || p->port > 65535)
		return SEGOFF_PARAM_PORT;
	if (p->reply > SEGOFF_REPLY_MAX)
		return SEGOFF_PARAM_REPLY;
	if (!p->eps || p->eps >= SEGOFF_EPS_MAX)
		return SEGOFF_PARAM_EPS_RANGE;
	if (!p->scale || p->scale > segoff_scale_max(p->arith))
		return SEGOFF_PARAM_SCALE_RANGE;

	/* eps * S in SEGOFF_EPS_UNIT: < 2^16 * 2^14 * 10^9 < 2^60 */
	es = p->eps * p->scale;
	e = (es + SEGOFF_EPS_UNIT / 2) / SEGOFF_EPS_UNIT;
	if (!e)
		return SEGOFF_PARAM_EPS_SMALL;
	if (p->arith == SEGOFF_ARITH_EXACT && es % SEGOFF_EPS_UNIT)
		return SEGOFF_PARAM_EPS_INEXACT;
	*c = (struct segoff_config){ 0 };
	c->port_be = SEGOFF_PORT_BE(p->port) ^ SEGOFF_DEF_PORT_BE;
	c->encoding = p->encoding ^ SEGOFF_DEF_ENCODING;
	c->arith = p->arith ^ SEGOFF_DEF_ARITH;
	c->scale = p->scale ^ SEGOFF_DEF_SCALE;
	c->reply = p->reply ^ SEGOFF_DEF_REPLY;
	if (p->arith == SEGOFF_ARITH_SEED) {
		c->eps = (__u32)e ^ SEGOFF_DEF_EPS;
		c->eps2 = segoff_square_units(es) ^ SEGOFF_DEF_EPS2;
		c->round = 0 ^ SEGOFF_DEF_ROUND;
	} else {
		c->eps = (__u32)(8 * e) ^ SEGOFF_DEF_EPS;
		c->eps2 = (8 * e * e) ^ SEGOFF_DEF_EPS2;
		c->round = 1 ^ SEGOFF_DEF_ROUND;
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
	X(arith, SEGOFF_A_PARAMS_ARITH, 0, SEGOFF_ARITH_MAX, SEGOFF_PARAM_ARITH)		\
	X(reply, SEGOFF_A_PARAMS_REPLY, 0, SEGOFF_REPLY_MAX, SEGOFF_PARAM_REPLY)

/* A parameter's bit in a "given" mask: 1 << its attribute type. */
#define SEGOFF_PARAM_F(attr)	(1U << (attr))
#define SEGOFF_PARAM_BIT(field, attr, min, max, code) | SEGOFF_PARAM_F(attr)
#define SEGOFF_PARAM_F_ALL	(0 SEGOFF_PARAMS(SEGOFF_PARAM_BIT))

/* the eps an arithmetic gets when none is given: the seed's own for seed */
static inline __u64 segoff_eps_default(__u32 arith)
{
	return arith == SEGOFF_ARITH_SEED ? SEGOFF_DEFAULT_EPS_SEED : SEGOFF_DEFAULT_EPS;
}

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
	/* and so does eps, unless given or changed from its default */
	if (m.arith != p->arith && !(given & SEGOFF_PARAM_F(SEGOFF_A_PARAMS_EPS)) &&
	    p->eps == segoff_eps_default(p->arith))
		m.eps = segoff_eps_default(m.arith);
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

/*
 * The config map as its one writer knows it: installing a config takes
 * two writes, @first = segoff_config_stage() to the idle entry, then
 * entry 0 with segoff_config_flip(), then a wait until no program run
 * can still be reading the entry that became idle (synchronize_rcu() in
 * the kernel) before the next change. A frame reads entry 0's @active
 * first: it sees the old entry, untouched until that wait ends, or the
 * new one, complete since the first write; entry 0 itself changes in
 * the flip only in @active, or, when it is the idle entry, while
 * @active still names entry 1.
 */
struct segoff_config_map {
	struct segoff_config entry[SEGOFF_MAP_ENTRIES];
};

/* A new map: both entries @c, entry 0 in force; write both. */
static inline void segoff_config_init(struct segoff_config_map *m, const struct segoff_config *c)
{
	m->entry[0] = *c;
	m->entry[0].active = 0;
	m->entry[1] = *c;
	m->entry[1].active = 0;
}

/* Stages @c in the idle entry and returns its index, the first write. */
static inline __u32 segoff_config_stage(struct segoff_config_map *m, const struct segoff_config *c)
{
	__u32 active = m->entry[0].active, idle = !active;

	m->entry[idle] = *c;
	/* entry 0 keeps naming entry 1 until the flip */
	m->entry[idle].active = idle ? 0 : active;
	return idle;
}

/* Puts @idle in force: the second write, of entry 0. */
static inline void segoff_config_flip(struct segoff_config_map *m, __u32 idle)
{
	m->entry[0].active = idle;
}

/* The entry in force. */
static inline const struct segoff_config *segoff_config_current(const struct segoff_config_map *m)
{
	return &m->entry[m->entry[0].active ? 1 : 0];
}

#endif /* _SEGOFF_PARAMS_H */
