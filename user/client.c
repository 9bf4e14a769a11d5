// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The client layer: every request segoff-nl makes of the kernel, through
 * segoff.ko's generic netlink family or, for pinned bindings, pinned.c.
 * A device's pinned binding wins: the module cannot hold one on a device
 * whose XDP hook a pinned link already occupies.
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <netlink/genl/ctrl.h>
#include <bpf/bpf.h>

#include "client.h"
#include "nl.h"
#include "tool.h"

struct client_error client_err;

static struct snl_ctx nl;
static int nl_state;		/* 0 not tried, 1 connected, -errno */

int client_fail(int err, const char *fmt, ...)
{
	va_list ap;

	client_err.err = err;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(client_err.note, sizeof(client_err.note), fmt, ap);
		va_end(ap);
	}
	return err;
}

void client_perror(const char *verb, const char *object)
{
	if (client_err.msg[0])
		fprintf(stderr, "%s\n", client_err.msg);
	else
		fprintf(stderr, "Unable to %s %s: %s\n", verb, object, strerror(-client_err.err));
	if (client_err.extack[0])
		fprintf(stderr, "kernel: %s\n", client_err.extack);
	if (client_err.note[0])
		fprintf(stderr, "%s\n", client_err.note);
}

const char *client_kind_name(int kind)
{
	return kind == CLIENT_PINNED ? "pinned" : "module";
}

void client_close(void)
{
	snl_close(&nl);
	nl_state = 0;
}

static void clear_error(void)
{
	memset(&client_err, 0, sizeof(client_err));
}

/* 1 with the family resolved, 0 when segoff.ko is not loaded, -errno */
static int module(void)
{
	if (!nl_state) {
		nl_state = snl_connect(&nl);
		if (!nl_state)
			nl_state = 1;
	}
	if (nl_state == -ENOENT)
		return 0;
	if (nl_state < 0)
		return client_fail(nl_state, "Unable to reach segoff: %s", strerror(-nl_state));
	return 1;
}

static int no_module(const char *dev)
{
	return client_fail(-ENOENT, "%s has no pinned binding, and segoff.ko is not loaded", dev);
}

/* the request and its answer; the kernel's extack kept for client_perror() */
static int transact(struct nl_msg *msg, int (*parse)(struct nl_msg *, void *),
		    void (*reset)(void *), void *arg)
{
	int err;

	if (!msg)
		return client_fail(-ENOMEM, NULL);
	err = snl_transact(&nl, msg, parse, reset, arg);
	client_err.err = err;
	snprintf(client_err.extack, sizeof(client_err.extack), "%s", nl.extack);
	return err;
}

static struct nl_msg *dev_request(uint8_t cmd, int flags, const char *dev)
{
	struct nl_msg *msg = snl_request(&nl, cmd, flags);

