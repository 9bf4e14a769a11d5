// SPDX-License-Identifier: GPL-2.0
/*
 * nfp_helper: what the nfp tests need besides segoff-nl.
 *
 *   nfp_helper load dev IF [prog segoff_xdp|segoff_xdp_percpu]
 *	Loads one program of the built-in object for offload to IF, both
 *	maps bound to IF as well, counters left an ARRAY whichever program
 *	it is (segoff-nl only ever offloads segoff_xdp). Prints
 *	"xlated N nfp_insns M" and frees it again; on failure prints the
 *	verifier log and the error.
 *   nfp_helper config dev IF [eps E] [scale S] [encoding E] [arith A] [port P]
 *	Prints the config entry segoff.ko stores for these parameters on
 *	top of the defaults (segoff_params_merge(), IF's addresses), in hex,
 *	bytes in memory order as the stub's debugfs file shows them, with
 *	the word @active zeroed.
 *   nfp_helper current ENTRY0 ENTRY1
 *	From the config map's entries in hex: entry 0's @active and the
 *	entry in force (segoff_config_current()), @active zeroed.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libsegoff.h"
#include "segoff.skel.h"

static char vlog[1 << 20];

static int usage(void)
{
	fprintf(stderr,
		"usage: nfp_helper load dev IF [prog segoff_xdp|segoff_xdp_percpu]\n"
		"       nfp_helper config dev IF [eps E] [scale S] [encoding fixed|double]\n"
		"                         [arith exact|seed] [port P]\n"
		"       nfp_helper current ENTRY0 ENTRY1\n");
	return 2;
}

static void hex(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static int do_load(int argc, char **argv)
{
	const char *dev = NULL, *name = "segoff_xdp";
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	struct bpf_program *prog, *p;
	struct bpf_object *obj;
	struct bpf_map *m;
	const void *elf;
	int ifindex, err, i;
	size_t sz;

	if (argc % 2)
		return usage();
	for (i = 0; i < argc; i += 2) {
		if (!strcmp(argv[i], "dev"))
			dev = argv[i + 1];
		else if (!strcmp(argv[i], "prog"))
			name = argv[i + 1];
		else
			return usage();
	}
	if (!dev)
		return usage();
	ifindex = (int)if_nametoindex(dev);
	if (!ifindex) {
		fprintf(stderr, "nfp_helper: %s: %s\n", dev, strerror(errno));
		return 1;
	}

	elf = segoff_bpf__elf_bytes(&sz);
	obj = bpf_object__open_mem(elf, sz, NULL);
	if (!obj) {
		fprintf(stderr, "nfp_helper: cannot open the built-in object: %s\n",
			strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, name);
	if (!prog) {
		fprintf(stderr, "nfp_helper: no program %s\n", name);
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	bpf_object__for_each_map(m, obj)
		bpf_map__set_ifindex(m, ifindex);
	bpf_program__set_ifindex(prog, ifindex);
	bpf_program__set_log_buf(prog, vlog, sizeof(vlog));

	err = bpf_object__load(obj);
	if (err) {
		fputs(vlog, stdout);
		printf("nfp_helper: cannot load %s for %s: %s\n", name, dev, strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len)) {
		fprintf(stderr, "nfp_helper: cannot read the program's info: %s\n",
			strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	/* an NFP instruction is 64 bits */
	printf("xlated %u nfp_insns %u\n", info.xlated_prog_len / 8, info.jited_prog_len / 8);
	bpf_object__close(obj);
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* The port's MAC and primary IPv4 address, as segoff.ko puts them in. */
static int port_addrs(const char *dev, struct segoff_config *c)
{
	struct ifaddrs *ifa, *i;
	char path[64];
	unsigned int m[6];
	FILE *f;
	int n, k;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]);
	fclose(f);
	if (n != 6)
		return -1;
	for (k = 0; k < 6; k++)
		c->mac[k] = (uint8_t)m[k];
	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && !strcmp(i->ifa_name, dev)) {
			c->addr4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			break;
		}
	freeifaddrs(ifa);
	return 0;
}

/* What segoff.ko stores for the parameters given, on top of the defaults */
static int do_config(int argc, char **argv)
{
	struct segoff_params p, req;
	struct segoff_config c;
	const char *dev = NULL;
	__u32 given = 0;
	uint64_t eps;
	int err = 0, i;

	segoff_params_default(&p);
	req = p;
	if (argc % 2)
		return usage();
	for (i = 0; i < argc && !err; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "dev")) {
			dev = v;
		} else if (!strcmp(k, "eps")) {
			err = segoff_parse_eps(v, &eps);
			req.eps = eps;
			given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_EPS);
		} else if (!strcmp(k, "scale")) {
			err = parse_u32(v, &req.scale);
			given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_SCALE);
		} else if (!strcmp(k, "port")) {
			err = parse_u32(v, &req.port);
			given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT);
		} else if (!strcmp(k, "encoding")) {
			err = segoff_parse_encoding(v, &req.encoding);
			given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING);
		} else if (!strcmp(k, "arith")) {
			err = segoff_parse_arith(v, &req.arith);
			given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH);
		} else {
			return usage();
		}
		if (err)
			fprintf(stderr, "nfp_helper: bad %s `%s'\n", k, v);
	}
	if (err)
		return 1;
	if (!dev)
		return usage();
	memset(&c, 0, sizeof(c));
	err = segoff_params_merge(&p, &req, given, &c);
	if (err) {
		fprintf(stderr, "nfp_helper: %s\n", segoff_param_strerror(err));
		return 1;
	}
	if (port_addrs(dev, &c)) {
		fprintf(stderr, "nfp_helper: cannot read the addresses of %s\n", dev);
		return 1;
	}
	c.active = 0;
	hex(&c, sizeof(c));
	putchar('\n');
	return 0;
}

static int unhex(const char *s, void *out, size_t n)
{
	unsigned char *b = out;
	unsigned int v;
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (unsigned char)v;
	}
	return 0;
}

/* The entry in force of a config map whose entries are given in hex */
static int do_current(int argc, char **argv)
{
	struct segoff_config_map m;
	struct segoff_config c;
	int i;

	if (argc != SEGOFF_MAP_ENTRIES)
		return usage();
	for (i = 0; i < SEGOFF_MAP_ENTRIES; i++)
		if (unhex(argv[i], &m.entry[i], sizeof(m.entry[i]))) {
			fprintf(stderr, "nfp_helper: entry %d is not %zu bytes in hex\n", i,
				sizeof(m.entry[i]));
			return 1;
		}
	c = *segoff_config_current(&m);
	c.active = 0;
	printf("%u ", m.entry[0].active);
	hex(&c, sizeof(c));
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "load"))
		return do_load(argc - 2, argv + 2);
	if (!strcmp(argv[1], "config"))
		return do_config(argc - 2, argv + 2);
	if (!strcmp(argv[1], "current"))
		return do_current(argc - 2, argv + 2);
	return usage();
}
