// SPDX-License-Identifier: GPL-2.0
/*
 * The segoff generic netlink API against segoff.ko (run in the VM, module
 * loaded): every rejection with its exact extack, replace, detach,
 * permissions, namespaces, and a live DEV_SET changing the verdicts of
 * the attached program.
 *
 * Each test runs in its own network namespace (the harness forks it and
 * the setup unshares), with a veth pair sg0/sg1: when the test process
 * ends, the namespace and the devices go with it.
 *
 * The two objects the tests bind are loaded once, by the harness's own
 * process before it forks the tests (SEGOFF_HARNESS_MAIN_INIT): under a
 * debug kernel one load costs tens of seconds. Each test inherits their
 * fds, starts from their maps as a load leaves them (all zero) and ends
 * with no binding: a map belongs to one binding at a time, and a
 * namespace's devices go asynchronously, so its teardown detaches both
 * devices rather than leave that to the namespace. A test whose point is
 * that nobody else holds the program loads its own.
 *
 * Raw netlink on purpose: the tests must be able to send what no
 * well-behaved client (segoff-nl included) would. The program is the
 * built-in object, or the one $SEGOFF_BPF_OBJ names (as `attach obj`).
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* the 6.1 harness and its TEST_F() expansion leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "ksft_slow.h"
#include "libsegoff.h"
#include "segoff.skel.h"

#include "nlraw.h"

#define DEV0		"sg0"
#define DEV1		"sg1"

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static uint32_t xdp_flags(uint32_t mode)
{
	return mode == SEGOFF_MODE_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

/* the program the device runs in @mode, 0 for none */
static uint32_t xdp_prog_on(int ifindex, uint32_t mode)
{
	uint32_t id = 0;

	return bpf_xdp_query_id(ifindex, xdp_flags(mode), &id) ? UINT32_MAX : id;
}

FIXTURE(veth) {
	int nl, family;
	int ifindex, ifindex1;
	struct segoff_obj obj, obj2;	/* shared[mode]'s: for replace and foreign maps */
	struct req r;
	struct reply rep;
};

FIXTURE_VARIANT(veth) {
	uint32_t mode;
};

FIXTURE_VARIANT_ADD(veth, native) {
	.mode = SEGOFF_MODE_NATIVE,
};

FIXTURE_VARIANT_ADD(veth, generic) {
	.mode = SEGOFF_MODE_GENERIC,
};

static int dev_req(int fd, int family, uint8_t cmd, const char *ifname, struct reply *rep)
{
	struct req r;

	req_init(&r, family, cmd, 0);
	put_str(&r, SEGOFF_A_DEV_IFNAME, ifname);
	return transact(fd, &r, rep);
}

/* per mode, loaded before the tests fork (load_shared) */
static struct shared_objs {
	struct segoff_obj obj, obj2;
	int err;
	char msg[256];
} shared[SEGOFF_MODE_MAX + 1];

/* the objects every variant's tests bind, in the harness's process */
static void load_shared(void)
{
	const struct __fixture_variant_metadata *v;

	for (v = _veth_fixture_object.variant; v; v = v->next) {
		const FIXTURE_VARIANT(veth) *va = v->data;
		struct shared_objs *s = &shared[va->mode];

		s->err = segoff_obj_load(&s->obj, getenv("SEGOFF_BPF_OBJ"), va->mode, 0, 0,
					 s->msg, sizeof(s->msg));
		if (!s->err)
			s->err = segoff_obj_load(&s->obj2, getenv("SEGOFF_BPF_OBJ"), va->mode, 0,
						 0, s->msg, sizeof(s->msg));
	}
}

/* both maps as a load leaves them: all zero (the config: the defaults) */
static int maps_zero(const struct segoff_obj *o)
{
	struct segoff_config zero;
	uint32_t key;

	memset(&zero, 0, sizeof(zero));
	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++)
		if (bpf_map_update_elem(o->config_fd, &key, &zero, BPF_ANY))
			return -errno;
	return segoff_counters_reset(o->counters_fd);
}

FIXTURE_SETUP(veth)
{
	const struct shared_objs *s = &shared[variant->mode];

	self->nl = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	/* no IPv6 autoconfiguration: its frames would count in the counters tests */
	ASSERT_EQ(0, system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "
			    "sysctl -qw net.ipv6.conf.default.disable_ipv6=1 && "
			    "ip link add " DEV0 " type veth peer name " DEV1 " && "
			    "ip link set " DEV0 " up && ip link set " DEV1 " up"));
	self->ifindex = if_nametoindex(DEV0);
	self->ifindex1 = if_nametoindex(DEV1);
	ASSERT_NE(0, self->ifindex);
	self->nl = nl_open(&self->family);
	ASSERT_LE(0, self->nl) TH_LOG("segoff family: %s (is segoff.ko loaded?)",
				      strerror(-self->nl));
	ASSERT_EQ(0, s->err) TH_LOG("%s", s->msg);
	self->obj = s->obj;
	self->obj2 = s->obj2;
	ASSERT_EQ(0, maps_zero(&self->obj));
	ASSERT_EQ(0, maps_zero(&self->obj2));
}

FIXTURE_TEARDOWN(veth)
{
	static const char *const devs[] = { DEV0, DEV1 };
	size_t i;
	int err;

	/* gone already: detached by the test, or with its device */
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		err = dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, devs[i], &self->rep);
		EXPECT_TRUE(!err || err == -ENOENT || err == -ENODEV)
			TH_LOG("detach %s: %s", devs[i], self->rep.extack);
	}
	close(self->nl);
}

static void attach_req(struct req *r, int family, int ifindex, uint32_t mode,
		       const struct segoff_obj *o)
{
	req_init(r, family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	put_u32(r, SEGOFF_A_DEV_MODE, mode);
	put_u32(r, SEGOFF_A_DEV_PROG_FD, o->prog_fd);
	put_u32(r, SEGOFF_A_DEV_CONFIG_FD, o->config_fd);
	put_u32(r, SEGOFF_A_DEV_COUNTERS_FD, o->counters_fd);
}

TEST_F(veth, attach_twice_then_replace)
{
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj2);
	EXPECT_EQ(-EBUSY, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: device already has a segoff binding", self->rep.extack);
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));

	put_u32(&self->r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	EXPECT_EQ(prog_id(self->obj2.prog_fd), xdp_prog_on(self->ifindex, variant->mode));

	ASSERT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0, &self->rep));
	ASSERT_EQ(1, self->rep.n);
	EXPECT_EQ(prog_id(self->obj2.prog_fd),
		  attr_u32(msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_PROG_ID)));
	EXPECT_EQ(variant->mode, attr_u32(msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_MODE)));
	EXPECT_EQ((uint32_t)self->ifindex,
		  attr_u32(msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_IFINDEX)));
}

