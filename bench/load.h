/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef _SEGOFF_BENCH_LOAD_H
#define _SEGOFF_BENCH_LOAD_H

#include "libsegoff.h"

struct bench_obj {
	struct segoff_obj o;
	struct bpf_object *obj;
	int prog_fd, config_fd, counters_fd;
	int tag_off_fd;			/* bench.bpf.o only, else -1 */
};

/* Loads only @prog from @path; 0, or -1 after printing why. */
int bench_load(struct bench_obj *b, const char *path, const char *prog);
void bench_unload(struct bench_obj *b);

#endif /* _SEGOFF_BENCH_LOAD_H */
