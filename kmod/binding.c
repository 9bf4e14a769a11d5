// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: their list, their lifetime, their parameters and the XDP link
 * each one holds. Nothing outside this file takes its locks or reads a
 * binding's mutable fields: replies get a copy (segoff_binding_info).
 *
 * Locking, outermost first:
 *   segoff_update_lock  serialises attach, detach, set and unload: a
 *                       change of a binding (its parameters included) is
 *                       read, merged and written in one critical section,
 *                       so no request starts from a stale copy;
 *   rtnl                held to insert, so that the device is known to be
 *                       registered in the request's namespace (the
 *                       netdevice notifier runs under it);
 *   segoff_list_lock    the list, its generation and the parameters as
 *                       readers see them; the notifier takes it.
 * The XDP link takes rtnl when created, updated or released, so it is
 * done holding neither rtnl nor the list lock, and the notifier hands the
 * last reference of a binding it drops to a work item.
 *
 * Lifetime: a binding is counted from segoff_binding_new() to its release.
 * It is listed at most once; only then does it log "binding created", and
 * only such a binding logs "binding destroyed" when released, so that the
 * two lines pair exactly whatever path an attach fails on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "fault.h"
#include "segoff.h"

static DEFINE_MUTEX(segoff_update_lock);	/* one change of the bindings at a time */
static DEFINE_MUTEX(segoff_list_lock);		/* segoff_bindings, segoff_generation */
static LIST_HEAD(segoff_bindings);
/* bumped on every change so that dumps can tell they were interrupted; 0 means unset */
static unsigned int segoff_generation = 1;
static bool segoff_unloading;
static struct workqueue_struct *segoff_wq;
static atomic_t segoff_binding_count = ATOMIC_INIT(0);	/* alive, listed or not */

static const u32 segoff_xdp_flags[] = {
	[SEGOFF_MODE_NATIVE] = XDP_FLAGS_DRV_MODE,
	[SEGOFF_MODE_GENERIC] = XDP_FLAGS_SKB_MODE,
	[SEGOFF_MODE_OFFLOAD] = XDP_FLAGS_HW_MODE,
};

static const char *const segoff_reason_names[] = {
	[SEGOFF_DETACH_REQUEST] = "request",
	[SEGOFF_DETACH_DEV_GONE] = "dev-gone",
	[SEGOFF_DETACH_NETNS] = "netns",
	[SEGOFF_DETACH_UNLOAD] = "unload",
};

static void segoff_binding_release(struct kref *ref)
{
	struct segoff_binding *b = container_of(ref, struct segoff_binding, ref);

	/* the list holds a reference: every path unlists before the last put */
	WARN_ON(!list_empty(&b->node));
	if (b->link)
		bpf_link_put(b->link);
	bpf_map_put(b->counters);
	bpf_map_put(b->config);
	bpf_prog_put(b->prog);
	if (b->listed)
		pr_info("binding destroyed dev %s reason %s\n", netdev_name(b->dev),
			segoff_reason_names[b->reason]);
	netdev_put(b->dev, &b->dev_tracker);
	if (!segoff_fault_leak_binding())
		kfree(b);
	WARN_ON(atomic_dec_return(&segoff_binding_count) < 0);
}

/* Holding neither rtnl nor the list lock: the last put releases the link. */
static void segoff_binding_put(struct segoff_binding *b)
{
	kref_put(&b->ref, segoff_binding_release);
}

static void segoff_binding_put_work(struct work_struct *work)
{
	segoff_binding_put(container_of(work, struct segoff_binding, put_work));
}

/* Drops the program from the device now, whoever still holds the binding. */
static void segoff_binding_unlink_prog(struct segoff_binding *b)
{
	struct bpf_link *link = b->link;

	b->link = NULL;
	if (link)
		bpf_link_put(link);
}

static struct segoff_binding *segoff_binding_find(const struct net_device *dev)
{
	struct segoff_binding *b;