TEST_F(veth, replace_cannot_switch_host_modes)
{
	uint32_t other = variant->mode == SEGOFF_MODE_NATIVE ? SEGOFF_MODE_GENERIC
							      : SEGOFF_MODE_NATIVE;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	attach_req(&self->r, self->family, self->ifindex, other, &self->obj2);
	put_u32(&self->r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
	EXPECT_EQ(-EBUSY, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: replace cannot switch between native and generic",
		     self->rep.extack);
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));
}

TEST_F(veth, detach)
{
	struct segoff_obj own;
	char err[256];

	/* the program's only holders: this process, then the module alone */
	ASSERT_EQ(0, segoff_obj_load(&own, getenv("SEGOFF_BPF_OBJ"), variant->mode, 0, 0, err,
				     sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, DEV0,
				   &self->rep));
	EXPECT_STREQ("segoff: device has no segoff binding", self->rep.extack);
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0,
				   &self->rep));
	EXPECT_STREQ("segoff: device has no segoff binding", self->rep.extack);

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &own);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	/* the module holds the attachment without the loader's fds */
	segoff_obj_close(&own);
	EXPECT_NE(0U, xdp_prog_on(self->ifindex, variant->mode));
	EXPECT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, DEV0, &self->rep));
	EXPECT_EQ(0U, xdp_prog_on(self->ifindex, variant->mode));
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, DEV0,
				   &self->rep));
}

TEST_F(veth, wrong_program_and_maps)
{
	struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int filter, foreign;

	filter = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", ret0, 2, NULL);
	ASSERT_LE(0, filter);
	foreign = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, sizeof(uint32_t),
				 sizeof(struct segoff_config), 1, NULL);
	ASSERT_LE(0, foreign);

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	((uint32_t *)((char *)attr_find(NLMSG_DATA(self->r.nh) + GENL_HDRLEN,
					self->r.nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
					SEGOFF_A_DEV_PROG_FD) + NLA_HDRLEN))[0] = filter;
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: prog fd is not an XDP program", self->rep.extack);

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	((uint32_t *)((char *)attr_find(NLMSG_DATA(self->r.nh) + GENL_HDRLEN,
					self->r.nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
					SEGOFF_A_DEV_PROG_FD) + NLA_HDRLEN))[0] = 1000;
	EXPECT_EQ(-EBADF, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: prog fd is not an open file descriptor", self->rep.extack);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
	put_u32(&self->r, SEGOFF_A_DEV_MODE, variant->mode);
	put_u32(&self->r, SEGOFF_A_DEV_PROG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_CONFIG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj.counters_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config fd is not a BPF map", self->rep.extack);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
	put_u32(&self->r, SEGOFF_A_DEV_MODE, variant->mode);
	put_u32(&self->r, SEGOFF_A_DEV_PROG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_CONFIG_FD, foreign);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj.counters_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config map is not used by the program", self->rep.extack);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
	put_u32(&self->r, SEGOFF_A_DEV_MODE, variant->mode);
	put_u32(&self->r, SEGOFF_A_DEV_PROG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_CONFIG_FD, self->obj.config_fd);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj2.counters_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: counters map is not used by the program", self->rep.extack);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
	put_u32(&self->r, SEGOFF_A_DEV_MODE, variant->mode);
	put_u32(&self->r, SEGOFF_A_DEV_PROG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_CONFIG_FD, self->obj.counters_fd);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj.config_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config map must be an ARRAY of 2 struct segoff_config",
		     self->rep.extack);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
	put_u32(&self->r, SEGOFF_A_DEV_MODE, variant->mode);
	put_u32(&self->r, SEGOFF_A_DEV_PROG_FD, self->obj.prog_fd);
	put_u32(&self->r, SEGOFF_A_DEV_CONFIG_FD, self->obj.config_fd);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj.config_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config and counters must be two different maps",
		     self->rep.extack);

	/* a host program is not for offload */
	attach_req(&self->r, self->family, self->ifindex, SEGOFF_MODE_OFFLOAD, &self->obj);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: mode offload needs a program loaded for the device",
		     self->rep.extack);

	EXPECT_EQ(0U, xdp_prog_on(self->ifindex, variant->mode));
	close(filter);
	close(foreign);
}

/* One malformed or refused request and what the kernel must say. */
struct bad_case {
	const char *name;
	int err;
	const char *extack;
	void (*build)(struct req *r, int family, int ifindex, const struct segoff_obj *o);
};

static void attach_base(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	attach_req(r, family, ifindex, SEGOFF_MODE_GENERIC, o);
}

static void no_dev(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)ifindex;
	req_init(r, family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(r, SEGOFF_A_DEV_PROG_FD, o->prog_fd);
}

static void ifindex_zero(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)ifindex;
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, 0);
}

static void ifindex_absent(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)ifindex;
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, 65000);
}

static void ifindex_short(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	uint16_t v = ifindex;

	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put(r, SEGOFF_A_DEV_IFINDEX, &v, sizeof(v));
}

static void ifname_long(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)ifindex;
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put_str(r, SEGOFF_A_DEV_IFNAME, "a-name-longer-than-ifnamsiz");
}

static void ifname_other(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	put_str(r, SEGOFF_A_DEV_IFNAME, DEV1);
}

static void mode_range(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	attach_req(r, family, ifindex, SEGOFF_MODE_MAX + 1, o);
}

static void flags_reserved(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	attach_base(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_DEV_FLAGS, 2);
}

