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
 * ---- Stream frames ----
 * A run of n consecutive samples of one series, answered with a verdict
 * for each of its n - 15 windows (window i: samples i..i+15). The header
 * overlays the single frame's: where that has its tag, a stream frame
 * has SEGOFF_KIND_STREAM in the low half (a single frame's tag is at
 * most 3) and its status in the high half. Then come n - 15 verdict bytes
 * (enum segoff_tag, 0 in a request), zero padded to a multiple of 8, then
 * the n samples in the port's encoding. The verdicts come first so that
 * a frame cut short still has room for the answers of the windows it
 * holds. In the answer to a double stream frame the first 4 n bytes of
 * the sample area hold the samples as converted (u32, scaled, invalid
 * ones as SEGOFF_X_NAN or SEGOFF_X_RANGE): the program converts each
 * sample once, in place, instead of once per window.
 */
#define SEGOFF_KIND_STREAM	0x4d525453	/* "STRM" */

enum segoff_stream_status {
	SEGOFF_STREAM_REQUEST,
	SEGOFF_STREAM_ANSWERED,
	/* n < 16, n above the limit of this mode and encoding, or the frame ends in the verdicts */
	SEGOFF_STREAM_REFUSED,
};

struct segoff_stream_hdr {
	__u64 magic;
	__u32 kind;		/* SEGOFF_KIND_STREAM */
	__u32 status;		/* enum segoff_stream_status */
	__u64 first;		/* index in its series of the frame's first sample */
	__u32 series;
	__u32 count;		/* n, at least SEGOFF_SAMPLES */
};

#define SEGOFF_STREAM_VERDICT_BYTES(n)	((((n) - SEGOFF_SAMPLES + 1) + 7) & ~7U)
#define SEGOFF_X_NAN		0xffffffffU	/* a converted double that was NaN or Inf */
#define SEGOFF_X_RANGE		0xfffffffeU	/* ... negative or too large */

/*
 * How far into a frame the program reads. On the host it sees one page
 * (4096 bytes less XDP's 256 bytes of headroom and skb_shared_info);
 * offloaded, the nfp's packet split boundary (SEGOFF_REACH_OFFLOAD, the
 * assumed Agilio profile: BPF_INL_MTU 4 x 64 less 32 bytes of prepend).
 * Offloaded, IPv4 options beyond 20 bytes are not parsed (the frame
 * passes as other traffic), so that no L3 header exceeds IPv6's 40 bytes.
 * The largest n a stream frame may carry follows, per mode and encoding:
 * Ethernet 14 + 802.1Q 4 + L3 + UDP 8 + 32 + verdicts + samples <= reach.
 */
#define SEGOFF_REACH_HOST	3520
#define SEGOFF_REACH_OFFLOAD	224
#define SEGOFF_L3_MAX_HOST	60
#define SEGOFF_L3_MAX_OFFLOAD	40
#define SEGOFF_STREAM_MAX_FIXED		682
#define SEGOFF_STREAM_MAX_DOUBLE	379
#define SEGOFF_STREAM_MAX_FIXED_OFFLOAD	27	/* 16 + 108 = 124 of 126 bytes */
#define SEGOFF_STREAM_MAX_DOUBLE_OFFLOAD 0	/* 16 doubles do not fit: refused */

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
/*
 * The seed's programs hard-code e = 1638 and e^2 = 2684191 for eps 0.1 at
 * scale 2^14, which no single rounding of 0.1 gives (round((0.1 * 2^14)^2)
 * is 2684355). Both are round(eps * 2^14) and round((eps * 2^14)^2) for
 * eps in [0.0999969441, 0.0999969627]: seed arithmetic defaults to the
 * 9-digit eps there, so that it answers every window as the seed does.
 */
#define SEGOFF_DEFAULT_EPS_SEED	99996954ULL	/* 0.099996954 */
#define SEGOFF_SCALE_MAX_EXACT	4096
#define SEGOFF_SCALE_MAX_SEED	16384
#define SEGOFF_DEFAULT_SCALE_EXACT 1000
#define SEGOFF_DEFAULT_SCALE_SEED  16384