	lockdep_assert_held(&segoff_list_lock);
	list_for_each_entry(b, &segoff_bindings, node)
		if (b->dev == dev)
			return b;
	return NULL;
}

static struct segoff_binding *segoff_binding_find_next(struct net *net, int after_ifindex)
{
	struct segoff_binding *b;

	lockdep_assert_held(&segoff_list_lock);
	list_for_each_entry(b, &segoff_bindings, node)
		if (b->dev->ifindex > after_ifindex && net_eq(dev_net(b->dev), net))
			return b;
	return NULL;
}

/* To be dropped with segoff_binding_put() holding no lock. */
static struct segoff_binding *segoff_binding_get(const struct net_device *dev)
{
	struct segoff_binding *b;

	mutex_lock(&segoff_list_lock);
	b = segoff_binding_find(dev);
	if (b)
		kref_get(&b->ref);
	mutex_unlock(&segoff_list_lock);
	return b;
}

static void segoff_binding_copy(const struct segoff_binding *b, struct segoff_binding_info *info)
{
	lockdep_assert_held(&segoff_list_lock);
	info->ifindex = b->dev->ifindex;
	strscpy(info->ifname, b->dev->name, sizeof(info->ifname));
	info->mode = b->mode;
	info->prog_id = b->prog->aux->id;
	info->config_id = b->config->id;
	info->counters_id = b->counters->id;
	info->params = b->params;
	info->attach_time = b->attach_time;
	info->reason = b->reason;
}

/* @dev's binding, or with @dev NULL the next one of @net after @after_ifindex */
static struct segoff_binding *segoff_binding_lookup(const struct net_device *dev, struct net *net,
						    int after_ifindex,
						    struct segoff_binding_info *info,
						    unsigned int *generation, bool get)
{
	struct segoff_binding *b;

	mutex_lock(&segoff_list_lock);
	if (generation)
		*generation = segoff_generation;
	b = dev ? segoff_binding_find(dev) : segoff_binding_find_next(net, after_ifindex);
	if (b) {
		segoff_binding_copy(b, info);
		if (get)
			kref_get(&b->ref);
	}
	mutex_unlock(&segoff_list_lock);
	return b;
}

int segoff_binding_show(const struct net_device *dev, struct segoff_binding_info *info)
{
	return segoff_binding_lookup(dev, NULL, 0, info, NULL, false) ? 0 : -ENOENT;
}

int segoff_binding_show_next(struct net *net, int after_ifindex,
			     struct segoff_binding_info *info, unsigned int *generation)
{
	return segoff_binding_lookup(NULL, net, after_ifindex, info, generation, false) ? 0
											: -ENOENT;
}

/*
 * Reading offloaded counters takes rtnl, which ranks above the list lock:
 * the binding is held by reference, not under the lock, while read.
 */
static int segoff_binding_stats_of(struct segoff_binding *b, struct segoff_counters *c)
{
	int err;

	if (!b)
		return -ENOENT;
	err = segoff_counters_fetch(b, c);
	segoff_binding_put(b);
	return err;
}

int segoff_binding_stats(const struct net_device *dev, struct segoff_binding_info *info,
			 struct segoff_counters *c)
{
	return segoff_binding_stats_of(segoff_binding_lookup(dev, NULL, 0, info, NULL, true), c);
}

int segoff_binding_stats_next(struct net *net, int after_ifindex,
			      struct segoff_binding_info *info, struct segoff_counters *c,
			      unsigned int *generation)
{
	struct segoff_binding *b;
	int err;

	b = segoff_binding_lookup(NULL, net, after_ifindex, info, generation, true);
	if (!b)
		return -ENOENT;
	err = segoff_binding_stats_of(b, c);
	/* a device taking its counters away is about to lose its binding */
	return err ? -EAGAIN : 0;
}

/* The list's reference goes to the caller. */
static void segoff_binding_unlist(struct segoff_binding *b, u32 reason)
{
	struct segoff_binding_info info;

	lockdep_assert_held(&segoff_list_lock);
	list_del_init(&b->node);
	b->reason = reason;
	segoff_generation++;
	segoff_binding_copy(b, &info);
	segoff_notify_detach(&info, dev_net(b->dev));
}