static void prog_missing(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	req_init(r, family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	put_u32(r, SEGOFF_A_DEV_CONFIG_FD, o->config_fd);
	put_u32(r, SEGOFF_A_DEV_COUNTERS_FD, o->counters_fd);
}

static void prog_negative(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	req_init(r, family, SEGOFF_CMD_DEV_ATTACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	put_u32(r, SEGOFF_A_DEV_PROG_FD, -1);
	put_u32(r, SEGOFF_A_DEV_CONFIG_FD, o->config_fd);
	put_u32(r, SEGOFF_A_DEV_COUNTERS_FD, o->counters_fd);
}

static void attr_unknown(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	attach_base(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_DEV_MAX + 1, 0);
}

static void set_no_params(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_SET, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
}

static void set_unbound(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_SET, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	nest_start(r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	put_u32(r, SEGOFF_A_PARAMS_PORT, 7777);
	nest_end(r);
}

static void stats_unbound(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)o;
	req_init(r, family, SEGOFF_CMD_STATS_GET, 0);
	put_u32(r, SEGOFF_A_STATS_IFINDEX, ifindex);
}

/* beyond what detach takes */
static void attr_beyond_op(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	(void)o;
	req_init(r, family, SEGOFF_CMD_DEV_DETACH, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	put_u32(r, SEGOFF_A_DEV_MODE, 0);
}

/* inside what set takes, but not one of its attributes */
static void attr_not_for_op(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	set_unbound(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_DEV_MODE, 0);
}

static void params_flat(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	struct nlattr *a;

	attach_base(r, family, ifindex, o);
	nest_start(r, SEGOFF_A_DEV_PARAMS);
	a = r->nest;
	put_u32(r, SEGOFF_A_PARAMS_PORT, 7777);
	nest_end(r);
	a->nla_type &= ~NLA_F_NESTED;
}

static void params_nest(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	attach_base(r, family, ifindex, o);
	nest_start(r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
}

static void port_zero(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_PARAMS_PORT, 0);
	nest_end(r);
}

static void eps_zero(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u64(r, SEGOFF_A_PARAMS_EPS, 0);
	nest_end(r);
}

static void eps_tiny(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u64(r, SEGOFF_A_PARAMS_EPS, 1);	/* 1e-9 * 1000 rounds to 0 */
	nest_end(r);
}

static void eps_inexact(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u64(r, SEGOFF_A_PARAMS_EPS, 1500000);	/* 0.0015 * 1000 = 1.5 */
	nest_end(r);
}

static void scale_exact(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_PARAMS_SCALE, SEGOFF_SCALE_MAX_EXACT + 1);
	nest_end(r);
}

static void encoding_range(struct req *r, int family, int ifindex, const struct segoff_obj *o)
{
	params_nest(r, family, ifindex, o);
	put_u32(r, SEGOFF_A_PARAMS_ENCODING, SEGOFF_ENC_MAX + 1);
	nest_end(r);
}

static const struct bad_case bad_cases[] = {
	{ "no device", -EINVAL, "segoff: ifindex or ifname is required", no_dev },
	{ "ifindex 0", -ERANGE, "integer out of range", ifindex_zero },
	{ "ifindex absent", -ENODEV, "segoff: no such device", ifindex_absent },
	{ "ifindex u16", -EINVAL, "invalid attribute length", ifindex_short },
	{ "ifname too long", -EINVAL, "Attribute failed policy validation", ifname_long },
	{ "ifindex and ifname disagree", -EINVAL,
	  "segoff: ifindex and ifname name different devices", ifname_other },
	{ "mode out of range", -ERANGE, "integer out of range", mode_range },
	{ "flags reserved bit", -EINVAL, "reserved bit set", flags_reserved },
	{ "prog fd missing", -EINVAL, "segoff: prog fd is required", prog_missing },
	{ "prog fd negative", -ERANGE, "integer out of range", prog_negative },
	{ "unknown attribute", -EINVAL, "Unknown attribute type", attr_unknown },
	{ "attribute beyond the op", -EINVAL, "Unknown attribute type", attr_beyond_op },
	{ "attribute not for the op", -EINVAL, "Unsupported attribute", attr_not_for_op },
	{ "params not nested", -EINVAL, "NLA_F_NESTED is missing", params_flat },
	{ "port 0", -ERANGE, "integer out of range", port_zero },
	{ "eps 0", -ERANGE, "integer out of range", eps_zero },
	{ "eps rounds to 0", -EINVAL, "segoff: eps * scale rounds to 0: raise eps or scale",
	  eps_tiny },
	{ "eps inexact", -EINVAL,
	  "segoff: exact arithmetic needs eps * scale to be a whole number", eps_inexact },
	{ "exact scale", -EINVAL,
	  "segoff: scale must be 1..4096 (exact) or 1..16384 (seed)", scale_exact },
	{ "encoding out of range", -ERANGE, "integer out of range", encoding_range },
	{ "set without params", -EINVAL, "segoff: params are required", set_no_params },
	{ "set unbound", -ENOENT, "segoff: device has no segoff binding", set_unbound },
	{ "stats unbound", -ENOENT, "segoff: device has no segoff binding", stats_unbound },
};

TEST_F(veth, bad_requests)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		c->build(&self->r, self->family, self->ifindex, &self->obj);
		EXPECT_EQ(c->err, transact(self->nl, &self->r, &self->rep))
			TH_LOG("%s: %s", c->name, self->rep.extack);
		EXPECT_STREQ(c->extack, self->rep.extack) TH_LOG("%s", c->name);
	}
	EXPECT_EQ(0U, xdp_prog_on(self->ifindex, SEGOFF_MODE_GENERIC));
}

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &= ~CAP_TO_MASK(CAP_NET_ADMIN);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_NET_ADMIN);
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/* in a child, so that the test process keeps its capabilities */
static int unprivileged_requests(const struct segoff_obj *o, int ifindex)
{
	struct reply rep;
	struct req r;
	int fd, family, bad = 0;

	if (drop_net_admin())
		return 100;
	fd = nl_open(&family);
	if (fd < 0)
		return 101;
	attach_req(&r, family, ifindex, SEGOFF_MODE_GENERIC, o);
	bad |= (transact(fd, &r, &rep) != -EPERM) << 0;
	bad |= (dev_req(fd, family, SEGOFF_CMD_DEV_DETACH, DEV0, &rep) != -EPERM) << 1;
	set_unbound(&r, family, ifindex, o);
	bad |= (transact(fd, &r, &rep) != -EPERM) << 2;
	/* reading is for everyone */
	bad |= (dev_req(fd, family, SEGOFF_CMD_DEV_GET, DEV0, &rep) != 0) << 3;
	bad |= (dev_req(fd, family, SEGOFF_CMD_STATS_GET, DEV0, &rep) != 0) << 4;
	close(fd);
	return bad;
}

TEST_F(veth, mutations_need_net_admin)
{
	int status;
	pid_t pid;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(unprivileged_requests(&self->obj2, self->ifindex));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed checks: %#x", WEXITSTATUS(status));
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));
}

static int other_namespace_sees_nothing(void)
{
	struct reply rep;
	struct req r;
	int fd, family, bad = 0;

	if (unshare(CLONE_NEWNET))
		return 100;
	fd = nl_open(&family);
	if (fd < 0)
		return 101;
	req_init(&r, family, SEGOFF_CMD_DEV_GET, NLM_F_DUMP);
	bad |= (transact(fd, &r, &rep) != 0 || rep.n != 0) << 0;
	req_init(&r, family, SEGOFF_CMD_STATS_GET, NLM_F_DUMP);
	bad |= (transact(fd, &r, &rep) != 0 || rep.n != 0) << 1;
	bad |= (dev_req(fd, family, SEGOFF_CMD_DEV_GET, DEV0, &rep) != -ENODEV) << 2;
	close(fd);
	return bad;
}

TEST_F(veth, bindings_per_namespace)
{
	int status;
	pid_t pid;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	attach_req(&self->r, self->family, self->ifindex1, variant->mode, &self->obj2);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);

	/* here: both, in ifindex order, one message each */
	req_init(&self->r, self->family, SEGOFF_CMD_DEV_GET, NLM_F_DUMP);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep));
	ASSERT_EQ(2, self->rep.n);
	EXPECT_EQ((uint32_t)(self->ifindex < self->ifindex1 ? self->ifindex : self->ifindex1),
		  attr_u32(msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_IFINDEX)));
	EXPECT_EQ((uint32_t)(self->ifindex < self->ifindex1 ? self->ifindex1 : self->ifindex),
		  attr_u32(msg_attr(self->rep.msgs[1], SEGOFF_A_DEV_IFINDEX)));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(other_namespace_sees_nothing());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed checks: %#x", WEXITSTATUS(status));
}

