/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * segoff: ANOVA state segmentation in the XDP data path.
 *
 * The single definition of the window frame, the verdicts, the BPF map
 * layouts shared by the XDP program, segoff.ko and segoff-nl, and the
 * "segoff" generic netlink family (Documentation/netlink/specs/segoff.yaml).
 */
#ifndef _UAPI_LINUX_SEGOFF_H
#define _UAPI_LINUX_SEGOFF_H

#include <linux/types.h>

/* ---- Wire format: UDP payload of a window frame (seed compatible) ---- */

#define SEGOFF_MAGIC		0x216C7174786A7A21ULL	/* little-endian on the wire */
#define SEGOFF_DEFAULT_PORT	6666
#define SEGOFF_SAMPLES		16	/* x0..x7 reference, x8..x15 tested */
#define SEGOFF_HALF		8

enum segoff_tag {
	SEGOFF_TAG_REQUEST,
	SEGOFF_TAG_SPLIT,
	SEGOFF_TAG_NOSPLIT,
	SEGOFF_TAG_INVALID,	/* a sample is not evaluable, or the frame is short */
};

enum segoff_encoding {
	SEGOFF_ENC_FIXED,	/* __u32 samples, already scaled */
	SEGOFF_ENC_DOUBLE,	/* IEEE-754 binary64 samples */

	__SEGOFF_ENC_MAX,
	SEGOFF_ENC_MAX = (__SEGOFF_ENC_MAX - 1)
};

enum segoff_arith {
	SEGOFF_ARITH_EXACT,	/* unfloored integer sums: exact for the scale */
	SEGOFF_ARITH_SEED,	/* the seed's floored mean and variance */

	__SEGOFF_ARITH_MAX,
	SEGOFF_ARITH_MAX = (__SEGOFF_ARITH_MAX - 1)
};

/* All multi-byte fields are little-endian. Trailing bytes are ignored. */
struct segoff_hdr {
	__u64 magic;
	__u64 tag;
};

#define SEGOFF_PAYLOAD_FIXED	(sizeof(struct segoff_hdr) + SEGOFF_SAMPLES * 4)
#define SEGOFF_PAYLOAD_DOUBLE	(sizeof(struct segoff_hdr) + SEGOFF_SAMPLES * 8)

/*
 * ---- Parameters and their limits ----
 * A sample x is evaluable iff 0 <= x < SEGOFF_SAMPLE_LIMIT; it enters the
 * arithmetic as X = x * scale, truncated (seed) or rounded half up (exact).
 * The scale caps keep every sum and product of window.h inside 64 bits for
 * every evaluable sample (proof in include/segoff/window.h).
 */
#define SEGOFF_SAMPLE_LIMIT	65536
#define SEGOFF_EPS_UNIT		1000000000ULL	/* epsilon is carried in 1e-9 units */
#define SEGOFF_EPS_MAX		(SEGOFF_SAMPLE_LIMIT * SEGOFF_EPS_UNIT)	/* exclusive */
#define SEGOFF_DEFAULT_EPS	100000000ULL	/* 0.1 */
#define SEGOFF_SCALE_MAX_EXACT	4096
#define SEGOFF_SCALE_MAX_SEED	16384
#define SEGOFF_DEFAULT_SCALE_EXACT 1000
#define SEGOFF_DEFAULT_SCALE_SEED  16384

/*
 * ---- BPF maps ----
 * Both maps are ARRAYs with one entry at key 0, no flags, so that the nfp
 * and netdevsim can offload them. The program only reads the config map.
 */
#define SEGOFF_CONFIG_MAP	"segoff_config"
#define SEGOFF_COUNTERS_MAP	"segoff_counters"

/* Derived from the parameters by segoff_config_make() in window.h. */
struct segoff_config {
	__u32 port_be;		/* UDP destination port, network byte order */
	__u32 encoding;		/* enum segoff_encoding */
	__u32 arith;		/* enum segoff_arith */
	__u32 scale;
	__u32 eps;		/* seed: round(eps*S); exact: 8 * eps*S */
	__u32 round;		/* added before dropping bits: 0 truncates */
	__u64 eps2;		/* seed: round((eps*S)^2); exact: 8 * (eps*S)^2 */
};

/*
 * Each word is only ever added to (atomically when offloaded, per CPU on
 * the host); the control plane zeroes them with a map update.
 */
struct segoff_counters {
	__u64 frames;		/* every frame the program saw */
	__u64 windows;		/* request frames answered (split + nosplit + invalid) */
	__u64 split;
	__u64 nosplit;
	__u64 invalid_truncated;	/* request shorter than 16 samples */
	__u64 invalid_range;	/* a sample < 0 or >= 65536 */
	__u64 invalid_nan;	/* a sample is NaN or +-Inf */
	__u64 other;		/* passed untouched: not a request */
};

/* ---- Generic netlink family "segoff" ---- */

#define SEGOFF_FAMILY_NAME	"segoff"
#define SEGOFF_FAMILY_VERSION	1
#define SEGOFF_MCGRP_EVENTS	"events"

