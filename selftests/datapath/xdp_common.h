/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF_PROG_TEST_RUN tests share: loading either program on the
 * host, running one frame, frame layout and an UDP checksum of their own
 * (not frame.c's), so that a wrong checksum in both cannot agree.
 */
#ifndef _XDP_COMMON_H
#define _XDP_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "libsegoff.h"

/* the 6.1 harness and its TEST() expansion leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#define XDP_ETH_HLEN	14
#define XDP_VLAN_HLEN	4
#define XDP_UDP_HLEN	8
#define XDP_FRAME_MIN	XDP_ETH_HLEN	/* BPF_PROG_TEST_RUN refuses shorter data */
#define XDP_KSFT_SKIP	4

struct xdp_prog {
	struct segoff_obj o;		/* through the library's one loader */
	int prog_fd, config_fd, counters_fd;
};

/*
 * Loads the per-CPU program as segoff-nl does for native XDP, or (@atomic)
 * the program meant for offload with its ARRAY counters, bound to no
 * device. Returns 0, XDP_KSFT_SKIP when BPF is refused (a container
 * without CAP_BPF), or -1; with the reason in @why either way.
 */
static inline int xdp_prog_load(struct xdp_prog *p, int atomic, char *why, size_t len)
{
	struct segoff_load_opts opts = {
		.prog = atomic ? "segoff_xdp" : NULL, .mode = SEGOFF_MODE_NATIVE,
	};
	struct bpf_map_info info;
	__u32 info_len = sizeof(info);
	int err;

	memset(p, 0, sizeof(*p));
	err = segoff_obj_load_opts(&p->o, &opts, why, len);
	p->prog_fd = p->o.prog_fd;
	p->config_fd = p->o.config_fd;
	p->counters_fd = p->o.counters_fd;
	memset(&info, 0, sizeof(info));
	if (!err && atomic && (bpf_obj_get_info_by_fd(p->counters_fd, &info, &info_len) ||
			       info.type != BPF_MAP_TYPE_ARRAY))
		err = -EINVAL, snprintf(why, len, "segoff_counters is not an ARRAY");
	if (err == -EPERM)
		return XDP_KSFT_SKIP;
	return err ? -1 : 0;
}

static inline void xdp_prog_close(struct xdp_prog *p)
{
	if (p->o.obj)
		segoff_obj_close(&p->o);
	memset(p, 0, sizeof(*p));
}

/*
 * A fixture's setup: the program (@atomic: the one meant for offload)
 * loaded and @c written. 0, XDP_KSFT_SKIP with the reason in @skip, or
 * -1 with the reason in @skip; @skip is empty only on success.
 */
static inline int xdp_fixture_load(struct xdp_prog *p, int atomic, const struct segoff_config *c,
				   char *skip, size_t len)
{
	int err = xdp_prog_load(p, atomic, skip, len);

	if (err)
		return err;
	skip[0] = 0;
	if (segoff_config_write(p->config_fd, c)) {
		snprintf(skip, len, "Unable to write the config map: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* kselftest_harness.h of 6.1 runs the test even when its setup skipped */
#define REQUIRE_BPF() do {						\
	if (self->skip[0])						\
		SKIP(return, "%s", self->skip);				\
} while (0)

/* Returns the program's return code, or -errno of the syscall; @cap bytes at @out. */
static inline int xdp_run_buf(int prog_fd, const uint8_t *in, size_t len, uint8_t *out,
			      size_t cap, size_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = in,
		    .data_size_in = (__u32)len,
		    .data_out = out,
		    .data_size_out = (__u32)cap,
		    .repeat = 1,
	);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	*out_len = opts.data_size_out;
	return (int)opts.retval;
}

static inline int xdp_run(int prog_fd, const uint8_t *in, size_t len, uint8_t *out,
			  size_t *out_len)
{
	return xdp_run_buf(prog_fd, in, len, out, SEGOFF_FRAME_MAX, out_len);
}

static inline void xdp_addr_default(struct segoff_addr *a)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 1 }, dst[6] = { 0x02, 0, 0, 0, 0, 2 };

	memset(a, 0, sizeof(*a));
	memcpy(a->src_mac, src, 6);
	memcpy(a->dst_mac, dst, 6);
	inet_pton(AF_INET, "192.0.2.1", &a->src4);
	inet_pton(AF_INET, "192.0.2.2", &a->dst4);
	inet_pton(AF_INET6, "2001:db8::1", &a->src6);
	inet_pton(AF_INET6, "2001:db8::2", &a->dst6);
	a->sport = 40000;
	a->dport = SEGOFF_DEFAULT_PORT;
}