/* x0..x7 = 1, x8..x15 = 5: a split for eps 0.1, none for eps 100 */
static int run_window(int prog_fd, const struct segoff_config *c, uint64_t *tag)
{
	struct segoff_addr a = { .sport = 40000, .dport = SEGOFF_DEFAULT_PORT };
	uint8_t in[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	double x[SEGOFF_SAMPLES];
	struct segoff_reply r;
	size_t len;
	int i;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		x[i] = i < SEGOFF_HALF ? 1 : 5;
	a.src4.s_addr = htonl(0x0a000001);
	a.dst4.s_addr = htonl(0x0a000002);
	len = segoff_frame_build(in, &a, x, c, 1);
	opts.data_size_in = len;
	if (bpf_prog_test_run_opts(prog_fd, &opts) || opts.retval != XDP_PASS ||
	    segoff_frame_parse(out, opts.data_size_out, SEGOFF_DEFAULT_PORT, segoff_cfg_encoding(c), &r))
		return -1;
	*tag = r.tag;
	return 0;
}

TEST_F(veth, set_changes_verdicts)
{
	struct segoff_params p;
	struct segoff_config c;
	uint64_t tag;

	segoff_params_default(&p);
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&p, &c));
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, run_window(self->obj.prog_fd, &c, &tag));
	EXPECT_EQ((uint64_t)SEGOFF_TAG_SPLIT, tag);

	req_init(&self->r, self->family, SEGOFF_CMD_DEV_SET, 0);
	put_str(&self->r, SEGOFF_A_DEV_IFNAME, DEV0);
	nest_start(&self->r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	put_u64(&self->r, SEGOFF_A_PARAMS_EPS, 100 * SEGOFF_EPS_UNIT);
	nest_end(&self->r);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, run_window(self->obj.prog_fd, &c, &tag));
	EXPECT_EQ((uint64_t)SEGOFF_TAG_NOSPLIT, tag);

	ASSERT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_STATS_GET, DEV0, &self->rep));
	ASSERT_EQ(1, self->rep.n);
	EXPECT_EQ((uint64_t)2, attr_u64(msg_attr(self->rep.msgs[0], SEGOFF_A_STATS_FRAMES)));
	EXPECT_EQ((uint64_t)2, attr_u64(msg_attr(self->rep.msgs[0], SEGOFF_A_STATS_WINDOWS)));
	EXPECT_EQ((uint64_t)1, attr_u64(msg_attr(self->rep.msgs[0], SEGOFF_A_STATS_SPLIT)));
	EXPECT_EQ((uint64_t)1, attr_u64(msg_attr(self->rep.msgs[0], SEGOFF_A_STATS_NOSPLIT)));
	EXPECT_EQ((uint64_t)0, attr_u64(msg_attr(self->rep.msgs[0], SEGOFF_A_STATS_OTHER)));

	ASSERT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0, &self->rep));
	ASSERT_EQ(1, self->rep.n);
	EXPECT_EQ(100 * SEGOFF_EPS_UNIT,
		  attr_u64(attr_find((char *)msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_PARAMS) +
				     NLA_HDRLEN,
				     msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_PARAMS)->nla_len -
				     NLA_HDRLEN, SEGOFF_A_PARAMS_EPS)));
}

TEST_F(veth, device_removal_drops_binding)
{
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, system("ip link del " DEV0));
	req_init(&self->r, self->family, SEGOFF_CMD_DEV_GET, NLM_F_DUMP);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep));
	EXPECT_EQ(0, self->rep.n);
}

/* ---- Parameters: one owner, no lost update (read, merge, write in one step) ---- */

static struct nlattr *params_attr(const char *msg, int type)
{
	struct nlattr *nest = msg_attr(msg, SEGOFF_A_DEV_PARAMS);

	return nest ? attr_find((char *)nest + NLA_HDRLEN, nest->nla_len - NLA_HDRLEN, type)
		    : NULL;
}

/* the binding's parameters as DEV_GET reports them */
static int dev_params(int fd, int family, struct segoff_params *p)
{
	struct reply rep;

	if (dev_req(fd, family, SEGOFF_CMD_DEV_GET, DEV0, &rep) || rep.n != 1)
		return -1;
	p->eps = attr_u64(params_attr(rep.msgs[0], SEGOFF_A_PARAMS_EPS));
	p->scale = attr_u32(params_attr(rep.msgs[0], SEGOFF_A_PARAMS_SCALE));
	p->encoding = attr_u32(params_attr(rep.msgs[0], SEGOFF_A_PARAMS_ENCODING));
	p->port = attr_u32(params_attr(rep.msgs[0], SEGOFF_A_PARAMS_PORT));
	p->arith = attr_u32(params_attr(rep.msgs[0], SEGOFF_A_PARAMS_ARITH));
	return 0;
}

/* the config the program reads now, in the map */
/* The entry in force, its parameter words only: not the port's addresses. */
static int config_now(int config_fd, struct segoff_config *c)
{
	uint32_t key = 0;

	if (bpf_map_lookup_elem(config_fd, &key, c))
		return -1;
	key = c->active ? 1 : 0;
	if (key && bpf_map_lookup_elem(config_fd, &key, c))
		return -1;
	c->active = 0;
	memset(c->mac, 0, sizeof(c->mac));
	c->addr4 = 0;
	return 0;
}

static int config_is(int config_fd, const struct segoff_params *p)
{
	struct segoff_config want, have;

	memset(&want, 0, sizeof(want));
	memset(&have, 0, sizeof(have));
	return segoff_config_make(p, &want) == SEGOFF_PARAM_OK && !config_now(config_fd, &have) &&
	       !memcmp(&want, &have, sizeof(want));
}

