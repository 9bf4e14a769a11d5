// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loads one program of an object on the host through libsegoff's loader,
 * the one segoff-nl and the tests use: segoff_xdp with the ARRAY counters
 * it keeps on the nfp, any other program with PERCPU_ARRAY counters.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bench.h"
#include "load.h"

int bench_load(struct bench_obj *b, const char *path, const char *prog)
{
	struct segoff_load_opts opts = { .path = path, .prog = prog, .mode = SEGOFF_MODE_NATIVE };
	char err[256];

	memset(b, 0, sizeof(*b));
	if (segoff_obj_load_opts(&b->o, &opts, err, sizeof(err))) {
		fprintf(stderr, "segoff-bench: %s\n", err);
		return -1;
	}
	b->obj = b->o.obj;
	b->prog_fd = b->o.prog_fd;
	b->config_fd = b->o.config_fd;
	b->counters_fd = b->o.counters_fd;
	b->tag_off_fd = bpf_object__find_map_fd_by_name(b->obj, "bench_tag_off");
	return 0;
}

void bench_unload(struct bench_obj *b)
{
	segoff_obj_close(&b->o);
	b->obj = NULL;
}
