// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Programs that only segoff-bench loads, around the very body that
 * bpf/segoff.bpf.c compiles (included whole, so nothing can drift).
 *
 * BPF_PROG_TEST_RUN runs every repetition on one buffer: once the first
 * run has answered the request its tag is no longer 0 and the rest would
 * time the early exit. bench_segoff therefore puts the tag back to 0 (a
 * stream frame's status) after each evaluation; the bench checks windows == repetitions from the
 * counters. bench_pass is the baseline every ratio is taken against.
 */
#include "../bpf/segoff.bpf.c"

/* the tag's offset from the start of the frame, set by the bench */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_tag_off SEC(".maps");

/* beyond any frame the bench builds (SEGOFF_FRAME_MAX) */
#define BENCH_TAG_OFF_MAX	256

SEC("xdp")
int bench_segoff(struct xdp_md *ctx)
{
	void *data, *end;
	__u32 key = 0, *off;
	__u64 *tag;
	int act;

	act = segoff_xdp_body(ctx, 0);
	off = bpf_map_lookup_elem(&bench_tag_off, &key);
	if (!off || *off > BENCH_TAG_OFF_MAX)
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	tag = data + *off;
	if ((void *)(tag + 1) > end)
		return XDP_ABORTED;
	/* a stream frame keeps its kind in the low half, its status goes back to 0 */
	*tag = (__u32)*tag == SEGOFF_KIND_STREAM ? SEGOFF_KIND_STREAM : SEGOFF_TAG_REQUEST;
	return act;
}

SEC("xdp")
int bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
