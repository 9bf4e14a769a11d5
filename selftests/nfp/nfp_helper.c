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
 *   nfp_helper config [eps E] [scale S] [encoding E] [arith A] [port P]
 *	Prints the config map entries segoff_config_make() gives for these
 *	parameters, "KEY VALUE" in hex, bytes in memory order, as the
 *	stub's debugfs file shows them.
 */
#include <errno.h>
#include <net/if.h>
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
		"       nfp_helper config [eps E] [scale S] [encoding fixed|double]\n"
		"                         [arith exact|seed] [port P]\n");
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

static int do_config(int argc, char **argv)
{
	struct segoff_params p;
	struct segoff_config c;
	int scale_given = 0, err = 0, i;
	uint64_t eps;
	__u32 key = 0;

	segoff_params_default(&p);
	if (argc % 2)
		return usage();
	for (i = 0; i < argc && !err; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "eps")) {
			err = segoff_parse_eps(v, &eps);
			p.eps = eps;
		} else if (!strcmp(k, "scale")) {
			scale_given = 1;
			err = parse_u32(v, &p.scale);
		} else if (!strcmp(k, "port")) {
			err = parse_u32(v, &p.port);
		} else if (!strcmp(k, "encoding")) {
			err = segoff_parse_encoding(v, &p.encoding);
		} else if (!strcmp(k, "arith")) {
			err = segoff_parse_arith(v, &p.arith);
		} else {
			return usage();
		}
		if (err)
			fprintf(stderr, "nfp_helper: bad %s `%s'\n", k, v);
	}
	if (err)
		return 1;
	if (!scale_given && p.arith == SEGOFF_ARITH_SEED)
		p.scale = SEGOFF_DEFAULT_SCALE_SEED;
	memset(&c, 0, sizeof(c));
	err = segoff_config_make(&p, &c);
	if (err) {
		fprintf(stderr, "nfp_helper: %s\n", segoff_param_strerror(err));
		return 1;
	}
	hex(&key, sizeof(key));
	putchar(' ');
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
	return usage();
}