static int segoff_binding_list(struct segoff_binding *b, struct net *net,
			       struct netlink_ext_ack *extack)
{
	struct segoff_binding_info info;
	struct segoff_binding *pos;

	ASSERT_RTNL();
	lockdep_assert_held(&segoff_list_lock);
	if (WARN_ON(b->listed))
		return -EINVAL;
	/* the notifier has run, or will find the binding */
	if (b->dev->reg_state != NETREG_REGISTERED || !net_eq(dev_net(b->dev), net)) {
		NL_SET_ERR_MSG_MOD(extack, "device went away during attach");
		return -ENODEV;
	}
	list_for_each_entry(pos, &segoff_bindings, node)
		if (pos->dev->ifindex > b->dev->ifindex)
			break;
	list_add_tail(&b->node, &pos->node);
	b->listed = true;
	segoff_generation++;
	pr_info("binding created dev %s\n", netdev_name(b->dev));
	segoff_binding_copy(b, &info);
	segoff_notify_attach(&info, net);
	return 0;
}

static int segoff_binding_prog(struct segoff_binding *b, int fd, struct netlink_ext_ack *extack)
{
	bool offload = b->mode == SEGOFF_MODE_OFFLOAD;
	struct bpf_prog *prog;

	prog = bpf_prog_get_type_dev(fd, BPF_PROG_TYPE_XDP, offload);
	if (PTR_ERR(prog) == -EBADF) {
		NL_SET_ERR_MSG_MOD(extack, "prog fd is not an open file descriptor");
		return -EBADF;
	}
	if (IS_ERR(prog) && !offload) {
		/* only a device-bound program is refused here and accepted there */
		prog = bpf_prog_get_type_dev(fd, BPF_PROG_TYPE_XDP, true);
		if (!IS_ERR(prog)) {
			bpf_prog_put(prog);
			NL_SET_ERR_MSG_MOD(extack,
					   "program is bound to a device: use mode offload");
			return -EINVAL;
		}
	}
	if (IS_ERR(prog)) {
		NL_SET_ERR_MSG_MOD(extack, "prog fd is not an XDP program");
		return PTR_ERR(prog);
	}
	b->prog = prog;
	if (offload && !bpf_prog_is_dev_bound(prog->aux)) {
		NL_SET_ERR_MSG_MOD(extack, "mode offload needs a program loaded for the device");
		return -EINVAL;
	}
	if (offload && !bpf_offload_dev_match(prog, b->dev)) {
		NL_SET_ERR_MSG_MOD(extack, "program is bound to another device");
		return -EINVAL;
	}
	return 0;
}

/*
 * The module reads and writes the map on the caller's behalf: only through
 * an fd that lets the caller do both itself. BPF_F_RDONLY and BPF_F_WRONLY
 * belong to the fd (the kernel keeps them out of map_flags).
 */
static struct bpf_map *segoff_map_get(int fd)
{
	struct bpf_map *map = bpf_map_get(fd);
	struct file *file;
	int err = 0;

	if (IS_ERR(map))
		return map;
	file = fget(fd);
	/* the same map file, unless another thread of the caller swapped the fd */
	if (!file || file->private_data != map)
		err = -EBADF;
	else if ((file->f_mode & (FMODE_CAN_READ | FMODE_CAN_WRITE)) !=
		 (FMODE_CAN_READ | FMODE_CAN_WRITE))
		err = -EPERM;
	if (file)
		fput(file);
	if (err) {
		bpf_map_put(map);
		return ERR_PTR(err);
	}
	return map;
}

/*
 * Each binding owns its maps: written here before the link stage, a map
 * that another binding's program reads would change that binding's
 * verdicts, even when this attach then fails. The binding being replaced
 * counts too, so that a replace failing at the link leaves it unchanged.
 * Under the update lock, so that no binding is listed meanwhile.
 */