static void set_req(struct req *r, int family, int ifindex, int type, uint64_t v)
{
	req_init(r, family, SEGOFF_CMD_DEV_SET, 0);
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	nest_start(r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	if (type == SEGOFF_A_PARAMS_EPS)
		put_u64(r, type, v);
	else
		put_u32(r, type, v);
	nest_end(r);
}

/* A client of its own (socket, thread) that sends its round's request on a signal. */
struct racer {
	pthread_t thread;
	pthread_barrier_t *start, *done;
	int rounds, nl, family;
	struct req r;			/* rebuilt by the main thread between rounds */
	int err;
	char extack[EXTACK_LEN];
};

static void *racer_main(void *arg)
{
	struct racer *x = arg;
	struct reply rep;
	int i;

	for (i = 0; i < x->rounds; i++) {
		pthread_barrier_wait(x->start);
		x->err = transact(x->nl, &x->r, &rep);
		memcpy(x->extack, rep.extack, sizeof(x->extack));
		pthread_barrier_wait(x->done);
	}
	return NULL;
}

#define RACE_ROUNDS	200

static int racers_start(struct racer *x, int n, pthread_barrier_t *start,
			pthread_barrier_t *done)
{
	int i;

	pthread_barrier_init(start, NULL, n + 1);
	pthread_barrier_init(done, NULL, n + 1);
	for (i = 0; i < n; i++) {
		x[i].start = start;
		x[i].done = done;
		x[i].rounds = RACE_ROUNDS;
		x[i].nl = nl_open(&x[i].family);
		if (x[i].nl < 0 || pthread_create(&x[i].thread, NULL, racer_main, &x[i]))
			return -1;
	}
	return 0;
}

static void racers_stop(struct racer *x, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pthread_join(x[i].thread, NULL);
		close(x[i].nl);
	}
}

/*
 * Two clients set different fields of one binding as fast as they can.
 * Nobody else touches a client's field, so after its set returns, the
 * binding must show its value until it sets the next: a set that merged
 * over a stale copy would write the other field back.
 */
struct setter {
	pthread_t thread;
	int nl, family, ifindex, field;
	int iterations, failed, lost;
	uint64_t last;
	char extack[EXTACK_LEN];
};

#define SETTER_ITERATIONS	3000
#define SETTER_SECONDS		40	/* a set may wait for a grace period */

static void *setter_main(void *arg)
{
	struct setter *x = arg;
	struct segoff_params p;
	struct reply rep;
	struct req r;
	struct timespec t0, t;
	uint64_t v, seen;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < x->iterations; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= SETTER_SECONDS)
			break;
		v = x->field == SEGOFF_A_PARAMS_EPS ? (uint64_t)(1 + i % 60000) * 1000000
						     : 1 + (uint64_t)(i % 65000);
		set_req(&r, x->family, x->ifindex, x->field, v);
		if (transact(x->nl, &r, &rep)) {
			if (!x->failed++)
				memcpy(x->extack, rep.extack, sizeof(x->extack));
			continue;
		}
		x->last = v;
		if (dev_params(x->nl, x->family, &p)) {
			x->failed++;
			continue;
		}
		seen = x->field == SEGOFF_A_PARAMS_EPS ? p.eps : p.port;
		x->lost += seen != v;
	}
	x->iterations = i;
	return NULL;
}

TEST_F_TIMEOUT(veth, parallel_sets_keep_both, 120)
{
	struct setter x[2] = {
		{ .field = SEGOFF_A_PARAMS_EPS },
		{ .field = SEGOFF_A_PARAMS_PORT },
	};
	struct segoff_params want, have;
	int i;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	for (i = 0; i < 2; i++) {
		x[i].ifindex = self->ifindex;
		x[i].iterations = SETTER_ITERATIONS;
		x[i].nl = nl_open(&x[i].family);
		ASSERT_LE(0, x[i].nl);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&x[i].thread, NULL, setter_main, &x[i]));
	for (i = 0; i < 2; i++) {
		pthread_join(x[i].thread, NULL);
		close(x[i].nl);
		EXPECT_EQ(0, x[i].failed) TH_LOG("field %d: %s", x[i].field, x[i].extack);
		EXPECT_EQ(0, x[i].lost) TH_LOG("field %d lost %d of %d updates", x[i].field,
					       x[i].lost, x[i].iterations);
		EXPECT_LT(100, x[i].iterations);
	}
	/* and the end state has both last values, in the binding and in the map */
	segoff_params_default(&want);
	want.eps = x[0].last;
	want.port = x[1].last;
	ASSERT_EQ(0, dev_params(self->nl, self->family, &have));
	EXPECT_EQ(want.eps, have.eps);
	EXPECT_EQ(want.port, have.port);
	EXPECT_TRUE(config_is(self->obj.config_fd, &want));
}

/*
 * A set racing a replace applies to the binding it finds: the old one
 * (then replaced) or the new one (then over the new one's parameters),
 * never the old binding's parameters onto the new binding.
 */
TEST_F_TIMEOUT(veth, set_racing_replace, 120)
{
	const uint64_t set_eps = 500000000;	/* 0.5 */
	pthread_barrier_t start, done;
	struct racer x[2] = {};
	struct segoff_params have;
	struct segoff_obj *from, *to;
	int i, wrong = 0, before = 0, after = 0;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, racers_start(x, 2, &start, &done));
	for (i = 0; i < RACE_ROUNDS; i++) {
		/* each object's maps belong to one binding: replace by the other one */
		from = i % 2 ? &self->obj2 : &self->obj;
		to = i % 2 ? &self->obj : &self->obj2;
		/* the old binding (from): port 7000, eps 0.1 */
		req_init(&self->r, self->family, SEGOFF_CMD_DEV_SET, 0);
		put_u32(&self->r, SEGOFF_A_DEV_IFINDEX, self->ifindex);
		nest_start(&self->r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
		put_u32(&self->r, SEGOFF_A_PARAMS_PORT, 7000);
		put_u64(&self->r, SEGOFF_A_PARAMS_EPS, SEGOFF_DEFAULT_EPS);
		nest_end(&self->r);
		ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s",
									    self->rep.extack);
		ASSERT_EQ(0, dev_params(self->nl, self->family, &have));
		ASSERT_EQ(7000U, have.port);
		ASSERT_TRUE(config_is(from->config_fd, &have));
		/* the new one: port 8000, eps 0.1; the set: eps 0.5 */
		attach_req(&x[0].r, x[0].family, self->ifindex, variant->mode, to);
		put_u32(&x[0].r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
		nest_start(&x[0].r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
		put_u32(&x[0].r, SEGOFF_A_PARAMS_PORT, 8000);
		nest_end(&x[0].r);
		set_req(&x[1].r, x[1].family, self->ifindex, SEGOFF_A_PARAMS_EPS, set_eps);
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		EXPECT_EQ(0, x[0].err) TH_LOG("round %d: replace: %s", i, x[0].extack);
		EXPECT_EQ(0, x[1].err) TH_LOG("round %d: set: %s", i, x[1].extack);
		ASSERT_EQ(0, dev_params(self->nl, self->family, &have));
		if (have.port != 8000 || (have.eps != SEGOFF_DEFAULT_EPS && have.eps != set_eps)) {
			if (!wrong++)
				TH_LOG("round %d: port %u eps %llu", i, have.port,
				       (unsigned long long)have.eps);
		}
		before += have.eps == SEGOFF_DEFAULT_EPS;
		after += have.eps == set_eps;
		wrong += !config_is(to->config_fd, &have);
	}
	racers_stop(x, 2);
	EXPECT_EQ(0, wrong) TH_LOG("%d of %d rounds", wrong, RACE_ROUNDS);
	TH_LOG("set ran before the replace %d times, after it %d times", before, after);
}

/* ---- Maps the module must not write ---- */

/* key 0 at fp-4; lookup(config, &key); lookup(counters, &key); XDP_PASS */
static int lookup_prog(int config_fd, int counters_fd, enum bpf_attach_type attach_type)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach_type);
	const int fds[] = { config_fd, counters_fd };
	struct bpf_insn insns[1 + 2 * 5 + 2] = {
		{ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .off = -4 },
	};
	struct bpf_insn *in = insns + 1;
	size_t m;

	for (m = 0; m < 2; m++) {
		*in++ = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X,
					   .dst_reg = BPF_REG_2, .src_reg = BPF_REG_10 };
		*in++ = (struct bpf_insn){ .code = BPF_ALU64 | BPF_ADD | BPF_K,
					   .dst_reg = BPF_REG_2, .imm = -4 };
		/* ld_imm64: two instructions */
		*in++ = (struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
					   .src_reg = BPF_PSEUDO_MAP_FD, .imm = fds[m] };
		*in++ = (struct bpf_insn){ .code = 0 };
		*in++ = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL,
					   .imm = BPF_FUNC_map_lookup_elem };
	}
	*in++ = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
				   .imm = XDP_PASS };
	*in = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	return bpf_prog_load(BPF_PROG_TYPE_XDP, "segoff_maps", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &opts);
}