enum segoff_reply_mode {
	SEGOFF_REPLY_PASS,	/* answer in place, pass the frame up (the seed's way) */
	SEGOFF_REPLY_TX,	/* answer back to the sender with XDP_TX */

	__SEGOFF_REPLY_MAX,
	SEGOFF_REPLY_MAX = (__SEGOFF_REPLY_MAX - 1)
};

/*
 * ---- BPF maps ----
 * Two ARRAYs of two entries, no flags, each entry 56 bytes: with the key
 * rounded up to 8 that is the 64 bytes an Agilio map entry holds, and
 * netdevsim offloads at most 2 entries. The program only reads the config
 * map and only adds to the counters.
 */
#define SEGOFF_CONFIG_MAP	"segoff_config"
#define SEGOFF_COUNTERS_MAP	"segoff_counters"
#define SEGOFF_MAP_ENTRIES	2

/*
 * A config entry, made by segoff_config_make() (include/segoff/params.h).
 * Every word is stored XORed with its value for the default parameters,
 * so that a map nobody wrote, all zeros, means the defaults.
 * Entry 0's @active names the entry in force: a change is written to the
 * other entry, then @active flips (segoff_config_stage()), so that a frame
 * sees the old or the new parameters, never a mixture.
 */
struct segoff_config {
	__u32 active;		/* entry 0: the entry in force, 0 or 1 */
	__u32 port_be;		/* UDP destination port, network byte order */
	__u32 encoding;		/* enum segoff_encoding */
	__u32 arith;		/* enum segoff_arith */
	__u32 scale;
	__u32 eps;		/* seed: round(eps*S); exact: 8 * eps*S */
	__u32 round;		/* added before dropping bits: 0 truncates */
	__u32 reply;		/* enum segoff_reply_mode */
	__u64 eps2;		/* seed: round((eps*S)^2); exact: 8 * (eps*S)^2 */
	/* the port's: source of answers to group addresses (reply tx) */
	__u8 mac[6];
	__u16 pad;
	__be32 addr4;		/* 0: none, IPv4 group requests are not reflected */
	__u32 pad2;
};

/*
 * The counters map's two entries, each word only ever added to
 * (atomically when offloaded, per CPU on the host); the control plane
 * zeroes them with a map update. Windows, not frames: a stream frame
 * adds n - 15 to windows.
 */
struct segoff_wcounters {	/* entry 0: every frame, and what became of the windows */
	__u64 frames;		/* every frame the program saw */
	__u64 windows;		/* windows answered (split + nosplit + invalid) */
	__u64 split;
	__u64 nosplit;
	__u64 invalid_truncated;	/* the frame ends inside the window */
	__u64 invalid_range;	/* a sample < 0 or >= 65536 */
	__u64 invalid_nan;	/* a sample is NaN or +-Inf */
};

struct segoff_fcounters {	/* entry 1: frames that are not single-window requests */
	__u64 other;		/* passed untouched: not a request */
	__u64 streams;		/* stream frames answered */
	__u64 refused;		/* stream frames refused, see enum segoff_stream_status */
	__u64 replied;		/* answers sent back with XDP_TX */
	__u64 reserved[3];
};

/* Both entries, summed over CPUs, as readers report them. */
struct segoff_counters {
	__u64 frames;
	__u64 windows;
	__u64 split;
	__u64 nosplit;
	__u64 invalid_truncated;
	__u64 invalid_range;
	__u64 invalid_nan;
	__u64 other;
	__u64 streams;
	__u64 refused;
	__u64 replied;
	__u64 reserved[3];
};

#define SEGOFF_COUNTERS_ENTRY	56	/* bytes of one map entry */

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
	SEGOFF_A_PARAMS_REPLY,		/* u32, enum segoff_reply_mode */

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
	SEGOFF_A_STATS_STREAMS,		/* u64, struct segoff_counters in order */
	SEGOFF_A_STATS_REFUSED,
	SEGOFF_A_STATS_REPLIED,

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