static int segoff_maps_unbound(const struct segoff_binding *b, struct netlink_ext_ack *extack)
{
	struct segoff_binding *pos;
	int err = 0;

	lockdep_assert_held(&segoff_update_lock);
	mutex_lock(&segoff_list_lock);
	list_for_each_entry(pos, &segoff_bindings, node) {
		if (pos->config == b->config || pos->counters == b->config) {
			NL_SET_ERR_MSG_MOD(extack, "config map belongs to a binding already");
			err = -EBUSY;
			break;
		}
		if (pos->config == b->counters || pos->counters == b->counters) {
			NL_SET_ERR_MSG_MOD(extack, "counters map belongs to a binding already");
			err = -EBUSY;
			break;
		}
	}
	mutex_unlock(&segoff_list_lock);
	return err;
}

/* Everything but the link: program, maps, config written, counters zeroed. */
static struct segoff_binding *segoff_binding_new(const struct segoff_attach *req,
						 struct netlink_ext_ack *extack)
{
	struct segoff_binding *b;
	struct segoff_config config;
	struct segoff_params params;
	struct bpf_map *map;
	int err;

	segoff_params_default(&params);
	err = segoff_params_apply(&params, &req->params, &config, extack);
	if (err)
		return ERR_PTR(err);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&b->node);
	INIT_WORK(&b->put_work, segoff_binding_put_work);
	b->dev = req->dev;
	b->mode = req->mode;
	b->params = params;
	b->reason = SEGOFF_DETACH_REQUEST;

	err = segoff_binding_prog(b, req->prog_fd, extack);
	if (err)
		goto err_prog;
	map = segoff_map_get(req->config_fd);
	if (IS_ERR(map)) {
		if (PTR_ERR(map) == -EPERM)
			NL_SET_ERR_MSG_MOD(extack, "config fd is not open for reading and writing");
		else
			NL_SET_ERR_MSG_MOD(extack, "config fd is not a BPF map");
		err = PTR_ERR(map);
		goto err_prog;
	}
	b->config = map;
	map = segoff_map_get(req->counters_fd);
	if (IS_ERR(map)) {
		if (PTR_ERR(map) == -EPERM)
			NL_SET_ERR_MSG_MOD(extack, "counters fd is not open for reading and writing");
		else
			NL_SET_ERR_MSG_MOD(extack, "counters fd is not a BPF map");
		err = PTR_ERR(map);
		goto err_config;
	}
	b->counters = map;
	err = segoff_maps_check(b->prog, b->config, b->counters, b->mode, extack);
	if (err)
		goto err_counters;
	err = segoff_maps_unbound(b, extack);
	if (err)
		goto err_counters;
	err = segoff_config_init_store(b, &config);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot write the config map");
		goto err_counters;
	}
	err = segoff_counters_zero(b);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot zero the counters map");
		goto err_counters;
	}
	netdev_hold(b->dev, &b->dev_tracker, GFP_KERNEL);
	kref_init(&b->ref);
	atomic_inc(&segoff_binding_count);
	b->attach_time = ktime_get_real_ns();
	return b;

err_counters:
	bpf_map_put(b->counters);
err_config:
	bpf_map_put(b->config);
err_prog:
	if (b->prog)
		bpf_prog_put(b->prog);
	kfree(b);
	return ERR_PTR(err);
}

static int segoff_link_error(int err, struct netlink_ext_ack *extack)
{
	switch (err) {
	case -EBUSY:
		NL_SET_ERR_MSG_MOD(extack, "device already runs another XDP program in this mode");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_MOD(extack, "native and generic XDP cannot run at the same time");
		break;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG_MOD(extack, "device does not support XDP in this mode");
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "cannot attach the program to the device");
		break;
	}
	return err;
}

/*
 * The link is created from the caller's fd, in the caller's namespace
 * (checked to be the device's), then only the module holds it.
 */
