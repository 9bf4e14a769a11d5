// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The one loader of the XDP object, for segoff-nl, the benchmark and the
 * tests. The object holds two programs over the same maps: segoff_xdp adds
 * its counters atomically (an offloaded ARRAY is shared by every nfp
 * thread), segoff_xdp_percpu with plain adds into a PERCPU_ARRAY (cheaper
 * on the host). Only the one asked for is loaded, after its counter map
 * has been given the matching type.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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

int segoff_obj_load_opts(struct segoff_obj *o, const struct segoff_load_opts *opts, char *err,
			 size_t errlen)
{
	const char *what = opts->path ? opts->path : "built-in object", *name;
	struct bpf_map *config, *counters;
	struct bpf_program *prog, *p;
	int e;

	memset(o, 0, sizeof(*o));
	o->prog_fd = o->config_fd = o->counters_fd = -1;
	if (opts->mode > SEGOFF_MODE_MAX)
		return fail(err, errlen, -EINVAL, "Unknown XDP mode %u", opts->mode);
	if (opts->mode == SEGOFF_MODE_OFFLOAD && opts->ifindex <= 0)
		return fail(err, errlen, -EINVAL, "Offload needs a device");
	name = opts->prog ? opts->prog : opts->mode == SEGOFF_MODE_OFFLOAD ? PROG_ATOMIC : PROG_PERCPU;

	libbpf_set_print(opts->verbose ? libbpf_print_stderr : NULL);
	o->obj = obj_open(opts->path);
	if (!o->obj) {
		e = -errno;
		return fail(err, errlen, e, "Unable to open %s", what);
	}

	prog = bpf_object__find_program_by_name(o->obj, name);
	config = bpf_object__find_map_by_name(o->obj, SEGOFF_CONFIG_MAP);
	counters = bpf_object__find_map_by_name(o->obj, SEGOFF_COUNTERS_MAP);
	if (!prog || !config || !counters) {
		e = fail(err, errlen, -ENOENT, "%s lacks program %s, or map %s or %s", what, name,
			 SEGOFF_CONFIG_MAP, SEGOFF_COUNTERS_MAP);
		goto err_close;
	}
	bpf_object__for_each_program(p, o->obj)
		bpf_program__set_autoload(p, p == prog);

	if (opts->mode == SEGOFF_MODE_OFFLOAD) {
		bpf_program__set_ifindex(prog, opts->ifindex);
		bpf_map__set_ifindex(config, opts->ifindex);
		bpf_map__set_ifindex(counters, opts->ifindex);
	}
	/* only the atomic program may share its counters between CPUs */
	if (strcmp(name, PROG_ATOMIC)) {
		e = bpf_map__set_type(counters, BPF_MAP_TYPE_PERCPU_ARRAY);
		if (e) {
			fail(err, errlen, e, "Unable to make %s per-CPU", SEGOFF_COUNTERS_MAP);
			goto err_close;
		}
	}

	e = bpf_object__load(o->obj);
	if (e) {
		fail(err, errlen, e, "Unable to load %s%s", what,
		     opts->verbose ? "" : " (-v shows the verifier log)");
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

int segoff_obj_load(struct segoff_obj *o, const char *path, uint32_t mode, int ifindex,
		    int verbose, char *err, size_t errlen)
{
	struct segoff_load_opts opts = {
		.path = path, .mode = mode, .ifindex = ifindex, .verbose = verbose,
	};

	return segoff_obj_load_opts(o, &opts, err, errlen);
}

void segoff_obj_close(struct segoff_obj *o)
{
	bpf_object__close(o->obj);
	o->obj = NULL;
	o->prog_fd = o->config_fd = o->counters_fd = -1;
}

/* Both entries, entry 0 in force: for a map no program reads yet. */
int segoff_config_write(int config_fd, const struct segoff_config *c)
{
	struct segoff_config_map m;
	__u32 key;

	segoff_config_init(&m, c);
	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++)
		if (bpf_map_update_elem(config_fd, &key, &m.entry[key], BPF_ANY))
			return -errno;
	return 0;
}

/*
 * Waits until every XDP run that began before the call has ended: an RCU
 * grace period, since XDP runs inside an RCU read-side section. Storing
 * a map in an ARRAY_OF_MAPS from the syscall is documented to wait for
 * one (maybe_wait_bpf_programs() in kernel/bpf/syscall.c), on every
 * kernel since 4.20, nohz_full too, where membarrier() refuses.
 */
static int segoff_grace_period(void)
{
	int inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "segoff_rcu", sizeof(__u32),
				   sizeof(__u32), 1, NULL);
	LIBBPF_OPTS(bpf_map_create_opts, opts, .inner_map_fd = inner);
	int outer, err = 0;
	__u32 key = 0;

	if (inner < 0)
		return -errno;
	outer = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "segoff_rcu", sizeof(__u32),
			       sizeof(__u32), 1, &opts);
	if (outer < 0 || bpf_map_update_elem(outer, &key, &inner, BPF_ANY))
		err = -errno;
	if (outer >= 0)
		close(outer);
	close(inner);
	return err;
}