/* what load_with_maps() opened */
static void own_close(struct segoff_obj *o)
{
	if (o->prog_fd >= 0)
		close(o->prog_fd);
	if (o->config_fd >= 0)
		close(o->config_fd);
	if (o->counters_fd >= 0)
		close(o->counters_fd);
	o->prog_fd = o->config_fd = o->counters_fd = -1;
}

/*
 * An XDP program over maps built here, shaped as the object's: the config
 * map with @config_flags, written, and frozen if @config_freeze (1: before
 * the load, 2: after it), the counters map likewise, so that the program
 * is verified against exactly those maps. What the module checks is the
 * maps and that the program uses them, not what it does with them: this
 * one (lookup_prog) costs the verifier nothing, where a load of segoff's
 * own takes tens of seconds under the debug kernel. A program with
 * @attach_type set has that expected attach type.
 */
static int load_with_maps(struct segoff_obj *o, uint32_t config_flags, int config_freeze,
			  uint32_t counters_flags, int counters_freeze,
			  enum bpf_attach_type attach_type)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "segoff");
	LIBBPF_OPTS(bpf_map_create_opts, copts, .map_flags = config_flags);
	struct bpf_map *config, *counters;
	struct bpf_object *skel;
	struct segoff_params p;
	struct segoff_config c;
	const void *elf;
	size_t sz;
	int err = -1;

	memset(o, 0, sizeof(*o));
	o->prog_fd = o->config_fd = o->counters_fd = -1;
	/* the maps' shapes: from the object, opened only */
	elf = segoff_bpf__elf_bytes(&sz);
	skel = bpf_object__open_mem(elf, sz, &open_opts);
	if (!skel)
		return -1;
	config = bpf_object__find_map_by_name(skel, SEGOFF_CONFIG_MAP);
	counters = bpf_object__find_map_by_name(skel, SEGOFF_COUNTERS_MAP);
	if (!config || !counters)
		goto out;

	segoff_params_default(&p);
	memset(&c, 0, sizeof(c));
	segoff_config_make(&p, &c);
	o->config_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, SEGOFF_CONFIG_MAP,
				      bpf_map__key_size(config), bpf_map__value_size(config),
				      bpf_map__max_entries(config), &copts);
	/* a map read-only to syscalls keeps its zeroes */
	if (o->config_fd < 0 ||
	    (!(config_flags & BPF_F_RDONLY) && segoff_config_write(o->config_fd, &c)) ||
	    (config_freeze == 1 && bpf_map_freeze(o->config_fd)))
		goto out;
	/* a per-CPU map takes no NUMA node: a host program may add to an ARRAY too */
	copts.map_flags = counters_flags;
	copts.numa_node = 0;
	o->counters_fd = bpf_map_create(counters_flags & BPF_F_NUMA_NODE ? BPF_MAP_TYPE_ARRAY
									  : BPF_MAP_TYPE_PERCPU_ARRAY,
					SEGOFF_COUNTERS_MAP, bpf_map__key_size(counters),
					bpf_map__value_size(counters),
					bpf_map__max_entries(counters), &copts);
	if (o->counters_fd < 0 || (counters_freeze && bpf_map_freeze(o->counters_fd)))
		goto out;
	o->prog_fd = lookup_prog(o->config_fd, o->counters_fd, attach_type);
	if (o->prog_fd >= 0 && !(config_freeze == 2 && bpf_map_freeze(o->config_fd)))
		err = 0;
out:
	bpf_object__close(skel);
	if (err)
		own_close(o);
	return err;
}

struct map_case {
	const char *name;
	uint32_t config_flags, counters_flags;
	int config_freeze, counters_freeze;
	int err;
	const char *extack;
};

static const struct map_case map_cases[] = {
	/*
	 * Frozen and read-only to programs, a map's contents are constants to
	 * the verifier: a program's reads may have been folded into it, and
	 * whether frozen before or after the load, the module must refuse it.
	 */
	{ "config read-only to the program, frozen, then loaded", BPF_F_RDONLY_PROG, 0, 1, 0,
	  -EINVAL, "segoff: config map must have no map flags" },
	{ "config read-only to the program, loaded, then frozen", BPF_F_RDONLY_PROG, 0, 2, 0,
	  -EINVAL, "segoff: config map must have no map flags" },
	{ "config read-only to the program", BPF_F_RDONLY_PROG, 0, 0, 0, -EINVAL,
	  "segoff: config map must have no map flags" },
	{ "config mmapable", BPF_F_MMAPABLE, 0, 0, 0, -EINVAL,
	  "segoff: config map must have no map flags" },
	/* a property of the fd, not the map */
	{ "config fd read-only", BPF_F_RDONLY, 0, 0, 0, -EPERM,
	  "segoff: config fd is not open for reading and writing" },
	{ "config frozen", 0, 0, 1, 0, -EPERM, "segoff: config map is frozen" },
	{ "counters with a flag", 0, BPF_F_NUMA_NODE, 0, 0, -EINVAL,
	  "segoff: counters map must have no map flags" },
	{ "counters fd write-only", 0, BPF_F_WRONLY, 0, 0, -EPERM,
	  "segoff: counters fd is not open for reading and writing" },
	{ "counters frozen", 0, 0, 0, 1, -EPERM, "segoff: counters map is frozen" },
};

