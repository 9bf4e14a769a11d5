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

static const struct nla_policy segoff_params_nl_policy[SEGOFF_A_PARAMS_ARITH + 1] = {
	[SEGOFF_A_PARAMS_EPS] = NLA_POLICY_FULL_RANGE(NLA_U64, &segoff_eps_range),
	[SEGOFF_A_PARAMS_SCALE] = NLA_POLICY_RANGE(NLA_U32, 1, SEGOFF_SCALE_MAX_SEED),
	[SEGOFF_A_PARAMS_ENCODING] = NLA_POLICY_MAX(NLA_U32, SEGOFF_ENC_MAX),
	[SEGOFF_A_PARAMS_PORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &segoff_port_range),
	[SEGOFF_A_PARAMS_ARITH] = NLA_POLICY_MAX(NLA_U32, SEGOFF_ARITH_MAX),
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

/* params.h's messages, prefixed like NL_SET_ERR_MSG_MOD() does */
static const char *const segoff_param_msgs[] = {
#define SEGOFF_PARAM_MSG(code, msg) \
	[(code)] = KBUILD_MODNAME ": " msg,
	SEGOFF_PARAM_ERRORS(SEGOFF_PARAM_MSG)
#undef SEGOFF_PARAM_MSG
};

/* the policy checked the length: 8 bytes for eps, 4 for the others */
static u64 segoff_nl_get_uint(const struct nlattr *a)
{
	return nla_len(a) == sizeof(u64) ? nla_get_u64(a) : nla_get_u32(a);
}

/*
 * @p holds the base (defaults, or the binding's parameters) and gets the
 * attributes of @nest, merged by params.h's one policy.
 */
static int segoff_nl_params(const struct nlattr *nest, struct segoff_params *p,
			    struct segoff_config *c, struct netlink_ext_ack *extack)
{
	/* every attribute SEGOFF_PARAMS() names, whether the policy parses it or not */
	struct nlattr *tb[SEGOFF_A_PARAMS_MAX + 1] = {};
	struct segoff_params req = {};
	u32 given = 0;
	int err;

	if (nest) {
		err = nla_parse_nested(tb, SEGOFF_A_PARAMS_ARITH, nest, segoff_params_nl_policy,
				       extack);
		if (err)
			return err;
#define SEGOFF_NL_PARAM(field, attr, min, max, code)	\
		if (tb[attr]) {					\
			req.field = segoff_nl_get_uint(tb[attr]);	\
			given |= SEGOFF_PARAM_F(attr);		\
		}
		SEGOFF_PARAMS(SEGOFF_NL_PARAM)
#undef SEGOFF_NL_PARAM
	}
	err = segoff_params_merge(p, &req, given, c);
	if (err == SEGOFF_PARAM_OK)
		return 0;
	/* what NL_SET_ERR_MSG_MOD() does, for literals it cannot take one by one */
	if (extack)
		extack->_msg = segoff_param_msgs[err];
	NL_SET_BAD_ATTR(extack, nest);
	return -EINVAL;
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
	    nla_put_u32(skb, SEGOFF_A_PARAMS_ARITH, p->arith))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Under segoff_list_lock: the parameters may change under DEV_SET. */
static int segoff_nl_fill_dev(struct sk_buff *skb, const struct segoff_binding *b, u32 portid,
			      u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &segoff_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, SEGOFF_A_DEV_IFINDEX, b->dev->ifindex) ||
	    nla_put_string(skb, SEGOFF_A_DEV_IFNAME, b->dev->name) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_MODE, b->mode) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_PROG_ID, b->prog->aux->id) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_CONFIG_ID, b->config->id) ||
	    nla_put_u32(skb, SEGOFF_A_DEV_COUNTERS_ID, b->counters->id) ||
	    segoff_nl_put_params(skb, &b->params) ||
	    nla_put_u64_64bit(skb, SEGOFF_A_DEV_ATTACH_TIME, b->attach_time, SEGOFF_A_DEV_PAD))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int segoff_nl_fill_stats(struct sk_buff *skb, const struct segoff_binding *b,
				const struct segoff_counters *c, u32 portid, u32 seq, int flags,
				struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &segoff_family, flags, SEGOFF_CMD_STATS_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, SEGOFF_A_STATS_IFINDEX, b->dev->ifindex) ||
	    nla_put_string(skb, SEGOFF_A_STATS_IFNAME, b->dev->name) ||
	    nla_put_u32(skb, SEGOFF_A_STATS_MODE, b->mode) ||
	    nla_put_u32(skb, SEGOFF_A_STATS_PROG_ID, b->prog->aux->id) ||
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
	    nla_put_u64_64bit(skb, SEGOFF_A_STATS_OTHER, c->other, SEGOFF_A_STATS_PAD))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int segoff_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_binding *b;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&segoff_list_lock);
	b = segoff_binding_find(info->user_ptr[0]);
	if (b)
		err = segoff_nl_fill_dev(msg, b, info->snd_portid, info->snd_seq, 0,
					 SEGOFF_CMD_DEV_GET, NULL);
	mutex_unlock(&segoff_list_lock);
	if (!b) {
		NL_SET_ERR_MSG_MOD(info->extack, "device has no segoff binding");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->ctx: the ifindex last dumped; the list is sorted by ifindex */
static int segoff_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	int *cursor = (int *)cb->ctx;
	struct segoff_binding *b;
	int err = 0;

	mutex_lock(&segoff_list_lock);
	cb->seq = segoff_generation;
	while ((b = segoff_binding_find_next(sock_net(skb->sk), *cursor))) {
		err = segoff_nl_fill_dev(skb, b, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					 NLM_F_MULTI, SEGOFF_CMD_DEV_GET, cb);
		if (err)
			break;
		*cursor = b->dev->ifindex;
	}
	mutex_unlock(&segoff_list_lock);
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
	segoff_params_default(&req.params);
	err = segoff_nl_params(attrs[SEGOFF_A_DEV_PARAMS], &req.params, &req.config,
			       info->extack);
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
	struct net_device *dev = info->user_ptr[0];
	struct segoff_binding *b;
	struct segoff_params p;
	struct segoff_config c;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SEGOFF_A_DEV_PARAMS)) {
		NL_SET_ERR_MSG_MOD(info->extack, "params are required");
		return -EINVAL;
	}
	mutex_lock(&segoff_list_lock);
	b = segoff_binding_find(dev);
	if (b)
		p = b->params;
	mutex_unlock(&segoff_list_lock);
	if (!b) {
		NL_SET_ERR_MSG_MOD(info->extack, "device has no segoff binding");
		return -ENOENT;
	}
	err = segoff_nl_params(info->attrs[SEGOFF_A_DEV_PARAMS], &p, &c, info->extack);
	if (err)
		return err;
	return segoff_binding_set(dev, &p, &c, info->extack);
}

