// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loads one program of an object on the host, the way the loader would
 * for its mode: the per-CPU program with PERCPU_ARRAY counters, the
 * offload program with the ARRAY counters it keeps on the nfp.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bench.h"
#include "load.h"

int bench_load(struct bench_obj *b, const char *path, const char *prog, int percpu)
{
	struct bpf_program *p;
	struct bpf_map *m;
	int err;

	memset(b, 0, sizeof(*b));
	b->obj = bpf_object__open_file(path, NULL);
	if (!b->obj) {
		fprintf(stderr, "segoff-bench: Unable to open %s: %s\n", path, strerror(errno));
		return -1;
	}
	bpf_object__for_each_program(p, b->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), prog));
	p = bpf_object__find_program_by_name(b->obj, prog);
	m = bpf_object__find_map_by_name(b->obj, SEGOFF_COUNTERS_MAP);
	if (!p || !m) {
		fprintf(stderr, "segoff-bench: %s has no program %s or no map %s\n",
			path, prog, SEGOFF_COUNTERS_MAP);
		goto fail;
	}
	if (percpu && bpf_map__set_type(m, BPF_MAP_TYPE_PERCPU_ARRAY))
		goto fail;
	err = bpf_object__load(b->obj);
	if (err) {
		fprintf(stderr, "segoff-bench: Unable to load %s from %s: %s\n",
			prog, path, strerror(-err));
		goto fail;
	}
	b->prog_fd = bpf_program__fd(p);
	b->counters_fd = bpf_map__fd(m);
	m = bpf_object__find_map_by_name(b->obj, SEGOFF_CONFIG_MAP);
	b->config_fd = m ? bpf_map__fd(m) : -1;
	m = bpf_object__find_map_by_name(b->obj, "bench_tag_off");
	b->tag_off_fd = m ? bpf_map__fd(m) : -1;
	return 0;
fail:
	bpf_object__close(b->obj);
	b->obj = NULL;
	return -1;
}

void bench_unload(struct bench_obj *b)
{
	bpf_object__close(b->obj);
	b->obj = NULL;
}
