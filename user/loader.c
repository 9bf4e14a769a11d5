// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loads the XDP object for one mode. The object holds two programs over the
 * same maps: segoff_xdp adds its counters atomically (an offloaded ARRAY is
 * shared by every nfp thread), segoff_xdp_percpu with plain adds into a
 * PERCPU_ARRAY (cheaper on the host). Only the one that fits the mode is
 * loaded, after its counter map has been given the matching type.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libsegoff.h"
#include "segoff.skel.h"

#define PROG_ATOMIC	"segoff_xdp"
#define PROG_PERCPU	"segoff_xdp_percpu"

static int libbpf_print_stderr(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, ": %s", strerror(-e));
	return e;
}

static struct bpf_object *obj_open(const char *path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "segoff");
	const void *elf;
	size_t sz;

	if (path)
		return bpf_object__open_file(path, NULL);
	elf = segoff_bpf__elf_bytes(&sz);
	return bpf_object__open_mem(elf, sz, &opts);
}

int segoff_obj_load(struct segoff_obj *o, const char *path, uint32_t mode, int ifindex,
		    int verbose, char *err, size_t errlen)
{
	struct bpf_program *atomic, *percpu, *prog;
	struct bpf_map *config, *counters;
	const char *what = path ? path : "built-in object";
	int e;

	memset(o, 0, sizeof(*o));
	o->prog_fd = o->config_fd = o->counters_fd = -1;
	if (mode > SEGOFF_MODE_MAX)
		return fail(err, errlen, -EINVAL, "Unknown XDP mode %u", mode);
	if (mode == SEGOFF_MODE_OFFLOAD && ifindex <= 0)
		return fail(err, errlen, -EINVAL, "Offload needs a device");

	libbpf_set_print(verbose ? libbpf_print_stderr : NULL);
	o->obj = obj_open(path);
	if (!o->obj) {
		e = -errno;
		return fail(err, errlen, e, "Unable to open %s", what);
	}

	atomic = bpf_object__find_program_by_name(o->obj, PROG_ATOMIC);
	percpu = bpf_object__find_program_by_name(o->obj, PROG_PERCPU);
	config = bpf_object__find_map_by_name(o->obj, SEGOFF_CONFIG_MAP);
	counters = bpf_object__find_map_by_name(o->obj, SEGOFF_COUNTERS_MAP);
	if (!atomic || !percpu || !config || !counters) {
		e = fail(err, errlen, -ENOENT,
			 "%s lacks program %s or %s, or map %s or %s", what, PROG_ATOMIC,
			 PROG_PERCPU, SEGOFF_CONFIG_MAP, SEGOFF_COUNTERS_MAP);
		goto err_close;
	}

	if (mode == SEGOFF_MODE_OFFLOAD) {
		prog = atomic;
		bpf_program__set_ifindex(prog, ifindex);
		bpf_map__set_ifindex(config, ifindex);
		bpf_map__set_ifindex(counters, ifindex);
	} else {
		prog = percpu;
		o->percpu = 1;
		e = bpf_map__set_type(counters, BPF_MAP_TYPE_PERCPU_ARRAY);
		if (e) {
			fail(err, errlen, e, "Unable to make %s per-CPU", SEGOFF_COUNTERS_MAP);
			goto err_close;
		}
	}
	bpf_program__set_autoload(atomic, prog == atomic);
	bpf_program__set_autoload(percpu, prog == percpu);

	e = bpf_object__load(o->obj);
	if (e) {
		fail(err, errlen, e, "Unable to load %s%s", what,
		     verbose ? "" : " (-v shows the verifier log)");
		goto err_close;
	}
	o->prog_fd = bpf_program__fd(prog);
	o->config_fd = bpf_map__fd(config);
	o->counters_fd = bpf_map__fd(counters);
	return 0;

err_close:
	bpf_object__close(o->obj);
	o->obj = NULL;
	return e;
}

void segoff_obj_close(struct segoff_obj *o)
{
	bpf_object__close(o->obj);
	o->obj = NULL;
	o->prog_fd = o->config_fd = o->counters_fd = -1;
}

int segoff_config_write(int config_fd, const struct segoff_config *c)
{
	__u32 key = 0;

	return bpf_map_update_elem(config_fd, &key, c, BPF_ANY) ? -errno : 0;
}

int segoff_config_read(int config_fd, struct segoff_config *c)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(config_fd, &key, c) ? -errno : 0;
}

/* Number of struct segoff_counters a lookup of @fd returns: 1, or one per CPU. */
static int counters_copies(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.value_size != sizeof(struct segoff_counters))
		return -EINVAL;
	if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY)
		return libbpf_num_possible_cpus();
	return 1;
}

int segoff_counters_reset(int counters_fd)
{
	struct segoff_counters *zero;
	__u32 key = 0;
	int n, e;

	n = counters_copies(counters_fd);
	if (n < 0)
		return n;
	zero = calloc((size_t)n, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	e = bpf_map_update_elem(counters_fd, &key, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return e;
}

int segoff_counters_read(int counters_fd, struct segoff_counters *out)
{
	struct segoff_counters *v;
	__u64 *sum = (__u64 *)out;
	__u32 key = 0;
	size_t i, w;
	int n, e;

	n = counters_copies(counters_fd);
	if (n < 0)
		return n;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	e = bpf_map_lookup_elem(counters_fd, &key, v) ? -errno : 0;
	if (!e) {
		memset(out, 0, sizeof(*out));
		for (i = 0; i < (size_t)n; i++)
			for (w = 0; w < sizeof(*out) / sizeof(__u64); w++)
				sum[w] += ((__u64 *)&v[i])[w];
	}
	free(v);
	return e;
}