static int segoff_link_create(struct segoff_binding *b, int prog_fd,
			      struct netlink_ext_ack *extack)
{
	union bpf_attr attr = {};
	struct bpf_link *link;
	int fd;

	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_ifindex = b->dev->ifindex;
	attr.link_create.attach_type = BPF_XDP;
	attr.link_create.flags = segoff_xdp_flags[b->mode];
	fd = kern_sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return segoff_link_error(fd, extack);
	link = bpf_link_get_from_fd(fd);
	close_fd(fd);
	if (IS_ERR(link)) {
		NL_SET_ERR_MSG_MOD(extack, "XDP link closed during attach");
		return PTR_ERR(link);
	}
	b->link = link;
	if (link->prog != b->prog) {
		NL_SET_ERR_MSG_MOD(extack, "prog fd changed during attach");
		return -EINVAL;
	}
	return 0;
}

/* Same mode: the running link switches program in one step. */
static int segoff_link_swap(struct segoff_binding *old, struct segoff_binding *b,
			    struct netlink_ext_ack *extack)
{
	struct bpf_link *link;
	int err;

	link = bpf_link_inc_not_zero(old->link);
	if (IS_ERR(link)) {
		NL_SET_ERR_MSG_MOD(extack, "the binding being replaced is going away");
		return PTR_ERR(link);
	}
	b->link = link;
	/* the link takes this reference on success */
	bpf_prog_inc(b->prog);
	err = link->ops->update_prog(link, b->prog, NULL);
	if (err) {
		bpf_prog_put(b->prog);
		return segoff_link_error(err, extack);
	}
	return 0;
}

int segoff_binding_attach(const struct segoff_attach *req, struct netlink_ext_ack *extack)
{
	struct segoff_binding *old, *b;
	bool replaced = false;
	int err;

	mutex_lock(&segoff_update_lock);
	if (segoff_unloading) {
		NL_SET_ERR_MSG_MOD(extack, "segoff is being unloaded");
		err = -ESHUTDOWN;
		goto out_unlock;
	}
	old = segoff_binding_get(req->dev);
	if (old && !req->replace) {
		NL_SET_ERR_MSG_MOD(extack, "device already has a segoff binding");
		err = -EBUSY;
		goto out_old;
	}
	if (old && old->mode != req->mode && old->mode != SEGOFF_MODE_OFFLOAD &&
	    req->mode != SEGOFF_MODE_OFFLOAD) {
		NL_SET_ERR_MSG_MOD(extack, "replace cannot switch between native and generic");
		err = -EBUSY;
		goto out_old;
	}
	b = segoff_binding_new(req, extack);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto out_old;
	}
	/* a mode change runs both programs for a moment, never none */
	if (old && old->mode == b->mode)
		err = segoff_link_swap(old, b, extack);
	else
		err = segoff_link_create(b, req->prog_fd, extack);
	if (!err) {
		rtnl_lock();
		mutex_lock(&segoff_list_lock);
		if (old && !list_empty(&old->node)) {
			segoff_binding_unlist(old, SEGOFF_DETACH_REQUEST);
			replaced = true;
		}
		err = segoff_binding_list(b, req->net, extack);
		mutex_unlock(&segoff_list_lock);
		rtnl_unlock();
	}
	if (err)
		segoff_binding_put(b);
	if (replaced) {
		segoff_binding_unlink_prog(old);
		segoff_binding_put(old);	/* the list's reference */
	}
out_old:
	if (old)
		segoff_binding_put(old);
out_unlock:
	mutex_unlock(&segoff_update_lock);
	return err;
}

int segoff_binding_detach(struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct segoff_binding *b;

	mutex_lock(&segoff_update_lock);
	mutex_lock(&segoff_list_lock);
	b = segoff_binding_find(dev);
	if (b)
		segoff_binding_unlist(b, SEGOFF_DETACH_REQUEST);
	mutex_unlock(&segoff_list_lock);
	if (b) {
		segoff_binding_unlink_prog(b);
		segoff_binding_put(b);
	}
	mutex_unlock(&segoff_update_lock);
	if (!b) {
		NL_SET_ERR_MSG_MOD(extack, "device has no segoff binding");
		return -ENOENT;
	}
	return 0;
}