/*
 * Installs @c in a map that programs may be reading, as params.h's
 * protocol says: the idle entry, then entry 0 with the flip, then a grace
 * period before anything may write the entry the flip retired.
 */
int segoff_config_install(int config_fd, const struct segoff_config *c)
{
	struct segoff_config_map m;
	__u32 key, idle;

	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++)
		if (bpf_map_lookup_elem(config_fd, &key, &m.entry[key]))
			return -errno;
	idle = segoff_config_stage(&m, c);
	if (bpf_map_update_elem(config_fd, &idle, &m.entry[idle], BPF_ANY))
		return -errno;
	segoff_config_flip(&m, idle);
	key = 0;
	if (bpf_map_update_elem(config_fd, &key, &m.entry[0], BPF_ANY))
		return -errno;
	return segoff_grace_period();
}

/* The port's MAC and primary IPv4 address, the source of answers to group addresses. */
void segoff_config_port(const char *dev, struct segoff_config *c)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(fd, SIOCGIFHWADDR, &ifr) && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER)
		memcpy(c->mac, ifr.ifr_hwaddr.sa_data, sizeof(c->mac));
	if (!ioctl(fd, SIOCGIFADDR, &ifr))
		c->addr4 = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
	close(fd);
}

/*
 * The counters map's layout: @entries values of @size bytes, concatenated
 * into struct segoff_counters, each @copies times (one per CPU) on lookup.
 */
static int counters_layout(int fd, int *copies, __u32 *entries, __u32 *size)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (!info.max_entries || info.value_size % sizeof(__u64) ||
	    (size_t)info.value_size * info.max_entries != sizeof(struct segoff_counters))
		return -EINVAL;
	*copies = info.type == BPF_MAP_TYPE_PERCPU_ARRAY ? libbpf_num_possible_cpus() : 1;
	*entries = info.max_entries;
	*size = info.value_size;
	return *copies > 0 ? 0 : *copies;
}

int segoff_counters_reset(int counters_fd)
{
	__u32 key, entries, size;
	int copies, e;
	void *zero;

	e = counters_layout(counters_fd, &copies, &entries, &size);
	if (e)
		return e;
	zero = calloc((size_t)copies, size);
	if (!zero)
		return -ENOMEM;
	for (key = 0; key < entries && !e; key++)
		e = bpf_map_update_elem(counters_fd, &key, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return e;
}

/* Entry 0 then entry 1, each summed over the CPUs. */
int segoff_counters_read(int counters_fd, struct segoff_counters *out)
{
	__u32 key, entries, size, w, words;
	__u64 *sum = (__u64 *)out, *v;
	int copies, cpu, e;

	e = counters_layout(counters_fd, &copies, &entries, &size);
	if (e)
		return e;
	words = size / sizeof(__u64);
	v = calloc((size_t)copies, size);
	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	for (key = 0; key < entries && !e; key++) {
		e = bpf_map_lookup_elem(counters_fd, &key, v) ? -errno : 0;
		for (cpu = 0; !e && cpu < copies; cpu++)
			for (w = 0; w < words; w++)
				sum[key * words + w] += v[(size_t)cpu * words + w];
	}
	free(v);
	return e;
}