	/* SEGOFF_A_STATS_IFNAME is SEGOFF_A_DEV_IFNAME */
	if (msg && dev && nla_put_string(msg, SEGOFF_A_DEV_IFNAME, dev)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static void *list_add(void **v, size_t *n, size_t *cap, size_t size)
{
	void *nv;

	if (*n == *cap) {
		nv = realloc(*v, (*cap * 2 + 4) * size);
		if (!nv)
			return NULL;
		*v = nv;
		*cap = *cap * 2 + 4;
	}
	nv = (char *)*v + (*n)++ * size;
	memset(nv, 0, size);
	return nv;
}

struct client_binding *client_bindings_add(struct client_bindings *b)
{
	return list_add((void **)&b->v, &b->n, &b->cap, sizeof(*b->v));
}

struct client_stats *client_stats_add(struct client_stats_list *s)
{
	return list_add((void **)&s->v, &s->n, &s->cap, sizeof(*s->v));
}

void client_bindings_free(struct client_bindings *b)
{
	free(b->v);
	memset(b, 0, sizeof(*b));
}

void client_stats_free(struct client_stats_list *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- dev-get ---- */

static int binding_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SEGOFF_A_DEV_MAX + 1];
	struct client_bindings *bs = arg;
	struct client_binding *b;
	struct segoff_params p;

	if (snl_parse(msg, tb, SEGOFF_A_DEV_MAX) || !tb[SEGOFF_A_DEV_IFINDEX] ||
	    !tb[SEGOFF_A_DEV_IFNAME] || !tb[SEGOFF_A_DEV_MODE] || !tb[SEGOFF_A_DEV_PROG_ID] ||
	    !tb[SEGOFF_A_DEV_CONFIG_ID] || !tb[SEGOFF_A_DEV_COUNTERS_ID] ||
	    !tb[SEGOFF_A_DEV_ATTACH_TIME] || snl_get_params(tb[SEGOFF_A_DEV_PARAMS], &p)) {
		client_err.err = -EPROTO;
		return NL_SKIP;
	}
	b = client_bindings_add(bs);
	if (!b) {
		client_err.err = -ENOMEM;
		return NL_STOP;
	}
	b->kind = CLIENT_MODULE;
	b->p = p;
	b->ifindex = nla_get_u32(tb[SEGOFF_A_DEV_IFINDEX]);
	snprintf(b->ifname, sizeof(b->ifname), "%s", nla_get_string(tb[SEGOFF_A_DEV_IFNAME]));
	b->mode = nla_get_u32(tb[SEGOFF_A_DEV_MODE]);
	b->prog_id = nla_get_u32(tb[SEGOFF_A_DEV_PROG_ID]);
	b->config_id = nla_get_u32(tb[SEGOFF_A_DEV_CONFIG_ID]);
	b->counters_id = nla_get_u32(tb[SEGOFF_A_DEV_COUNTERS_ID]);
	b->attach_time = nla_get_u64(tb[SEGOFF_A_DEV_ATTACH_TIME]);
	return NL_OK;
}

static void bindings_reset(void *arg)
{
	((struct client_bindings *)arg)->n = 0;
}

/* a reply that lacked an attribute fails the whole request */
static int transact_checked(struct nl_msg *msg, int (*parse)(struct nl_msg *, void *),
			    void (*reset)(void *), void *arg)
{
	int err = transact(msg, parse, reset, arg);

	if (!err && client_err.err)
		err = client_err.err;
	return err;
}

int client_dev_get(const char *dev, struct client_bindings *out)
{
	struct client_binding *b;
	int err;

	clear_error();
	memset(out, 0, sizeof(*out));
	if (dev && pinned_exists(dev)) {
		b = client_bindings_add(out);
		return b ? pinned_get(dev, b) : client_fail(-ENOMEM, NULL);
	}
	err = module();
	if (err < 0)
		return err;
	if (!err)
		return dev ? no_module(dev) : pinned_list(out);
	err = transact_checked(dev_request(SEGOFF_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP, dev),
			       binding_parse, bindings_reset, out);
	if (!err && !dev)
		err = pinned_list(out);
	return err;
}

/* ---- dev-attach, dev-detach, dev-set ---- */

static int put_params(struct nl_msg *msg, const struct segoff_params *p, unsigned int given)
{
	return msg && snl_put_params(msg, p, given) ? -EMSGSIZE : 0;
}

void client_prog_info(struct client_attach *a, int prog_fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return;
	a->prog_id = info.id;
	a->xlated_insns = info.xlated_prog_len / 8;	/* struct bpf_insn */
	a->jited_bytes = info.jited_prog_len;
}

int client_dev_attach(struct client_attach *a)
{
	struct segoff_obj o;
	struct nl_msg *msg;
	int ifindex, err;

	clear_error();
	err = a->pin ? 0 : module();
	if (err < 0)
		return err;
	if (!err) {
		char dir[PATH_MAX];

		if (!a->pin)
			fprintf(stderr, "%s: segoff.ko is not loaded: pinning the binding in %s\n",
				prog_name, client_pin_dir(a->dev, dir, sizeof(dir)));
		return pinned_attach(a);
	}
	if (pinned_exists(a->dev))
		return client_fail(-EBUSY, "%s has a pinned binding: detach it first", a->dev);
	ifindex = (int)if_nametoindex(a->dev);
	if (!ifindex)
		return client_fail(-errno, NULL);
	err = segoff_obj_load(&o, a->obj, a->mode, ifindex, tool_verbose, client_err.msg,
			      sizeof(client_err.msg));
	if (err)
		return client_err.err = err;
	msg = dev_request(SEGOFF_CMD_DEV_ATTACH, 0, a->dev);
	if (msg && (nla_put_u32(msg, SEGOFF_A_DEV_MODE, a->mode) ||
		    nla_put_s32(msg, SEGOFF_A_DEV_PROG_FD, o.prog_fd) ||
		    nla_put_s32(msg, SEGOFF_A_DEV_CONFIG_FD, o.config_fd) ||
		    nla_put_s32(msg, SEGOFF_A_DEV_COUNTERS_FD, o.counters_fd) ||
		    (a->replace && nla_put_u32(msg, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE)) ||
		    put_params(msg, &a->p, a->given))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = transact(msg, NULL, NULL, NULL);
	if (!err)
		client_prog_info(a, o.prog_fd);
	/* the module holds its own references now */
	segoff_obj_close(&o);
	return err;
}

int client_dev_detach(const char *dev)
{
	int err;

	clear_error();
	if (pinned_exists(dev))
		return pinned_detach(dev);
	err = module();
	if (err <= 0)
		return err < 0 ? err : no_module(dev);
	return transact(dev_request(SEGOFF_CMD_DEV_DETACH, 0, dev), NULL, NULL, NULL);
}

int client_dev_set(const char *dev, const struct segoff_params *p, unsigned int given)
{
	struct nl_msg *msg;
	int err;

	clear_error();
	if (pinned_exists(dev))
		return pinned_set(dev, p, given);
	err = module();
	if (err <= 0)
		return err < 0 ? err : no_module(dev);
	msg = dev_request(SEGOFF_CMD_DEV_SET, 0, dev);
	if (put_params(msg, p, given)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return transact(msg, NULL, NULL, NULL);
}

/* ---- stats-get ---- */

static int stats_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SEGOFF_A_STATS_MAX + 1];
	struct client_stats *s;
	int i;

	if (snl_parse(msg, tb, SEGOFF_A_STATS_MAX) || !tb[SEGOFF_A_STATS_IFINDEX] ||
	    !tb[SEGOFF_A_STATS_IFNAME] || !tb[SEGOFF_A_STATS_MODE] ||
	    !tb[SEGOFF_A_STATS_PROG_ID])
		goto bad;
	/* every counter this version knows, whatever the kernel adds */
	for (i = SEGOFF_A_STATS_FRAMES; i <= SEGOFF_A_STATS_MAX; i++)
		if (i != SEGOFF_A_STATS_PAD && !tb[i])
			goto bad;
	s = client_stats_add(arg);
	if (!s) {
		client_err.err = -ENOMEM;
		return NL_STOP;
	}
	s->kind = CLIENT_MODULE;
	s->ifindex = nla_get_u32(tb[SEGOFF_A_STATS_IFINDEX]);
	snprintf(s->ifname, sizeof(s->ifname), "%s", nla_get_string(tb[SEGOFF_A_STATS_IFNAME]));
	s->mode = nla_get_u32(tb[SEGOFF_A_STATS_MODE]);
	s->prog_id = nla_get_u32(tb[SEGOFF_A_STATS_PROG_ID]);
	for (i = SEGOFF_A_STATS_FRAMES; i <= SEGOFF_A_STATS_MAX; i++)
		if (i != SEGOFF_A_STATS_PAD)
			s->v[i] = nla_get_u64(tb[i]);
	return NL_OK;
bad:
	client_err.err = -EPROTO;
	return NL_SKIP;
}

static void stats_reset(void *arg)
{
	((struct client_stats_list *)arg)->n = 0;
}

int client_stats_get(const char *dev, struct client_stats_list *out)
{
	struct client_stats *s;
	int err;

	clear_error();
	out->n = 0;
	if (dev && pinned_exists(dev)) {
		s = client_stats_add(out);
		return s ? pinned_stats(dev, s) : client_fail(-ENOMEM, NULL);
	}
	err = module();
	if (err < 0)
		return err;
	if (!err)
		return dev ? no_module(dev) : pinned_stats_list(out);
	err = transact_checked(dev_request(SEGOFF_CMD_STATS_GET, dev ? 0 : NLM_F_DUMP, dev),
			       stats_parse, stats_reset, out);
	if (!err && !dev)
		err = pinned_stats_list(out);
	return err;
}

/* ---- events ---- */

struct events {
	int (*cb)(const struct client_event *e, void *arg);
	void *arg;
};

static int event_parse(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SEGOFF_A_DEV_MAX + 1];
	struct client_event e = { .attach = gh->cmd == SEGOFF_CMD_DEV_ATTACH_NTF };
	struct events *ev = arg;