enum segoff_mode {
	SEGOFF_MODE_NATIVE,
	SEGOFF_MODE_GENERIC,
	SEGOFF_MODE_OFFLOAD,

	__SEGOFF_MODE_MAX,
	SEGOFF_MODE_MAX = (__SEGOFF_MODE_MAX - 1)
};

enum segoff_detach_reason {
	SEGOFF_DETACH_REQUEST,	/* DEV_DETACH, or replaced by DEV_ATTACH */
	SEGOFF_DETACH_DEV_GONE,	/* the device unregistered */
	SEGOFF_DETACH_NETNS,	/* the device moved to another namespace */
	SEGOFF_DETACH_UNLOAD,	/* segoff.ko was removed */

	__SEGOFF_DETACH_MAX,
	SEGOFF_DETACH_MAX = (__SEGOFF_DETACH_MAX - 1)
};

enum segoff_attach_flags {
	SEGOFF_ATTACH_F_REPLACE = 1,	/* replace an existing binding */
};

enum {
	SEGOFF_A_PARAMS_UNSPEC,
	SEGOFF_A_PARAMS_EPS,		/* u64, epsilon in SEGOFF_EPS_UNIT */
	SEGOFF_A_PARAMS_SCALE,		/* u32 */
	SEGOFF_A_PARAMS_ENCODING,	/* u32, enum segoff_encoding */
	SEGOFF_A_PARAMS_PORT,		/* u32, 1..65535 */
	SEGOFF_A_PARAMS_ARITH,		/* u32, enum segoff_arith */
	SEGOFF_A_PARAMS_PAD,

	__SEGOFF_A_PARAMS_MAX,
	SEGOFF_A_PARAMS_MAX = (__SEGOFF_A_PARAMS_MAX - 1)
};

enum {
	SEGOFF_A_DEV_UNSPEC,
	SEGOFF_A_DEV_IFINDEX,		/* u32 */
	SEGOFF_A_DEV_IFNAME,		/* string */
	SEGOFF_A_DEV_MODE,		/* u32, enum segoff_mode */
	SEGOFF_A_DEV_PROG_FD,		/* s32, attach only */
	SEGOFF_A_DEV_CONFIG_FD,		/* s32, attach only */
	SEGOFF_A_DEV_COUNTERS_FD,	/* s32, attach only */
	SEGOFF_A_DEV_FLAGS,		/* u32, enum segoff_attach_flags */
	SEGOFF_A_DEV_PARAMS,		/* nest, SEGOFF_A_PARAMS_* */
	SEGOFF_A_DEV_PROG_ID,		/* u32 */
	SEGOFF_A_DEV_CONFIG_ID,		/* u32 */
	SEGOFF_A_DEV_COUNTERS_ID,	/* u32 */
	SEGOFF_A_DEV_ATTACH_TIME,	/* u64, CLOCK_REALTIME ns */
	SEGOFF_A_DEV_DETACH_REASON,	/* u32, enum segoff_detach_reason */
	SEGOFF_A_DEV_PAD,

	__SEGOFF_A_DEV_MAX,
	SEGOFF_A_DEV_MAX = (__SEGOFF_A_DEV_MAX - 1)
};

enum {
	SEGOFF_A_STATS_UNSPEC,
	SEGOFF_A_STATS_IFINDEX,		/* u32 */
	SEGOFF_A_STATS_IFNAME,		/* string */
	SEGOFF_A_STATS_MODE,		/* u32, enum segoff_mode */
	SEGOFF_A_STATS_PROG_ID,		/* u32 */
	SEGOFF_A_STATS_FRAMES,		/* u64, struct segoff_counters in order */
	SEGOFF_A_STATS_WINDOWS,
	SEGOFF_A_STATS_SPLIT,
	SEGOFF_A_STATS_NOSPLIT,
	SEGOFF_A_STATS_INVALID_TRUNCATED,
	SEGOFF_A_STATS_INVALID_RANGE,
	SEGOFF_A_STATS_INVALID_NAN,
	SEGOFF_A_STATS_OTHER,
	SEGOFF_A_STATS_PAD,

	__SEGOFF_A_STATS_MAX,
	SEGOFF_A_STATS_MAX = (__SEGOFF_A_STATS_MAX - 1)
};

enum {
	SEGOFF_CMD_UNSPEC,
	SEGOFF_CMD_DEV_GET,		/* do and dump: bindings */
	SEGOFF_CMD_DEV_ATTACH,
	SEGOFF_CMD_DEV_DETACH,
	SEGOFF_CMD_DEV_SET,		/* change parameters live */
	SEGOFF_CMD_STATS_GET,		/* do and dump: counters */
	SEGOFF_CMD_DEV_ATTACH_NTF,	/* events group */
	SEGOFF_CMD_DEV_DETACH_NTF,	/* events group */

	__SEGOFF_CMD_MAX,
	SEGOFF_CMD_MAX = (__SEGOFF_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SEGOFF_H */
