// SPDX-License-Identifier: GPL-2.0
/*
 * The "segoff" generic netlink family, as specified by
 * Documentation/netlink/specs/segoff.yaml: policies, requests, replies,
 * dumps and the events group.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "segoff.h"

/* pre_doit reads the device from either attribute set */
static_assert((int)SEGOFF_A_DEV_IFINDEX == (int)SEGOFF_A_STATS_IFINDEX);
static_assert((int)SEGOFF_A_DEV_IFNAME == (int)SEGOFF_A_STATS_IFNAME);

enum segoff_nl_mcgrp {
	SEGOFF_NLGRP_EVENTS,
};

static struct genl_family segoff_family;

/* not const: 6.1 policies point to them without const */
static struct netlink_range_validation segoff_eps_range = {
	.min = 1,
	.max = SEGOFF_EPS_MAX - 1,
};

static struct netlink_range_validation segoff_port_range = {
	.min = 1,
	.max = 65535,
};

static const struct nla_policy segoff_params_nl_policy[SEGOFF_A_PARAMS_MAX + 1] = {
	[SEGOFF_A_PARAMS_EPS] = NLA_POLICY_FULL_RANGE(NLA_U64, &segoff_eps_range),
	[SEGOFF_A_PARAMS_SCALE] = NLA_POLICY_RANGE(NLA_U32, 1, SEGOFF_SCALE_MAX_SEED),
	[SEGOFF_A_PARAMS_ENCODING] = NLA_POLICY_MAX(NLA_U32, SEGOFF_ENC_MAX),
	[SEGOFF_A_PARAMS_PORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &segoff_port_range),
	[SEGOFF_A_PARAMS_ARITH] = NLA_POLICY_MAX(NLA_U32, SEGOFF_ARITH_MAX),
	[SEGOFF_A_PARAMS_PAD] = { .type = NLA_REJECT },
	[SEGOFF_A_PARAMS_REPLY] = NLA_POLICY_MAX(NLA_U32, SEGOFF_REPLY_MAX),
};