static int segoff_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct segoff_counters counters;
	struct segoff_binding *b;
	struct sk_buff *msg;
	int err;

	b = segoff_binding_get(info->user_ptr[0]);
	if (!b) {
		NL_SET_ERR_MSG_MOD(info->extack, "device has no segoff binding");
		return -ENOENT;
	}
	err = segoff_counters_fetch(b, &counters);
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack, "cannot read the counters map");
		goto out_put;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = segoff_nl_fill_stats(msg, b, &counters, info->snd_portid, info->snd_seq, 0, NULL);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	err = genlmsg_reply(msg, info);
out_put:
	segoff_binding_put(b);
	return err;
}

/*
 * Reading offloaded counters takes rtnl, which ranks above the list lock:
 * each binding is held by reference, not under the lock, while dumped.
 */
static int segoff_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct segoff_counters counters;
	int *cursor = (int *)cb->ctx;
	struct segoff_binding *b;
	unsigned int generation;
	int err = 0;

	while ((b = segoff_binding_get_next(sock_net(skb->sk), *cursor, &generation))) {
		cb->seq = generation;
		/* a device taking its counters away is about to lose its binding */
		if (!segoff_counters_fetch(b, &counters))
			err = segoff_nl_fill_stats(skb, b, &counters, NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (!err)
			*cursor = b->dev->ifindex;
		segoff_binding_put(b);
		if (err)
			break;
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

/* Under segoff_list_lock, like every change of the list. */
void segoff_notify_attach(struct segoff_binding *b)
{
	struct net *net = dev_net(b->dev);
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

void segoff_notify_detach(struct segoff_binding *b)
{
	struct net *net = dev_net(b->dev);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&segoff_family, net, SEGOFF_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &segoff_family, 0, SEGOFF_CMD_DEV_DETACH_NTF);
	if (!hdr ||
	    nla_put_u32(msg, SEGOFF_A_DEV_IFINDEX, b->dev->ifindex) ||
	    nla_put_string(msg, SEGOFF_A_DEV_IFNAME, b->dev->name) ||
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