TEST_F(veth, maps_with_flags_or_frozen)
{
	struct segoff_params p;
	struct segoff_obj o;
	size_t i;

	for (i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		const struct map_case *m = &map_cases[i];

		ASSERT_EQ(0, load_with_maps(&o, m->config_flags, m->config_freeze,
					    m->counters_flags, m->counters_freeze, 0))
			TH_LOG("%s: cannot load", m->name);
		attach_req(&self->r, self->family, self->ifindex, variant->mode, &o);
		EXPECT_EQ(m->err, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", m->name);
		EXPECT_STREQ(m->extack, self->rep.extack) TH_LOG("%s", m->name);
		EXPECT_EQ(0U, xdp_prog_on(self->ifindex, variant->mode)) TH_LOG("%s", m->name);
		own_close(&o);
	}

	/* frozen after the attach: set no longer writes it, nothing changes */
	ASSERT_EQ(0, load_with_maps(&o, 0, 0, 0, 0, 0));
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &o);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, bpf_map_freeze(o.config_fd));
	set_req(&self->r, self->family, self->ifindex, SEGOFF_A_PARAMS_PORT, 7777);
	EXPECT_EQ(-EPERM, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config map is frozen", self->rep.extack);
	ASSERT_EQ(0, dev_params(self->nl, self->family, &p));
	EXPECT_EQ((uint32_t)SEGOFF_DEFAULT_PORT, p.port);
	EXPECT_TRUE(config_is(o.config_fd, &p));
	own_close(&o);
}

/* ---- Attach failing at the link: the kernel's reason, nothing left behind ---- */

static int plain_xdp_prog(void)
{
	struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", pass, 2, NULL);
}

static void expect_unbound(struct __test_metadata *_metadata, FIXTURE_DATA(veth) *self,
			   const char *what)
{
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0, &self->rep))
		TH_LOG("%s: a binding is listed", what);
}

TEST_F(veth, link_errors)
{
	uint32_t other = variant->mode == SEGOFF_MODE_NATIVE ? SEGOFF_MODE_GENERIC
							      : SEGOFF_MODE_NATIVE;
	struct segoff_obj devmap;
	int plain;

	plain = plain_xdp_prog();
	ASSERT_LE(0, plain);

	/* EBUSY: another program (not a link) holds this mode */
	ASSERT_EQ(0, bpf_xdp_attach(self->ifindex, plain, xdp_flags(variant->mode), NULL));
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	EXPECT_EQ(-EBUSY, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: device already runs another XDP program in this mode",
		     self->rep.extack);
	expect_unbound(_metadata, self, "EBUSY");
	EXPECT_EQ(prog_id(plain), xdp_prog_on(self->ifindex, variant->mode));

	/* EEXIST: it holds the other host mode */
	attach_req(&self->r, self->family, self->ifindex, other, &self->obj);
	EXPECT_EQ(-EEXIST, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: native and generic XDP cannot run at the same time",
		     self->rep.extack);
	expect_unbound(_metadata, self, "EEXIST");
	ASSERT_EQ(0, bpf_xdp_detach(self->ifindex, xdp_flags(variant->mode), NULL));

	/* EOPNOTSUPP: lo has no native XDP */
	attach_req(&self->r, self->family, 1, SEGOFF_MODE_NATIVE, &self->obj);
	EXPECT_EQ(-EOPNOTSUPP, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: device does not support XDP in this mode", self->rep.extack);
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, "lo", &self->rep));

	/* EINVAL: a devmap program cannot be attached to a device */
	ASSERT_EQ(0, load_with_maps(&devmap, 0, 0, 0, 0, BPF_XDP_DEVMAP));
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &devmap);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: cannot attach the program to the device", self->rep.extack);
	expect_unbound(_metadata, self, "EINVAL");
	EXPECT_EQ(0U, xdp_prog_on(self->ifindex, variant->mode));

	/* EINVAL on the replace path: the running link refuses the swap, keeps its program */
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &devmap);
	put_u32(&self->r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: cannot attach the program to the device", self->rep.extack);
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));
	ASSERT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0, &self->rep));
	EXPECT_EQ(prog_id(self->obj.prog_fd),
		  attr_u32(msg_attr(self->rep.msgs[0], SEGOFF_A_DEV_PROG_ID)));
	own_close(&devmap);
	close(plain);
}

/*
 * A map is written at attach, before the link stage: one binding per map,
 * so that an attach, failed or not, changes no running binding.
 */
