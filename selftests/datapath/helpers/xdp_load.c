// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_load: attaches segoff's XDP program the way the data-path tests need
 * it until segoff.ko holds attachments: the attachment outlives this
 * process, and the counters map stays reachable through a bpffs pin.
 *
 *   xdp_load attach dev IF mode native|generic pin PATH [obj FILE]
 *            [eps E] [scale S] [encoding fixed|double] [arith exact|seed] [port P]
 *   xdp_load counters PIN	prints the summed counters as "key value" lines
 *   xdp_load detach dev IF	removes whatever XDP program IF carries
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libsegoff.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: xdp_load attach dev IF mode native|generic pin PATH [obj FILE]\n"
		"                [eps E] [scale S] [encoding fixed|double] [arith exact|seed] [port P]\n"
		"       xdp_load counters PIN\n"
		"       xdp_load detach dev IF\n");
	return 2;
}

static int ifindex_of(const char *name)
{
	int ifindex = (int)if_nametoindex(name);

	if (!ifindex)
		fprintf(stderr, "xdp_load: %s: %s\n", name, strerror(errno));
	return ifindex;
}

static int parse_u32(const char *key, const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > UINT32_MAX) {
		fprintf(stderr, "xdp_load: %s `%s' is not a 32-bit number\n", key, s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* One keyword and its value; -1 after printing why it is refused. */
static int param(struct segoff_params *p, unsigned int *given, const char *key,
		 const char *val)
{
	uint64_t eps;
	int err = 0;

	if (!strcmp(key, "eps")) {
		err = segoff_parse_eps(val, &eps);
		if (!err)
			p->eps = eps;
		*given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_EPS);
	} else if (!strcmp(key, "scale")) {
		*given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_SCALE);
		return parse_u32(key, val, &p->scale);
	} else if (!strcmp(key, "port")) {
		*given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT);
		return parse_u32(key, val, &p->port);
	} else if (!strcmp(key, "encoding")) {
		*given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING);
		err = segoff_parse_encoding(val, &p->encoding);
	} else if (!strcmp(key, "arith")) {
		*given |= SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH);
		err = segoff_parse_arith(val, &p->arith);
	} else {
		fprintf(stderr, "xdp_load: unknown keyword `%s'\n", key);
		return -1;
	}
	if (err)
		fprintf(stderr, "xdp_load: bad %s `%s'\n", key, val);
	return err ? -1 : 0;
}

static int do_attach(int argc, char **argv)
{
	const char *dev = NULL, *mode = NULL, *pin = NULL, *obj = NULL;
	struct segoff_obj o = { .obj = NULL };
	struct segoff_params p, req = { 0 };
	struct segoff_config c;
	unsigned int given = 0;
	int ifindex, err, i;
	uint32_t xdp_flags, smode;
	char msg[512];

	segoff_params_default(&p);
	if (argc % 2)
		return usage();
	for (i = 0; i < argc; i += 2) {
		if (!strcmp(argv[i], "dev"))
			dev = argv[i + 1];
		else if (!strcmp(argv[i], "mode"))
			mode = argv[i + 1];
		else if (!strcmp(argv[i], "pin"))
			pin = argv[i + 1];
		else if (!strcmp(argv[i], "obj"))
			obj = argv[i + 1];
		else if (param(&req, &given, argv[i], argv[i + 1]))
			return 1;
	}
	if (!dev || !mode || !pin)
		return usage();
	if (!strcmp(mode, "native")) {
		smode = SEGOFF_MODE_NATIVE;
		xdp_flags = XDP_FLAGS_DRV_MODE;
	} else if (!strcmp(mode, "generic")) {
		smode = SEGOFF_MODE_GENERIC;
		xdp_flags = XDP_FLAGS_SKB_MODE;
	} else {
		fprintf(stderr, "xdp_load: mode must be native or generic\n");
		return 1;
	}
	err = segoff_params_merge(&p, &req, given, &c);
	if (err) {
		fprintf(stderr, "xdp_load: %s\n", segoff_param_strerror(err));
		return 1;
	}
	ifindex = ifindex_of(dev);
	if (!ifindex)
		return 1;

	err = segoff_obj_load(&o, obj, smode, ifindex, 0, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "xdp_load: load: %s\n", msg);
		return 1;
	}
	if ((err = segoff_config_write(o.config_fd, &c)) ||
	    (err = segoff_counters_reset(o.counters_fd))) {
		fprintf(stderr, "xdp_load: maps: %s\n", strerror(-err));
		goto out;
	}
	/* a netlink attachment, not a link: it stays when this process exits */
	err = bpf_xdp_attach(ifindex, o.prog_fd, xdp_flags, NULL);
	if (err) {
		fprintf(stderr, "xdp_load: attach to %s: %s\n", dev, strerror(-err));
		goto out;
	}
	err = bpf_obj_pin(o.counters_fd, pin);
	if (err) {
		err = -errno;
		fprintf(stderr, "xdp_load: pin %s: %s\n", pin, strerror(errno));
		bpf_xdp_detach(ifindex, xdp_flags, NULL);
	}
out:
	segoff_obj_close(&o);
	return err ? 1 : 0;
}

static int do_counters(const char *pin)
{
	struct segoff_counters k;
	int fd, err;

	fd = bpf_obj_get(pin);
	if (fd < 0) {
		fprintf(stderr, "xdp_load: %s: %s\n", pin, strerror(errno));
		return 1;
	}
	err = segoff_counters_read(fd, &k);
	close(fd);
	if (err) {
		fprintf(stderr, "xdp_load: read %s: %s\n", pin, strerror(-err));
		return 1;
	}
	printf("frames %" PRIu64 "\nwindows %" PRIu64 "\nsplit %" PRIu64 "\nnosplit %" PRIu64
	       "\ninvalid_truncated %" PRIu64 "\ninvalid_range %" PRIu64 "\ninvalid_nan %" PRIu64
	       "\nother %" PRIu64 "\n", (uint64_t)k.frames, (uint64_t)k.windows,
	       (uint64_t)k.split, (uint64_t)k.nosplit, (uint64_t)k.invalid_truncated,
	       (uint64_t)k.invalid_range, (uint64_t)k.invalid_nan, (uint64_t)k.other);
	return 0;
}

/* the attachment's mode decides the flag: detaching without it misses SKB mode */
static int do_detach(const char *dev)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ifindex, err;
	uint32_t flags;

	ifindex = ifindex_of(dev);
	if (!ifindex)
		return 1;
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err) {
		fprintf(stderr, "xdp_load: query %s: %s\n", dev, strerror(-err));
		return 1;
	}
	switch (q.attach_mode) {
	case XDP_ATTACHED_NONE:
		fprintf(stderr, "xdp_load: %s carries no XDP program\n", dev);
		return 1;
	case XDP_ATTACHED_SKB:
		flags = XDP_FLAGS_SKB_MODE;
		break;
	case XDP_ATTACHED_HW:
		flags = XDP_FLAGS_HW_MODE;
		break;
	default:
		flags = XDP_FLAGS_DRV_MODE;
		break;
	}
	err = bpf_xdp_detach(ifindex, flags, NULL);
	if (err) {
		fprintf(stderr, "xdp_load: detach %s: %s\n", dev, strerror(-err));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "attach"))
		return do_attach(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "counters"))
		return do_counters(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "detach") && !strcmp(argv[2], "dev"))
		return do_detach(argv[3]);
	return usage();
}