/* dev-get, dev-detach */
static const struct nla_policy segoff_dev_id_nl_policy[SEGOFF_A_DEV_IFNAME + 1] = {
	[SEGOFF_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SEGOFF_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy segoff_dev_attach_nl_policy[SEGOFF_A_DEV_PARAMS + 1] = {
	[SEGOFF_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SEGOFF_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[SEGOFF_A_DEV_MODE] = NLA_POLICY_MAX(NLA_U32, SEGOFF_MODE_MAX),
	[SEGOFF_A_DEV_PROG_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[SEGOFF_A_DEV_CONFIG_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[SEGOFF_A_DEV_COUNTERS_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[SEGOFF_A_DEV_FLAGS] = NLA_POLICY_MASK(NLA_U32, SEGOFF_ATTACH_F_REPLACE),
	[SEGOFF_A_DEV_PARAMS] = NLA_POLICY_NESTED(segoff_params_nl_policy),
};

static const struct nla_policy segoff_dev_set_nl_policy[SEGOFF_A_DEV_PARAMS + 1] = {
	[SEGOFF_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SEGOFF_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[SEGOFF_A_DEV_PARAMS] = NLA_POLICY_NESTED(segoff_params_nl_policy),
};

static const struct nla_policy segoff_stats_id_nl_policy[SEGOFF_A_STATS_IFNAME + 1] = {
	[SEGOFF_A_STATS_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SEGOFF_A_STATS_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

/* the policy checked the length: 8 bytes for eps, 4 for the others */
static u64 segoff_nl_get_uint(const struct nlattr *a)
{
	return nla_len(a) == sizeof(u64) ? nla_get_u64(a) : nla_get_u32(a);
}

/*
 * Only parses: the merge over the binding's parameters (params.h's one
 * policy) is binding.c's, under its update lock.
 */
static int segoff_nl_params(const struct nlattr *nest, struct segoff_params_req *req,
			    struct netlink_ext_ack *extack)
{
	/* every attribute SEGOFF_PARAMS() names, whether the policy parses it or not */
	struct nlattr *tb[SEGOFF_A_PARAMS_MAX + 1] = {};
	int err;

	memset(req, 0, sizeof(*req));
	req->nest = nest;
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, SEGOFF_A_PARAMS_MAX, nest, segoff_params_nl_policy, extack);
	if (err)
		return err;
#define SEGOFF_NL_PARAM(field, attr, min, max, code)		\
	if (tb[attr]) {						\
		req->v.field = segoff_nl_get_uint(tb[attr]);	\
		req->given |= SEGOFF_PARAM_F(attr);		\
	}
	SEGOFF_PARAMS(SEGOFF_NL_PARAM)
#undef SEGOFF_NL_PARAM
	return 0;
}

static int segoff_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	netdevice_tracker *tracker = (netdevice_tracker *)&info->user_ptr[1];
	struct nlattr *index = info->attrs[SEGOFF_A_DEV_IFINDEX];
	struct nlattr *name = info->attrs[SEGOFF_A_DEV_IFNAME];
	struct net *net = genl_info_net(info);
	struct net_device *dev;

	if (!index && !name) {
		NL_SET_ERR_MSG_MOD(info->extack, "ifindex or ifname is required");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SEGOFF_A_DEV_IFINDEX);
		return -EINVAL;
	}
	rcu_read_lock();
	dev = index ? dev_get_by_index_rcu(net, nla_get_u32(index))
		    : dev_get_by_name_rcu(net, nla_data(name));
	if (!dev) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_MOD(info->extack, "no such device");
		NL_SET_BAD_ATTR(info->extack, index ?: name);
		return -ENODEV;
	}
	if (index && name && nla_strcmp(name, dev->name)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_MOD(info->extack, "ifindex and ifname name different devices");
		NL_SET_BAD_ATTR(info->extack, name);
		return -EINVAL;
	}
	netdev_hold(dev, tracker, GFP_ATOMIC);
	rcu_read_unlock();
	info->user_ptr[0] = dev;
	return 0;
}

static void segoff_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
				struct genl_info *info)
{
	netdevice_tracker *tracker = (netdevice_tracker *)&info->user_ptr[1];

	if (info->user_ptr[0])
		netdev_put(info->user_ptr[0], tracker);
}

static int segoff_nl_put_params(struct sk_buff *skb, const struct segoff_params *p)
{
	struct nlattr *nest = nla_nest_start(skb, SEGOFF_A_DEV_PARAMS);

	if (!nest ||
	    nla_put_u64_64bit(skb, SEGOFF_A_PARAMS_EPS, p->eps, SEGOFF_A_PARAMS_PAD) ||
	    nla_put_u32(skb, SEGOFF_A_PARAMS_SCALE, p->scale) ||
	    nla_put_u32(skb, SEGOFF_A_PARAMS_ENCODING, p->encoding) ||
	    nla_put_u32(skb, SEGOFF_A_PARAMS_PORT, p->port) ||
	    nla_put_u32(skb, SEGOFF_A_PARAMS_ARITH, p->arith) ||
	    nla_put_u32(skb, SEGOFF_A_PARAMS_REPLY, p->reply))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int segoff_nl_fill_dev(struct sk_buff *skb, const struct segoff_binding_info *b,
			      u32 portid, u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &segoff_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, SEGOFF_A_DEV_IFINDEX, b->ifindex) ||
	    nla_put_string(skb, SEGOFF_A_DEV_IFNAME, b->ifname) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_MODE, b->mode) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_PROG_ID, b->prog_id) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_CONFIG_ID, b->config_id) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_COUNTERS_ID, b->counters_id) ||
	    segoff_nl_put_params(skb, &b->params) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_DEV_ATTACH_TIME, b->attach_time, SEGOFF_A_DEV_PAD))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int segoff_nl_fill_stats(struct sk_buff *skb, const struct segoff_binding_info *b,
				const struct segoff_counters *c, u32 portid, u32 seq, int flags,
				struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &segoff_family, flags, SEGOFF_CMD_STATS_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, SEGOFF_A_STATS_IFINDEX, b->ifindex) ||
	    nla_put_string(skb, SEGOFF_A_STATS_IFNAME, b->ifname) ||
	    nla_put_u32(skb, SEGOFF_A_STATS_MODE, b->mode) ||
	    nla_put_u32(skb, SEGOFF_A_STATS_PROG_ID, b->prog_id) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_FRAMES, c->frames, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_WINDOWS, c->windows, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_SPLIT, c->split, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_NOSPLIT, c->nosplit, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_INVALID_TRUNCATED, c->invalid_truncated,
			      SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_INVALID_RANGE, c->invalid_range,
			      SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_INVALID_NAN, c->invalid_nan,
			      SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_OTHER, c->other, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_STREAMS, c->streams, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_REFUSED, c->refused, SEGOFF_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_REPLIED, c->replied, SEGOFF_A_STATS_PAD))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int segoff_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_binding_info b;
	struct sk_buff *msg;
	int err;

	if (segoff_binding_show(info->user_ptr[0], &b)) {
		NL_SET_ERR_MSG_MOD(info->extack, "device has no segoff binding");
		return -ENOENT;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = segoff_nl_fill_dev(msg, &b, info->snd_portid, info->snd_seq, 0, SEGOFF_CMD_DEV_GET,
				 NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->ctx: the ifindex last dumped; the list is sorted by ifindex. Each
 * binding is copied with the generation it was seen at, which
 * genl_dump_check_consistent() compares from one message to the next.
 */
static int segoff_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	int *cursor = (int *)cb->ctx;
	struct segoff_binding_info b;
	unsigned int generation;
	int err = 0;

	while (!segoff_binding_show_next(sock_net(skb->sk), *cursor, &b, &generation)) {
		cb->seq = generation;
		err = segoff_nl_fill_dev(skb, &b, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					 NLM_F_MULTI, SEGOFF_CMD_DEV_GET, cb);
		if (err)
			break;
		*cursor = b.ifindex;
	}
	return err && !skb->len ? err : skb->len;
}

static int segoff_nl_dev_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_attach req = {
		.dev = info->user_ptr[0],
		.net = genl_info_net(info),
		.mode = SEGOFF_MODE_NATIVE,
	};
	struct nlattr **attrs = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SEGOFF_A_DEV_PROG_FD)) {
		NL_SET_ERR_MSG_MOD(info->extack, "prog fd is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, SEGOFF_A_DEV_CONFIG_FD)) {
		NL_SET_ERR_MSG_MOD(info->extack, "config map fd is required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, SEGOFF_A_DEV_COUNTERS_FD)) {
		NL_SET_ERR_MSG_MOD(info->extack, "counters map fd is required");
		return -EINVAL;
	}
	/* the fds and the XDP link resolve in the caller's namespace */
	if (!net_eq(current->nsproxy->net_ns, req.net)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "attach from a process in the netlink socket's namespace");
		return -EINVAL;
	}
	if (attrs[SEGOFF_A_DEV_MODE])
		req.mode = nla_get_u32(attrs[SEGOFF_A_DEV_MODE]);
	if (attrs[SEGOFF_A_DEV_FLAGS])
		req.replace = nla_get_u32(attrs[SEGOFF_A_DEV_FLAGS]) & SEGOFF_ATTACH_F_REPLACE;
	req.prog_fd = nla_get_s32(attrs[SEGOFF_A_DEV_PROG_FD]);
	req.config_fd = nla_get_s32(attrs[SEGOFF_A_DEV_CONFIG_FD]);
	req.counters_fd = nla_get_s32(attrs[SEGOFF_A_DEV_COUNTERS_FD]);
	err = segoff_nl_params(attrs[SEGOFF_A_DEV_PARAMS], &req.params, info->extack);
	if (err)
		return err;
	return segoff_binding_attach(&req, info->extack);
}

