// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Small helpers every phase of segoff-bench uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "bench.h"

double bench_window[SEGOFF_SAMPLES];

void bench_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("[+] ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int bench_config(uint32_t encoding, uint32_t arith, struct segoff_config *c)
{
	struct segoff_params p, req = { .encoding = encoding, .arith = arith };
	int err;

	segoff_params_default(&p);
	err = segoff_params_merge(&p, &req, SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING) |
				  SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH), c);
	if (err)
		fprintf(stderr, "segoff-bench: bad parameters: %s\n", segoff_param_strerror(err));
	return err ? -1 : 0;
}

int bench_prog_info(int prog_fd, struct bench_prog_info *pi)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		perror("segoff-bench: bpf_obj_get_info_by_fd");
		return -1;
	}
	pi->xlated_insns = info.xlated_prog_len / sizeof(struct bpf_insn);
	pi->jited_bytes = info.jited_prog_len;
	pi->verified_insns = info.verified_insns;
	return 0;
}

size_t bench_frame(uint8_t *buf, const struct segoff_config *c, int ipv6, uint16_t vlan,
		   const uint8_t src[6], const uint8_t dst[6], uint32_t samples, uint64_t seq,
		   size_t *tag_off)
{
	static const uint64_t magic = SEGOFF_MAGIC;
	double x[SEGOFF_STREAM_MAX_FIXED];
	struct segoff_addr a;
	size_t len, off;
	uint32_t i;

	memset(&a, 0, sizeof(a));
	memcpy(a.src_mac, src, 6);
	memcpy(a.dst_mac, dst, 6);
	a.vlan = vlan;
	a.ipv6 = ipv6;
	inet_pton(AF_INET, "10.199.0.1", &a.src4);
	inet_pton(AF_INET, "10.199.0.2", &a.dst4);
	inet_pton(AF_INET6, "fd00:199::1", &a.src6);
	inet_pton(AF_INET6, "fd00:199::2", &a.dst6);
	a.sport = SEGOFF_DEFAULT_PORT;
	a.dport = SEGOFF_DEFAULT_PORT;
	/* a stream frame repeats the window: every window costs the same */
	for (i = 0; i < samples; i++)
		x[i] = bench_window[i % SEGOFF_SAMPLES];
	len = samples ? segoff_stream_build(buf, &a, x, samples, c, 1, seq) :
			segoff_frame_build(buf, &a, bench_window, c, seq);
	off = 14 + (vlan ? 4 : 0) + (ipv6 ? 40 : 20) + 8 + sizeof(magic);
	/* the re-arm writes here: it must be the tag, nothing else */
	if (!len || off + 8 > len || memcmp(buf + off - sizeof(magic), &magic, sizeof(magic))) {
		fprintf(stderr, "segoff-bench: no request tag at offset %zu of the frame\n", off);
		return 0;
	}
	*tag_off = off;
	return len;
}
