/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SEGOFF_KMOD_H
#define _SEGOFF_KMOD_H

#include <linux/bpf.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <linux/segoff.h>
#include <segoff/params.h>

/*
 * A binding: the segoff program held on one device through a BPF link,
 * with its two maps. It belongs to the namespace of its device and dies
 * when the device leaves it.
 */
struct segoff_binding {
	struct list_head node;		/* segoff_bindings, sorted by ifindex */
	struct kref ref;		/* the list holds one */
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct bpf_link *link;		/* NULL once detached */
	struct bpf_prog *prog;
	struct bpf_map *config;
	struct bpf_map *counters;
	u32 mode;			/* enum segoff_mode */
	bool listed;			/* was listed: logged "binding created" */
	struct segoff_params params;	/* written under both locks of binding.c */
	struct segoff_config_map cfgmap;	/* what the config map holds */
	unsigned long cfg_gp;		/* RCU state at the last flip, see maps.c */
	u64 attach_time;		/* CLOCK_REALTIME, ns */
	u32 reason;			/* enum segoff_detach_reason, once unlisted */
	struct work_struct put_work;
};

/* A copy of a binding for replies and events, taken under the list lock. */
struct segoff_binding_info {
	int ifindex;
	char ifname[IFNAMSIZ];
	u32 mode;
	u32 prog_id, config_id, counters_id;
	struct segoff_params params;
	u64 attach_time;
	u32 reason;
};

/* The parameters a request gives, to be applied over a base. */
struct segoff_params_req {
	u32 given;			/* SEGOFF_PARAM_F() of those present */
	struct segoff_params v;
	const struct nlattr *nest;	/* for NL_SET_BAD_ATTR() */
};

/* Exported for kernel light skeletons, declared by no 6.1 header. */
int kern_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* params.c */
int segoff_params_apply(struct segoff_params *p, const struct segoff_params_req *req,
			struct segoff_config *c, struct netlink_ext_ack *extack);

/* binding.c: the only owner of the list, its locks and its generation */
struct segoff_attach {
	struct net_device *dev;
	struct net *net;		/* of the request */
	u32 mode;
	int prog_fd, config_fd, counters_fd;
	bool replace;
	struct segoff_params_req params;
};

int segoff_binding_attach(const struct segoff_attach *req, struct netlink_ext_ack *extack);
int segoff_binding_detach(struct net_device *dev, struct netlink_ext_ack *extack);
int segoff_binding_set(struct net_device *dev, const struct segoff_params_req *req,
		       struct netlink_ext_ack *extack);
/* -ENOENT without a binding; the _next ones walk @net's in ifindex order */
int segoff_binding_show(const struct net_device *dev, struct segoff_binding_info *info);
int segoff_binding_show_next(struct net *net, int after_ifindex,
			     struct segoff_binding_info *info, unsigned int *generation);
int segoff_binding_stats(const struct net_device *dev, struct segoff_binding_info *info,
			 struct segoff_counters *c);
int segoff_binding_stats_next(struct net *net, int after_ifindex,
			      struct segoff_binding_info *info, struct segoff_counters *c,
			      unsigned int *generation);
void segoff_bindings_drop_all(void);
int segoff_bindings_init(void);
void segoff_bindings_exit(void);

/* maps.c */
int segoff_maps_check(struct bpf_prog *prog, struct bpf_map *config, struct bpf_map *counters,
		      u32 mode, struct netlink_ext_ack *extack);
int segoff_counters_zero(struct segoff_binding *b);
int segoff_config_init_store(struct segoff_binding *b, const struct segoff_config *c);
int segoff_config_install(struct segoff_binding *b, const struct segoff_config *c);
int segoff_counters_fetch(struct segoff_binding *b, struct segoff_counters *out);

/* netlink.c: called under the list lock, like every change of the list */
int segoff_genl_register(void);
void segoff_genl_unregister(void);
void segoff_notify_attach(const struct segoff_binding_info *info, struct net *net);
void segoff_notify_detach(const struct segoff_binding_info *info, struct net *net);

#endif /* _SEGOFF_KMOD_H */