static int segoff_nl_dev_detach_doit(struct sk_buff *skb, struct genl_info *info)
{
	return segoff_binding_detach(info->user_ptr[0], info->extack);
}

static int segoff_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_params_req req;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SEGOFF_A_DEV_PARAMS)) {
		NL_SET_ERR_MSG_MOD(info->extack, "params are required");
		return -EINVAL;
	}
	err = segoff_nl_params(info->attrs[SEGOFF_A_DEV_PARAMS], &req, info->extack);
	if (err)
		return err;
	return segoff_binding_set(info->user_ptr[0], &req, info->extack);
}

static int segoff_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_counters counters;
	struct segoff_binding_info b;
	struct sk_buff *msg;
	int err;

	err = segoff_binding_stats(info->user_ptr[0], &b, &counters);
	if (err == -ENOENT) {
		NL_SET_ERR_MSG_MOD(info->extack, "device has no segoff binding");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack, "cannot read the counters map");
		return err;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = segoff_nl_fill_stats(msg, &b, &counters, info->snd_portid, info->snd_seq, 0, NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int segoff_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct segoff_counters counters;
	struct segoff_binding_info b;
	int *cursor = (int *)cb->ctx;
	unsigned int generation;
	int err = 0, ret;

	while ((ret = segoff_binding_stats_next(sock_net(skb->sk), *cursor, &b, &counters,
						&generation)) != -ENOENT) {
		cb->seq = generation;
		/* -EAGAIN: its counters went with its device, skip it */
		if (!ret)
			err = segoff_nl_fill_stats(skb, &b, &counters, NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		*cursor = b.ifindex;
	}
	return err && !skb->len ? err : skb->len;
}

static const struct genl_ops segoff_nl_ops[] = {
	{
		.cmd = SEGOFF_CMD_DEV_GET,
		.doit = segoff_nl_dev_get_doit,
		.dumpit = segoff_nl_dev_get_dumpit,
		.policy = segoff_dev_id_nl_policy,
		.maxattr = ARRAY_SIZE(segoff_dev_id_nl_policy) - 1,
	},
	{
		.cmd = SEGOFF_CMD_DEV_ATTACH,
		.doit = segoff_nl_dev_attach_doit,
		.policy = segoff_dev_attach_nl_policy,
		.maxattr = ARRAY_SIZE(segoff_dev_attach_nl_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SEGOFF_CMD_DEV_DETACH,
		.doit = segoff_nl_dev_detach_doit,
		.policy = segoff_dev_id_nl_policy,
		.maxattr = ARRAY_SIZE(segoff_dev_id_nl_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SEGOFF_CMD_DEV_SET,
		.doit = segoff_nl_dev_set_doit,
		.policy = segoff_dev_set_nl_policy,
		.maxattr = ARRAY_SIZE(segoff_dev_set_nl_policy) - 1,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SEGOFF_CMD_STATS_GET,
		.doit = segoff_nl_stats_get_doit,
		.dumpit = segoff_nl_stats_get_dumpit,
		.policy = segoff_stats_id_nl_policy,
		.maxattr = ARRAY_SIZE(segoff_stats_id_nl_policy) - 1,
	},
};

static const struct genl_multicast_group segoff_nl_mcgrps[] = {
	[SEGOFF_NLGRP_EVENTS] = { .name = SEGOFF_MCGRP_EVENTS },
};

static struct genl_family segoff_family __ro_after_init = {
	.name = SEGOFF_FAMILY_NAME,
	.version = SEGOFF_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = segoff_nl_pre_doit,
	.post_doit = segoff_nl_post_doit,
	.ops = segoff_nl_ops,
	.n_ops = ARRAY_SIZE(segoff_nl_ops),
	.resv_start_op = SEGOFF_CMD_STATS_GET + 1,
	.mcgrps = segoff_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(segoff_nl_mcgrps),
	.module = THIS_MODULE,
};

/* From binding.c under its list lock, so that events come in the list's order. */
void segoff_notify_attach(const struct segoff_binding_info *b, struct net *net)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&segoff_family, net, SEGOFF_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (segoff_nl_fill_dev(msg, b, 0, 0, 0, SEGOFF_CMD_DEV_ATTACH_NTF, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&segoff_family, net, msg, 0, SEGOFF_NLGRP_EVENTS, GFP_KERNEL);
}

void segoff_notify_detach(const struct segoff_binding_info *b, struct net *net)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&segoff_family, net, SEGOFF_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &segoff_family, 0, SEGOFF_CMD_DEV_DETACH_NTF);
	if (!hdr ||
	    nla_put_u32(msg, SEGOFF_A_DEV_IFINDEX, b->ifindex) ||
	    nla_put_string(msg, SEGOFF_A_DEV_IFNAME, b->ifname) ||
	    nla_put_u32(msg, SEGOFF_A_DEV_MODE, b->mode) ||
	    nla_put_u32(msg, SEGOFF_A_DEV_DETACH_REASON, b->reason)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&segoff_family, net, msg, 0, SEGOFF_NLGRP_EVENTS, GFP_KERNEL);
}

int segoff_genl_register(void)
{
	return genl_register_family(&segoff_family);
}

void segoff_genl_unregister(void)
{
	genl_unregister_family(&segoff_family);
}