	if ((!e.attach && gh->cmd != SEGOFF_CMD_DEV_DETACH_NTF) ||
	    snl_parse(msg, tb, SEGOFF_A_DEV_MAX) || !tb[SEGOFF_A_DEV_IFINDEX] ||
	    !tb[SEGOFF_A_DEV_IFNAME] || !tb[SEGOFF_A_DEV_MODE] ||
	    (!e.attach && !tb[SEGOFF_A_DEV_DETACH_REASON])) {
		fprintf(stderr, "%s: ignoring a malformed event (command %u)\n", prog_name,
			gh->cmd);
		return NL_SKIP;
	}
	e.ifindex = nla_get_u32(tb[SEGOFF_A_DEV_IFINDEX]);
	snprintf(e.ifname, sizeof(e.ifname), "%s", nla_get_string(tb[SEGOFF_A_DEV_IFNAME]));
	e.mode = nla_get_u32(tb[SEGOFF_A_DEV_MODE]);
	if (!e.attach)
		e.reason = nla_get_u32(tb[SEGOFF_A_DEV_DETACH_REASON]);
	return ev->cb(&e, ev->arg) ? NL_STOP : NL_OK;
}

int client_events(int (*cb)(const struct client_event *e, void *arg), void *arg,
		  volatile sig_atomic_t *stop)
{
	struct events ev = { cb, arg };
	struct pollfd pfd;
	int grp, err;

	clear_error();
	err = module();
	if (err <= 0)
		return err < 0 ? err : client_fail(-ENOENT, "segoff.ko is not loaded: "
						   "pinned bindings have no events");
	grp = genl_ctrl_resolve_grp(nl.sk, SEGOFF_FAMILY_NAME, SEGOFF_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(nl.sk, grp) || nl_socket_set_nonblocking(nl.sk)) {
		snprintf(client_err.msg, sizeof(client_err.msg), "Unable to join the %s group: %s",
			 SEGOFF_MCGRP_EVENTS, nl_geterror(grp < 0 ? grp : -NLE_FAILURE));
		return client_err.err = -EIO;
	}
	nl_socket_disable_seq_check(nl.sk);
	nl_socket_modify_cb(nl.sk, NL_CB_VALID, NL_CB_CUSTOM, event_parse, &ev);
	/* libnl restarts recvmsg() on EINTR: wait in poll(), which a signal ends */
	pfd.fd = nl_socket_get_fd(nl.sk);
	pfd.events = POLLIN;
	while (!*stop) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(client_err.msg, sizeof(client_err.msg),
				 "Unable to wait for events: %s", strerror(errno));
			return client_err.err = -errno;
		}
		err = nl_recvmsgs_default(nl.sk);
		if (err < 0 && err != -NLE_AGAIN) {
			snprintf(client_err.msg, sizeof(client_err.msg),
				 "Unable to receive events: %s", nl_geterror(err));
			return client_err.err = -EIO;
		}
	}
	return 0;
}
