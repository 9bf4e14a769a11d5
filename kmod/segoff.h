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
	struct segoff_params params;
	u64 attach_time;		/* CLOCK_REALTIME, ns */
	u32 reason;			/* enum segoff_detach_reason, once unlisted */
	struct work_struct put_work;
};

/* Exported for kernel light skeletons, declared by no 6.1 header. */
int kern_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);

/* binding.c */
extern struct mutex segoff_list_lock;
extern struct mutex segoff_cfg_lock;
extern unsigned int segoff_generation;

struct segoff_attach {
	struct net_device *dev;
	struct net *net;		/* of the request */
	u32 mode;
	int prog_fd, config_fd, counters_fd;
	bool replace;
	struct segoff_params params;
	struct segoff_config config;
};

int segoff_binding_attach(struct segoff_attach *req, struct netlink_ext_ack *extack);
int segoff_binding_detach(struct net_device *dev, struct netlink_ext_ack *extack);
int segoff_binding_set(struct net_device *dev, const struct segoff_params *params,
		       const struct segoff_config *config, struct netlink_ext_ack *extack);
/* under segoff_list_lock */
struct segoff_binding *segoff_binding_find(const struct net_device *dev);
struct segoff_binding *segoff_binding_find_next(struct net *net, int after_ifindex);
/* take a reference, to be dropped with segoff_binding_put() holding no lock */
struct segoff_binding *segoff_binding_get(const struct net_device *dev);
struct segoff_binding *segoff_binding_get_next(struct net *net, int after_ifindex,
					       unsigned int *generation);
void segoff_binding_put(struct segoff_binding *b);
void segoff_bindings_drop_all(void);
int segoff_bindings_init(void);
void segoff_bindings_exit(void);

/* maps.c */
int segoff_maps_check(struct bpf_prog *prog, struct bpf_map *config, struct bpf_map *counters,
		      u32 mode, struct netlink_ext_ack *extack);
int segoff_counters_zero(struct segoff_binding *b);
int segoff_config_store(struct segoff_binding *b, const struct segoff_config *c);
int segoff_counters_fetch(struct segoff_binding *b, struct segoff_counters *out);

/* netlink.c */
int segoff_genl_register(void);
void segoff_genl_unregister(void);
void segoff_notify_attach(struct segoff_binding *b);
void segoff_notify_detach(struct segoff_binding *b);

#endif /* _SEGOFF_KMOD_H */
