/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The bench_samples map's value (bench/bench.bpf.c and cost.c): a double
 * stream frame's samples as the bench built them, written back after
 * each repetition since the program converts them in place.
 */
#ifndef _SEGOFF_BENCH_SAMPLES_H
#define _SEGOFF_BENCH_SAMPLES_H

#include <linux/types.h>
#include <linux/segoff.h>

struct bench_samples {
	__u32 off, len;		/* where in the frame, how many bytes */
	__u8 bytes[SEGOFF_STREAM_MAX_DOUBLE * 8];
};

#endif /* _SEGOFF_BENCH_SAMPLES_H */
