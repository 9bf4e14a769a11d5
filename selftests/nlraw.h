/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the module's tests: requests built attribute by
 * attribute (so that a test can send what no well-behaved client would)
 * and replies collected up to their ack, error or end of dump, with the
 * extack message.
 */
#ifndef _SEGOFF_NLRAW_H
#define _SEGOFF_NLRAW_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/segoff.h>

#define EXTACK_LEN	256
#define MSG_LEN		4096

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

static inline void req_init(struct req *r, int family, uint8_t cmd, uint16_t flags)
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

static inline struct nlattr *put(struct req *r, uint16_t type, const void *data, size_t len)
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

static inline void put_u32(struct req *r, uint16_t type, uint32_t v)
{
	put(r, type, &v, sizeof(v));
}

static inline void put_u64(struct req *r, uint16_t type, uint64_t v)
{
	put(r, type, &v, sizeof(v));
}

static inline void put_str(struct req *r, uint16_t type, const char *s)
{
	put(r, type, s, strlen(s) + 1);
}

static inline void nest_start(struct req *r, uint16_t type)
{
	r->nest = put(r, type, NULL, 0);
}

static inline void nest_end(struct req *r)
{
	r->nest = NULL;
}

static inline struct nlattr *attr_find(const void *start, size_t len, int type)
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
static inline struct nlattr *msg_attr(const char *msg, int type)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)msg;

	return attr_find((const char *)NLMSG_DATA(nh) + GENL_HDRLEN,
			 nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), type);
}

static inline uint32_t attr_u32(const struct nlattr *a)
{
	return a ? *(const uint32_t *)((const char *)a + NLA_HDRLEN) : UINT32_MAX;
}

static inline uint64_t attr_u64(const struct nlattr *a)
{
	uint64_t v;

	if (!a)
		return UINT64_MAX;
	memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

static inline void reply_error(struct reply *rep, const struct nlmsghdr *nh)
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
static inline int transact(int fd, struct req *r, struct reply *rep)
{
	static __thread char buf[1 << 16];	/* one per thread: the race tests */
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
static inline int nl_open(int *family)
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

#endif /* _SEGOFF_NLRAW_H */
