// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "nl.h"

/* libnl's error codes, back to the errno they came from where known */
static int snl_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_INTR:
		return -EINTR;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	default:
		return -EIO;
	}
}

int snl_connect(struct snl_ctx *ctx)
{
	int one = 1, err;

	memset(ctx, 0, sizeof(*ctx));
	ctx->sk = nl_socket_alloc();
	if (!ctx->sk)
		return -ENOMEM;
	err = genl_connect(ctx->sk);
	if (err) {
		err = snl_errno(err);
		goto err_free;
	}
	/* errors carry the kernel's message, not a copy of the request */
	if (setsockopt(nl_socket_get_fd(ctx->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(ctx->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		       sizeof(one))) {
		err = -errno;
		goto err_free;
	}
	ctx->family = genl_ctrl_resolve(ctx->sk, SEGOFF_FAMILY_NAME);
	if (ctx->family < 0) {
		err = -ENOENT;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(ctx->sk);
	ctx->sk = NULL;
	return err;
}

void snl_close(struct snl_ctx *ctx)
{
	if (ctx->sk)
		nl_socket_free(ctx->sk);
	ctx->sk = NULL;
}

struct nl_msg *snl_request(struct snl_ctx *ctx, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0, flags, cmd,
				SEGOFF_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int snl_parse(struct nl_msg *msg, struct nlattr **tb, int max)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, max, NULL);
}

struct snl_wait {
	struct snl_ctx *ctx;
	int done;
	int (*parse)(struct nl_msg *, void *);
	void *arg;
};

static int wait_valid(struct nl_msg *msg, void *arg)
{
	struct snl_wait *w = arg;

	return w->parse ? w->parse(msg, w->arg) : NL_OK;
}

static int wait_done(struct nl_msg *msg, void *arg)
{
	struct snl_wait *w = arg;

	(void)msg;
	w->done = 1;
	return NL_STOP;
}

/* The extack TLVs follow the nlmsgerr (capped: without the request). */
static void wait_extack(struct snl_ctx *ctx, struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off), NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ctx->extack, sizeof(ctx->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]), (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(ctx->extack, sizeof(ctx->extack), "missing attribute %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
}

static int wait_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct snl_wait *w = arg;

	(void)nla;
	w->ctx->err = e->error;
	wait_extack(w->ctx, e);
	w->done = 1;
	return NL_STOP;
}

int snl_transact(struct snl_ctx *ctx, struct nl_msg *msg, int (*parse)(struct nl_msg *, void *),
		void (*reset)(void *), void *arg)
{
	struct snl_wait w = { .ctx = ctx, .parse = parse, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	ctx->err = 0;
	ctx->extack[0] = '\0';
	if (!cb) {
		nlmsg_free(msg);
		return ctx->err = -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, wait_valid, &w);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, wait_done, &w);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, wait_done, &w);
	nl_cb_err(cb, NL_CB_CUSTOM, wait_error, &w);
	for (;;) {
		w.done = 0;
		err = nl_send_auto(ctx->sk, msg);
		while (err >= 0 && !w.done)
			err = nl_recvmsgs(ctx->sk, cb);
		if (err != -NLE_DUMP_INTR || ctx->err)
			break;
		/* the bindings changed under the dump: ask again */
		if (reset)
			reset(arg);
		ctx->err = 0;
	}
	if (!ctx->err && err < 0 && !w.done)
		ctx->err = snl_errno(err);
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ctx->err;
}

/* the value of a parameter attribute, u64 for eps and u32 for the others */
static int put_uint(struct nl_msg *msg, int attr, uint64_t v, size_t size)
{
	return size == sizeof(uint64_t) ? nla_put_u64(msg, attr, v) :
					  nla_put_u32(msg, attr, (uint32_t)v);
}

int snl_put_params(struct nl_msg *msg, const struct segoff_params *p, unsigned int given)
{
	struct nlattr *nest = nla_nest_start(msg, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);

	if (!nest)
		return -EMSGSIZE;
#define PUT_PARAM(field, attr, min, max, code)					\
	if ((given & SEGOFF_PARAM_F(attr)) && put_uint(msg, attr, p->field, sizeof(p->field))) \
		return -EMSGSIZE;
	SEGOFF_PARAMS(PUT_PARAM)
#undef PUT_PARAM
	nla_nest_end(msg, nest);
	return 0;
}

int snl_get_params(struct nlattr *nest, struct segoff_params *p)
{
	struct nlattr *tb[SEGOFF_A_PARAMS_MAX + 1];

	if (!nest || nla_parse_nested(tb, SEGOFF_A_PARAMS_MAX, nest, NULL))
		return -EINVAL;
	/* a reply names every parameter, each in its own size */
#define GET_PARAM(field, attr, min, max, code)					\
	if (!tb[attr] || nla_len(tb[attr]) != (int)sizeof(p->field))		\
		return -EINVAL;							\
	p->field = sizeof(p->field) == sizeof(uint64_t) ? nla_get_u64(tb[attr]) :	\
							  nla_get_u32(tb[attr]);
	SEGOFF_PARAMS(GET_PARAM)
#undef GET_PARAM
	return 0;
}