/* Offset of the UDP header in a frame built for @a. */
static inline size_t xdp_l4(const struct segoff_addr *a)
{
	return XDP_ETH_HLEN + (a->vlan ? XDP_VLAN_HLEN : 0) + (a->ipv6 ? 40 : 20u + a->ip_optlen);
}

static inline void xdp_put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/*
 * The UDP checksum a sender would put in the complete frame @f built for
 * @a, as RFC 768 defines it, summed byte pair by byte pair.
 */
static inline uint16_t xdp_udp_csum(const uint8_t *f, const struct segoff_addr *a)
{
	size_t l4 = xdp_l4(a), l3 = XDP_ETH_HLEN + (a->vlan ? XDP_VLAN_HLEN : 0);
	size_t ulen = (size_t)f[l4 + 4] << 8 | f[l4 + 5], alen = a->ipv6 ? 16 : 4, i;
	size_t saddr = l3 + (a->ipv6 ? 8 : 12);
	uint32_t sum = IPPROTO_UDP + (uint32_t)ulen;

	for (i = 0; i < 2 * alen; i += 2)
		sum += (uint32_t)f[saddr + i] << 8 | f[saddr + i + 1];
	for (i = 0; i < ulen; i += 2) {
		if (i == 6)	/* the checksum field itself */
			continue;
		sum += (uint32_t)f[l4 + i] << 8 | (i + 1 < ulen ? f[l4 + i + 1] : 0);
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	return sum ? (uint16_t)sum : 0xffff;
}

static inline uint16_t xdp_udp_check_field(const uint8_t *f, const struct segoff_addr *a)
{
	size_t l4 = xdp_l4(a);

	return (uint16_t)(f[l4 + 6] << 8 | f[l4 + 7]);
}

#define XDP_COUNTERS(X) X(frames) X(windows) X(split) X(nosplit) \
	X(invalid_truncated) X(invalid_range) X(invalid_nan) X(other) X(streams) X(refused) \
	X(replied)

/* "" when equal, else every differing counter as "name got/want" */
static inline const char *xdp_counters_diff(const struct segoff_counters *got,
					    const struct segoff_counters *want)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = 0;
#define XDP_DIFF(f) do {						\
	if (got->f != want->f && n < sizeof(buf))			\
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " " #f " %llu/%llu", \
				      (unsigned long long)got->f,	\
				      (unsigned long long)want->f);	\
} while (0);
	XDP_COUNTERS(XDP_DIFF)
#undef XDP_DIFF
	return buf;
}

/* The counter a verdict adds to, given the reference's reason. */
static inline size_t xdp_verdict_counter(int tag, int why, uint32_t encoding)
{
	if (tag == SEGOFF_TAG_SPLIT)
		return offsetof(struct segoff_counters, split);
	if (tag == SEGOFF_TAG_NOSPLIT)
		return offsetof(struct segoff_counters, nosplit);
	/* frame.c sends an unevaluable fixed sample as UINT32_MAX: out of range */
	if (why == SEGOFF_SAMPLE_NAN && encoding == SEGOFF_ENC_DOUBLE)
		return offsetof(struct segoff_counters, invalid_nan);
	return offsetof(struct segoff_counters, invalid_range);
}

/* through __u64, the counters' own type: uint64_t would break strict aliasing */
static inline void xdp_counter_add(struct segoff_counters *c, size_t off, __u64 n)
{
	*(__u64 *)((char *)c + off) += n;
}

/* The tests' random numbers; a test seeds rng_state (its SEGOFF_SEED). */
static uint64_t rng_state;

/* splitmix64: small, and the same sequence everywhere */
static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static inline double rnd_unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;	/* [0, 1) */
}

/* Without root nothing here can run: one skip for the whole program (exit 4). */
#define XDP_HARNESS_MAIN						\
int main(int argc, char **argv)						\
{									\
	if (geteuid())							\
		ksft_exit_skip("needs root for BPF_PROG_LOAD and BPF_PROG_TEST_RUN\n"); \
	return test_harness_run(argc, argv);				\
}

#endif /* _XDP_COMMON_H */