TEST_F(veth, maps_belong_to_one_binding)
{
	struct segoff_config before, after;

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	ASSERT_EQ(0, config_now(self->obj.config_fd, &before));

	/* the same object on the other device, with other parameters */
	attach_req(&self->r, self->family, self->ifindex1, variant->mode, &self->obj);
	nest_start(&self->r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	put_u32(&self->r, SEGOFF_A_PARAMS_PORT, 7777);
	nest_end(&self->r);
	EXPECT_EQ(-EBUSY, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config map belongs to a binding already", self->rep.extack);
	EXPECT_EQ(0U, xdp_prog_on(self->ifindex1, variant->mode));

	/* the other object's program with this binding's counters */
	attach_req(&self->r, self->family, self->ifindex1, variant->mode, &self->obj2);
	put_u32(&self->r, SEGOFF_A_DEV_COUNTERS_FD, self->obj.counters_fd);
	EXPECT_EQ(-EINVAL, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: counters map is not used by the program", self->rep.extack);

	/* a replace by the same object */
	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	put_u32(&self->r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
	nest_start(&self->r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	put_u32(&self->r, SEGOFF_A_PARAMS_PORT, 7777);
	nest_end(&self->r);
	EXPECT_EQ(-EBUSY, transact(self->nl, &self->r, &self->rep));
	EXPECT_STREQ("segoff: config map belongs to a binding already", self->rep.extack);

	ASSERT_EQ(0, config_now(self->obj.config_fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(prog_id(self->obj.prog_fd), xdp_prog_on(self->ifindex, variant->mode));

	/* once detached, the object may be bound again */
	ASSERT_EQ(0, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, DEV0, &self->rep));
	attach_req(&self->r, self->family, self->ifindex1, variant->mode, &self->obj);
	EXPECT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
}

/* ---- A frame sees the old parameters or the new ones, never a mixture ---- */

/*
 * Two parameter sets whose every config word differs, double samples so
 * that one frame means the same window under both. A frame read across a
 * change that took some words from each set would be judged by one of the
 * mixtures: the windows below are chosen so that some mixture's verdict is
 * neither set's.
 */
#define FLIP_WINDOWS	16
#define FLIP_MIXES	(1 << 5)	/* arith, scale, eps, round, eps2 from P or Q */

struct flip_window {
	double x[SEGOFF_SAMPLES];
	uint8_t frame[SEGOFF_FRAME_MAX];
	size_t len;
	uint64_t vp, vq;		/* the verdicts of P and Q */
};

static void flip_params(struct segoff_params *p, int q)
{
	segoff_params_default(p);
	p->encoding = SEGOFF_ENC_DOUBLE;
	if (q) {
		p->arith = SEGOFF_ARITH_SEED;
		p->scale = SEGOFF_DEFAULT_SCALE_SEED;
		p->eps = 400000000;	/* 0.4 */
	} else {
		p->eps = 150000000;	/* 0.15, exact at scale 1000 */
	}
}

/* the config of mixture @mix: bit i set takes word i from @q, else from @p */
static void flip_mix(const struct segoff_config *p, const struct segoff_config *q, int mix,
		     struct segoff_config *m)
{
	*m = *p;
	if (mix & 1)
		m->arith = q->arith;
	if (mix & 2)
		m->scale = q->scale;
	if (mix & 4)
		m->eps = q->eps;
	if (mix & 8)
		m->round = q->round;
	if (mix & 16)
		m->eps2 = q->eps2;
}

/*
 * Windows of one decimal between 0 and 3: half where P and Q disagree (so
 * that both verdicts must be seen), half where they agree but a mixture
 * does not (so that a torn read is seen).
 */
static int flip_windows(struct flip_window *win, const struct segoff_config *cp,
			const struct segoff_config *cq)
{
	struct segoff_addr a = { .sport = 40000, .dport = SEGOFF_DEFAULT_PORT };
	int n_differ = 0, n_mixed = 0, tries, i, mix, why;
	uint64_t seed = 12345, vp, vq, vm;
	struct segoff_config m;
	double x[SEGOFF_SAMPLES];

	a.src4.s_addr = htonl(0x0a000001);
	a.dst4.s_addr = htonl(0x0a000002);
	for (tries = 0; tries < 200000 && n_differ + n_mixed < FLIP_WINDOWS; tries++) {
		for (i = 0; i < SEGOFF_SAMPLES; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			x[i] = (double)((seed >> 33) % 31) / 10;
		}
		vp = segoff_ref_window(x, cp, &why);
		vq = segoff_ref_window(x, cq, &why);
		if (vp == SEGOFF_TAG_INVALID || vq == SEGOFF_TAG_INVALID)
			continue;
		if (vp != vq) {
			if (n_differ >= FLIP_WINDOWS / 2)
				continue;
			n_differ++;
		} else {
			for (mix = 1; mix < FLIP_MIXES - 1; mix++) {
				flip_mix(cp, cq, mix, &m);
				vm = segoff_ref_window(x, &m, &why);
				if (vm != vp)
					break;
			}
			if (mix == FLIP_MIXES - 1 || n_mixed >= FLIP_WINDOWS / 2)
				continue;
			n_mixed++;
		}
		i = n_differ + n_mixed - 1;
		memcpy(win[i].x, x, sizeof(x));
		win[i].vp = vp;
		win[i].vq = vq;
		win[i].len = segoff_frame_build(win[i].frame, &a, x, cp, i);
	}
	return n_differ + n_mixed == FLIP_WINDOWS ? 0 : -1;
}

struct flipper {
	pthread_t thread;
	int nl, family, ifindex;
	volatile int stop;
	volatile int flips;
	int failed;
};

/* set P, set Q, ... until told to stop */
static void *flipper_main(void *arg)
{
	struct flipper *f = arg;
	struct segoff_params p;
	struct reply rep;
	struct req r;

	while (!f->stop) {
		flip_params(&p, f->flips % 2);
		req_init(&r, f->family, SEGOFF_CMD_DEV_SET, 0);
		put_u32(&r, SEGOFF_A_DEV_IFINDEX, f->ifindex);
		nest_start(&r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
		put_u64(&r, SEGOFF_A_PARAMS_EPS, p.eps);
		put_u32(&r, SEGOFF_A_PARAMS_ARITH, p.arith);
		put_u32(&r, SEGOFF_A_PARAMS_SCALE, p.scale);
		put_u32(&r, SEGOFF_A_PARAMS_ENCODING, p.encoding);
		nest_end(&r);
		if (transact(f->nl, &r, &rep))
			f->failed++;
		f->flips++;
	}
	return NULL;
}

TEST_F_TIMEOUT(veth, set_never_mixes_parameters, 120)
{
	struct flip_window win[FLIP_WINDOWS];
	struct segoff_config cp, cq;
	struct segoff_params pp, pq;
	struct flipper f = {};
	uint8_t out[SEGOFF_FRAME_MAX];
	struct segoff_reply r;
	int i, round, mixed = 0, seen_p = 0, seen_q = 0, bad = 0;
	struct timespec t0, t;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .repeat = 1);

	flip_params(&pp, 0);
	flip_params(&pq, 1);
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&pp, &cp));
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&pq, &cq));
	ASSERT_EQ(0, flip_windows(win, &cp, &cq)) TH_LOG("no windows tell the mixtures apart");

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	nest_start(&self->r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	put_u32(&self->r, SEGOFF_A_PARAMS_ENCODING, SEGOFF_ENC_DOUBLE);
	nest_end(&self->r);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	f.ifindex = self->ifindex;
	f.nl = nl_open(&f.family);
	ASSERT_LE(0, f.nl);
	ASSERT_EQ(0, pthread_create(&f.thread, NULL, flipper_main, &f));

	/* the frames, judged by the binding's program over its maps, while set flips */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; f.flips < 200 || !seen_p || !seen_q; round++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 60)
			break;
		i = round % FLIP_WINDOWS;
		opts.data_in = win[i].frame;
		opts.data_size_in = win[i].len;
		opts.data_out = out;
		opts.data_size_out = sizeof(out);
		if (bpf_prog_test_run_opts(self->obj.prog_fd, &opts) ||
		    segoff_frame_parse(out, opts.data_size_out, SEGOFF_DEFAULT_PORT,
				       SEGOFF_ENC_DOUBLE, &r)) {
			bad++;
			continue;
		}
		if (r.tag != win[i].vp && r.tag != win[i].vq) {
			if (!mixed++)
				TH_LOG("window %d: verdict %llu, P gives %llu, Q %llu", i,
				       (unsigned long long)r.tag, (unsigned long long)win[i].vp,
				       (unsigned long long)win[i].vq);
			continue;
		}
		if (win[i].vp != win[i].vq) {
			seen_p += r.tag == win[i].vp;
			seen_q += r.tag == win[i].vq;
		}
	}
	f.stop = 1;
	pthread_join(f.thread, NULL);
	close(f.nl);
	EXPECT_EQ(0, f.failed);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, mixed) TH_LOG("%d frames judged by a mixture of P and Q", mixed);
	EXPECT_LT(0, seen_p) TH_LOG("P's verdicts never seen in %d flips", f.flips);
	EXPECT_LT(0, seen_q) TH_LOG("Q's verdicts never seen in %d flips", f.flips);
	EXPECT_LT(20, f.flips);
	TH_LOG("%d frames over %d flips: P %d, Q %d", round, f.flips, seen_p, seen_q);
}

SEGOFF_HARNESS_MAIN_INIT(load_shared)