/*
 * Read, merge and write in one step under the update lock: a request
 * racing another set, or a replace, starts from the parameters of the
 * binding it finds here, never from a copy taken before.
 */
int segoff_binding_set(struct net_device *dev, const struct segoff_params_req *req,
		       struct netlink_ext_ack *extack)
{
	struct segoff_binding *b;
	struct segoff_params p;
	struct segoff_config c;
	int err;

	mutex_lock(&segoff_update_lock);
	b = segoff_binding_get(dev);
	if (!b) {
		NL_SET_ERR_MSG_MOD(extack, "device has no segoff binding");
		err = -ENOENT;
		goto out_unlock;
	}
	/* only written under the update lock, which is held */
	p = b->params;
	err = segoff_params_apply(&p, req, &c, extack);
	if (err)
		goto out_put;
	/* user space may have frozen it since the attach */
	if (READ_ONCE(b->config->frozen)) {
		NL_SET_ERR_MSG_MOD(extack, "config map is frozen");
		err = -EPERM;
		goto out_put;
	}
	err = segoff_config_install(b, &c);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot write the config map");
		goto out_put;
	}
	mutex_lock(&segoff_list_lock);
	b->params = p;
	segoff_generation++;
	mutex_unlock(&segoff_list_lock);
out_put:
	segoff_binding_put(b);
out_unlock:
	mutex_unlock(&segoff_update_lock);
	return err;
}

/*
 * Under rtnl: the binding leaves the list now, its link is released by
 * the work item (releasing takes rtnl). A device leaving its namespace
 * sees NETDEV_UNREGISTER while still registered.
 */
static int segoff_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct segoff_binding *b;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	mutex_lock(&segoff_list_lock);
	b = segoff_binding_find(dev);
	if (b) {
		segoff_binding_unlist(b, dev->reg_state == NETREG_UNREGISTERING ?
				      SEGOFF_DETACH_DEV_GONE : SEGOFF_DETACH_NETNS);
		queue_work(segoff_wq, &b->put_work);
	}
	mutex_unlock(&segoff_list_lock);
	return NOTIFY_DONE;
}

static struct notifier_block segoff_netdev_notifier = {
	.notifier_call = segoff_netdev_event,
};

/* Before the family goes: the detach notifications still reach listeners. */
void segoff_bindings_drop_all(void)
{
	struct segoff_binding *b, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&segoff_update_lock);
	segoff_unloading = true;
	mutex_lock(&segoff_list_lock);
	list_for_each_entry_safe(b, tmp, &segoff_bindings, node) {
		segoff_binding_unlist(b, SEGOFF_DETACH_UNLOAD);
		list_add_tail(&b->node, &gone);
	}
	mutex_unlock(&segoff_list_lock);
	list_for_each_entry_safe(b, tmp, &gone, node) {
		list_del_init(&b->node);
		segoff_binding_unlink_prog(b);
		segoff_binding_put(b);
	}
	mutex_unlock(&segoff_update_lock);
}

int segoff_bindings_init(void)
{
	int err;

	segoff_wq = alloc_workqueue("segoff", 0, 0);
	if (!segoff_wq)
		return -ENOMEM;
	err = register_netdevice_notifier(&segoff_netdev_notifier);
	if (err)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(segoff_wq);
	return err;
}

/* After segoff_bindings_drop_all(): the notifier replays UNREGISTER for every device. */
void segoff_bindings_exit(void)
{
	unregister_netdevice_notifier(&segoff_netdev_notifier);
	/* drains the puts queued by the notifier */
	destroy_workqueue(segoff_wq);
	/* the family is gone, so no request holds a binding any more */
	WARN_ON(!list_empty(&segoff_bindings));
	WARN_ON(atomic_read(&segoff_binding_count));
}
