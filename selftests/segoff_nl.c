// SPDX-License-Identifier: GPL-2.0
/*
 * The segoff generic netlink API against segoff.ko (run in the VM, module
 * loaded): every rejection with its exact extack, replace, detach,
 * permissions, namespaces, and a live DEV_SET changing the verdicts of
 * the attached program.
 *
 * Each test runs in its own network namespace (the harness forks it and
 * the setup unshares), with a veth pair sg0/sg1: when the test process
 * ends, the namespace, the devices and their bindings go with it.
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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* the 6.1 harness and its TEST_F() expansion leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "ksft_slow.h"
#include "libsegoff.h"

#define EXTACK_LEN	256
#define MSG_LEN		4096
#define DEV0		"sg0"
#define DEV1		"sg1"

struct req {
	struct nlmsghdr *nh;
	char buf[MSG_LEN];
	struct nlattr *nest;
};

struct reply {
	int err;			/* -errno of the request */
	char extack[EXTACK_LEN];
	int n;				/* data messages */
	char msgs[8][MSG_LEN];		/* the first ones */
};

static void req_init(struct req *r, int family, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *gh;

	memset(r, 0, sizeof(*r));
	r->nh = (struct nlmsghdr *)r->buf;
	r->nh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh->nlmsg_type = family;
	r->nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	gh = NLMSG_DATA(r->nh);
	gh->cmd = cmd;
	gh->version = SEGOFF_FAMILY_VERSION;
}

static struct nlattr *put(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh->nlmsg_len = NLMSG_ALIGN(r->nh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	if (r->nest)
		r->nest->nla_len = (char *)r->nh + r->nh->nlmsg_len - (char *)r->nest;
	return a;
}

static void put_u32(struct req *r, uint16_t type, uint32_t v)
{
	put(r, type, &v, sizeof(v));
}

static void put_u64(struct req *r, uint16_t type, uint64_t v)
{
	put(r, type, &v, sizeof(v));
}

static void put_str(struct req *r, uint16_t type, const char *s)
{
	put(r, type, s, strlen(s) + 1);
}

static void nest_start(struct req *r, uint16_t type)
{
	r->nest = put(r, type, NULL, 0);
}

static void nest_end(struct req *r)
{
	r->nest = NULL;
}

static struct nlattr *attr_find(const void *start, size_t len, int type)
{
	const struct nlattr *a = start;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return (struct nlattr *)a;
		len -= (size_t)NLA_ALIGN(a->nla_len) < len ? (size_t)NLA_ALIGN(a->nla_len) : len;
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

/* a top-level attribute of a genl message */
static struct nlattr *msg_attr(const char *msg, int type)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)msg;

	return attr_find((const char *)NLMSG_DATA(nh) + GENL_HDRLEN,
			 nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), type);
}

static uint32_t attr_u32(const struct nlattr *a)
{
	return a ? *(const uint32_t *)((const char *)a + NLA_HDRLEN) : UINT32_MAX;
}

static uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v;

	if (!a)
		return UINT64_MAX;
	memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

static void reply_error(struct reply *rep, const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = sizeof(*e);
	const struct nlattr *msg;

	rep->err = e->error;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	msg = attr_find((const char *)e + off, nh->nlmsg_len - NLMSG_HDRLEN - off,
			NLMSGERR_ATTR_MSG);
	if (msg)
		snprintf(rep->extack, sizeof(rep->extack), "%s", (const char *)msg + NLA_HDRLEN);
}

/* Sends @r and collects the answer until its ack, error or end of dump. */
static int transact(int fd, struct req *r, struct reply *rep)
{
	static char buf[1 << 16];
	struct nlmsghdr *nh;
	ssize_t n;
	int done = 0;

	memset(rep, 0, sizeof(*rep));
	if (send(fd, r->buf, r->nh->nlmsg_len, 0) < 0)
		return -errno;
	while (!done) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				reply_error(rep, nh);
				done = 1;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else {
				if (rep->n < 8 && nh->nlmsg_len <= MSG_LEN)
					memcpy(rep->msgs[rep->n], nh, nh->nlmsg_len);
				rep->n++;
			}
		}
	}
	return rep->err;
}

/* A generic netlink socket of the current namespace, and the family id. */
static int nl_open(int *family)
{
	struct reply rep;
	struct req r;
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		close(fd);
		return -errno;
	}
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)NLMSG_DATA(r.nh))->version = 1;
	put_str(&r, CTRL_ATTR_FAMILY_NAME, SEGOFF_FAMILY_NAME);
	if (transact(fd, &r, &rep) || rep.n != 1 ||
	    !msg_attr(rep.msgs[0], CTRL_ATTR_FAMILY_ID)) {
		close(fd);
		return -ENOENT;
	}
	*family = *(uint16_t *)((char *)msg_attr(rep.msgs[0], CTRL_ATTR_FAMILY_ID) + NLA_HDRLEN);
	return fd;
}

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
	struct segoff_obj obj, obj2;	/* two loads, for replace and foreign maps */
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

FIXTURE_SETUP(veth)
{
	char err[256];

	self->nl = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, system("ip link add " DEV0 " type veth peer name " DEV1 " && "
			    "ip link set " DEV0 " up && ip link set " DEV1 " up"));
	self->ifindex = if_nametoindex(DEV0);
	self->ifindex1 = if_nametoindex(DEV1);
	ASSERT_NE(0, self->ifindex);
	self->nl = nl_open(&self->family);
	ASSERT_LE(0, self->nl) TH_LOG("segoff family: %s (is segoff.ko loaded?)",
				      strerror(-self->nl));
	ASSERT_EQ(0, segoff_obj_load(&self->obj, getenv("SEGOFF_BPF_OBJ"), variant->mode,
				     self->ifindex, 0, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, segoff_obj_load(&self->obj2, getenv("SEGOFF_BPF_OBJ"), variant->mode,
				     self->ifindex, 0, err, sizeof(err))) TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(veth)
{
	segoff_obj_close(&self->obj);
	segoff_obj_close(&self->obj2);
	if (self->nl >= 0)
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

static int dev_req(int fd, int family, uint8_t cmd, const char *ifname, struct reply *rep)
{
	struct req r;

	req_init(&r, family, cmd, 0);
	put_str(&r, SEGOFF_A_DEV_IFNAME, ifname);
	return transact(fd, &r, rep);
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
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_DETACH, DEV0,
				   &self->rep));
	EXPECT_STREQ("segoff: device has no segoff binding", self->rep.extack);
	EXPECT_EQ(-ENOENT, dev_req(self->nl, self->family, SEGOFF_CMD_DEV_GET, DEV0,
				   &self->rep));
	EXPECT_STREQ("segoff: device has no segoff binding", self->rep.extack);

	attach_req(&self->r, self->family, self->ifindex, variant->mode, &self->obj);
	ASSERT_EQ(0, transact(self->nl, &self->r, &self->rep)) TH_LOG("%s", self->rep.extack);
	/* the module holds the attachment without the loader's fds */
	segoff_obj_close(&self->obj);
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
	EXPECT_STREQ("segoff: config map must be an ARRAY of struct segoff_config",
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
	    segoff_frame_parse(out, opts.data_size_out, SEGOFF_DEFAULT_PORT, c->encoding, &r))
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

SEGOFF_HARNESS_MAIN
