// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Bindings without segoff.ko, for hosts that cannot load an out-of-tree
 * module (Secure Boot lockdown, no headers): the attachment is a BPF XDP
 * link, pinned in bpffs with the program's two maps, as xdp-loader keeps
 * its attachments, so it outlives segoff-nl:
 *
 *   $SEGOFF_BPFFS/segoff/IF/link       the XDP link (holds the program)
 *   $SEGOFF_BPFFS/segoff/IF/config     the config map
 *   $SEGOFF_BPFFS/segoff/IF/counters   the counters map
 *   $SEGOFF_BPFFS/segoff/IF/params     the parameters, mode and attach time
 *
 * (SEGOFF_BPFFS defaults to /sys/fs/bpf.) The parameters get a small host
 * map of their own because the config map holds what the program needs,
 * from which the seed arithmetic's epsilon cannot be recovered exactly.
 * Nothing else holds the binding: removing the directory's pins (detach)
 * ends it, and a device that goes away takes the link's attachment along.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "client.h"
#include "tool.h"

#define PIN_LINK	"link"
#define PIN_CONFIG	"config"
#define PIN_COUNTERS	"counters"
#define PIN_PARAMS	"params"
#define PARAMS_MAP	"segoff_params"

/* the value of the params map */
struct pinned_meta {
	struct segoff_params p;
	__u32 mode;
	__u32 pad;
	__u64 attach_time;
};

static const char *bpffs(void)
{
	const char *root = getenv("SEGOFF_BPFFS");

	return root && *root ? root : "/sys/fs/bpf";
}

const char *client_pin_dir(const char *dev, char *buf, size_t len)
{
	snprintf(buf, len, "%s/segoff/%s", bpffs(), dev);
	return buf;
}

static const char *pin_path(const char *dev, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/segoff/%s/%s", bpffs(), dev, name);
	return buf;
}

/* a device name that is a path component, not a way out of the directory */
static int dev_ok(const char *dev)
{
	return *dev && strlen(dev) < IF_NAMESIZE && !strchr(dev, '/') && strcmp(dev, ".") &&
	       strcmp(dev, "..");
}

int pinned_exists(const char *dev)
{
	char path[PATH_MAX];
	struct stat st;

	return dev_ok(dev) && !stat(client_pin_dir(dev, path, sizeof(path)), &st) &&
	       S_ISDIR(st.st_mode);
}

static int pin_get(const char *dev, const char *name)
{
	char path[PATH_MAX];
	int fd = bpf_obj_get(pin_path(dev, name, path, sizeof(path)));

	if (fd < 0)
		return client_fail(-errno, "%s: %s", path, strerror(errno));
	return fd;
}

/*
 * The directory's lock, held until the fd it returns is closed: sets of
 * one pinned binding from several processes take turns, as the module's
 * take its update lock.
 */
static int dir_lock(const char *dev)
{
	char path[PATH_MAX];
	int fd;

	fd = open(client_pin_dir(dev, path, sizeof(path)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return client_fail(-errno, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return client_fail(-errno, "%s: %s", path, strerror(errno));
	}
	return fd;
}

static int meta_read(const char *dev, struct pinned_meta *m, int *fd_out)
{
	__u32 key = 0;
	int fd, err = 0;

	fd = pin_get(dev, PIN_PARAMS);
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, m))
		err = client_fail(-errno, "%s: unreadable parameters (made by another version?)",
				  dev);
	if (fd_out && !err)
		*fd_out = fd;
	else
		close(fd);
	return err;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/*
 * The link's program and device; -ENOLINK when the device went away (its
 * link then holds nothing) or lives in another namespace than ours.
 */
static int link_state(const char *dev, __u32 *prog_id, __u32 *ifindex)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	int fd, err = 0;

	fd = pin_get(dev, PIN_LINK);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = client_fail(-errno, NULL);
	else if (info.type != BPF_LINK_TYPE_XDP)
		err = client_fail(-EINVAL, "%s/%s is not an XDP link", dev, PIN_LINK);
	else if (!info.xdp.ifindex || info.xdp.ifindex != if_nametoindex(dev))
		err = client_fail(-ENOLINK, "the pinned link of %s is not attached to it here "
				  "(device gone, or another namespace's)", dev);
	*prog_id = info.prog_id;
	*ifindex = info.xdp.ifindex;
	close(fd);
	return err;
}

int pinned_get(const char *dev, struct client_binding *b)
{
	struct pinned_meta m;
	int fd, err;

	err = link_state(dev, &b->prog_id, &b->ifindex);
	if (err || (err = meta_read(dev, &m, NULL)))
		return err;
	b->kind = CLIENT_PINNED;
	snprintf(b->ifname, sizeof(b->ifname), "%s", dev);
	b->mode = m.mode;
	b->p = m.p;
	b->attach_time = m.attach_time;
	fd = pin_get(dev, PIN_CONFIG);
	if (fd >= 0) {
		b->config_id = map_id(fd);
		close(fd);
	}
	fd = pin_get(dev, PIN_COUNTERS);
	if (fd >= 0) {
		b->counters_id = map_id(fd);
		close(fd);
	}
	return fd < 0 ? fd : 0;
}

/* Calls @each for every pinned binding attached in this namespace, by name. */
static int pinned_each(int (*each)(const char *dev, void *arg), void *arg)
{
	char path[PATH_MAX];
	struct dirent **names;
	__u32 prog, ifindex;
	int i, n, err = 0;

	snprintf(path, sizeof(path), "%s/segoff", bpffs());
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return 0;	/* nothing pinned, or no bpffs: no pinned bindings */
	for (i = 0; i < n; i++) {
		if (!err && pinned_exists(names[i]->d_name) &&
		    !link_state(names[i]->d_name, &prog, &ifindex))
			err = each(names[i]->d_name, arg);
		free(names[i]);
	}
	free(names);
	/* the links of other namespaces are not failures of this listing */
	if (!err)
		memset(&client_err, 0, sizeof(client_err));
	return err;
}

static int list_one(const char *dev, void *arg)
{
	struct client_binding *b = client_bindings_add(arg);

	return b ? pinned_get(dev, b) : client_fail(-ENOMEM, NULL);
}

int pinned_list(struct client_bindings *out)
{
	return pinned_each(list_one, out);
}

int pinned_stats(const char *dev, struct client_stats *s)
{
	struct segoff_counters c;
	struct pinned_meta m;
	size_t w;
	int fd, err;

	err = link_state(dev, &s->prog_id, &s->ifindex);
	if (err || (err = meta_read(dev, &m, NULL)))
		return err;
	s->kind = CLIENT_PINNED;
	s->mode = m.mode;
	snprintf(s->ifname, sizeof(s->ifname), "%s", dev);
	fd = pin_get(dev, PIN_COUNTERS);
	if (fd < 0)
		return fd;
	err = segoff_counters_read(fd, &c);
	close(fd);
	if (err)
		return client_fail(err, "%s: unreadable counters map", dev);
	/* as the module reports them: the words it has attributes for */
	for (w = 0; w < sizeof(c) / sizeof(__u64); w++)
		if (client_counter_attr(w) <= SEGOFF_A_STATS_MAX)
			s->v[client_counter_attr(w)] = ((__u64 *)&c)[w];
	return 0;
}

static int stats_one(const char *dev, void *arg)
{
	struct client_stats *s = client_stats_add(arg);

	return s ? pinned_stats(dev, s) : client_fail(-ENOMEM, NULL);
}

int pinned_stats_list(struct client_stats_list *out)
{
	return pinned_each(stats_one, out);
}

/* The config, then the parameters they came from: a reader sees the new ones only after. */
static int write_config(const char *dev, int config_fd, int meta_fd, const struct pinned_meta *m,
			struct segoff_config *c)
{
	__u32 key = 0;
	int err;

	segoff_config_port(dev, c);
	err = segoff_config_install(config_fd, c);
	if (err)
		return client_fail(err, "%s: cannot write the config map", dev);
	if (bpf_map_update_elem(meta_fd, &key, m, BPF_ANY))
		return client_fail(-errno, "%s: cannot write the parameters", dev);
	return 0;
}

int pinned_set(const char *dev, const struct segoff_params *p, unsigned int given)
{
	struct segoff_config c;
	struct pinned_meta m;
	__u32 prog, ifindex;
	int meta_fd = -1, config_fd, lock, err;

	/* one writer at a time: the double buffer has room for one change */
	lock = dir_lock(dev);
	if (lock < 0)
		return lock;
	err = link_state(dev, &prog, &ifindex);
	if (err || (err = meta_read(dev, &m, &meta_fd))) {
		close(lock);
		return err;
	}
	err = segoff_params_merge(&m.p, p, given, &c);
	if (err) {
		err = client_fail(-EINVAL, "%s", segoff_param_strerror(err));
		goto out;
	}
	config_fd = pin_get(dev, PIN_CONFIG);
	if (config_fd < 0) {
		err = config_fd;
		goto out;
	}
	err = write_config(dev, config_fd, meta_fd, &m, &c);
	close(config_fd);
out:
	close(meta_fd);
	close(lock);	/* and the lock with it */
	return err;
}

/* Removes whatever the directory holds; ENOENT on a pin is no failure. */
static int unpin_all(const char *dev)
{
	static const char *const pins[] = { PIN_LINK, PIN_CONFIG, PIN_COUNTERS, PIN_PARAMS };
	char path[PATH_MAX];
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		if (unlink(pin_path(dev, pins[i], path, sizeof(path))) && errno != ENOENT && !err)
			err = client_fail(-errno, "%s: %s", path, strerror(errno));
	if (rmdir(client_pin_dir(dev, path, sizeof(path))) && errno != ENOENT && !err)
		err = client_fail(-errno, "%s: %s", path, strerror(errno));
	return err;
}

int pinned_detach(const char *dev)
{
	char path[PATH_MAX];
	int fd;

	/*
	 * Detach the link first: another holder of it (a bpftool shell, a
	 * copy of the pin) must not keep the program on the device.
	 */
	fd = bpf_obj_get(pin_path(dev, PIN_LINK, path, sizeof(path)));
	if (fd >= 0) {
		if (bpf_link_detach(fd) && errno != ENOLINK && errno != EINVAL) {
			client_fail(-errno, "%s: %s", path, strerror(errno));
			close(fd);
			return client_err.err;
		}
		close(fd);
	}
	return unpin_all(dev);
}

/* Mounts bpffs at the root if nothing is there yet, as xdp-loader does. */
static int bpffs_ready(void)
{
	const char *root = bpffs();
	char path[PATH_MAX];
	struct statfs sfs;

	if (statfs(root, &sfs))
		return client_fail(-errno, "%s: %s", root, strerror(errno));
	if (sfs.f_type != BPF_FS_MAGIC && mount("bpf", root, "bpf", 0, "mode=0700"))
		return client_fail(-errno, "cannot mount bpffs on %s: %s", root, strerror(errno));
	snprintf(path, sizeof(path), "%s/segoff", root);
	if (mkdir(path, 0700) && errno != EEXIST)
		return client_fail(-errno, "%s: %s", path, strerror(errno));
	return 0;
}

static const __u32 xdp_flags[] = {
	[SEGOFF_MODE_NATIVE] = XDP_FLAGS_DRV_MODE,
	[SEGOFF_MODE_GENERIC] = XDP_FLAGS_SKB_MODE,
	[SEGOFF_MODE_OFFLOAD] = XDP_FLAGS_HW_MODE,
};

static int pin(int fd, const char *dev, const char *name)
{
	char path[PATH_MAX];

	if (bpf_obj_pin(fd, pin_path(dev, name, path, sizeof(path))))
		return client_fail(-errno, "%s: %s", path, strerror(errno));
	return 0;
}

int pinned_attach(struct client_attach *a)
{
	struct pinned_meta m = { .mode = a->mode };
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	struct segoff_obj o = { .obj = NULL };
	int ifindex, meta_fd = -1, link_fd = -1, err;
	char path[PATH_MAX];
	struct segoff_config c;
	struct timespec now;

	if (!dev_ok(a->dev))
		return client_fail(-EINVAL, "`%s' is not a device name", a->dev);
	ifindex = (int)if_nametoindex(a->dev);
	if (!ifindex)
		return client_fail(-errno, NULL);
	segoff_params_default(&m.p);
	err = segoff_params_merge(&m.p, &a->p, a->given, &c);
	if (err)
		return client_fail(-EINVAL, "%s", segoff_param_strerror(err));
	if (pinned_exists(a->dev)) {
		if (!a->replace)
			return client_fail(-EEXIST, "%s already has a pinned binding (add `replace')",
					   a->dev);
		/* the old binding goes first: a device takes one XDP link per mode */
		err = pinned_detach(a->dev);
		if (err)
			return err;
	}
	err = bpffs_ready();
	if (err)
		return err;
	err = segoff_obj_load(&o, a->obj, a->mode, ifindex, tool_verbose, client_err.msg,
			      sizeof(client_err.msg));
	if (err)
		return client_err.err = err;
	segoff_config_port(a->dev, &c);
	err = segoff_config_write(o.config_fd, &c);
	if (!err)
		err = segoff_counters_reset(o.counters_fd);
	if (err) {
		client_fail(err, "cannot initialise the maps");
		goto out;
	}
	meta_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, PARAMS_MAP, sizeof(__u32), sizeof(m), 1, NULL);
	clock_gettime(CLOCK_REALTIME, &now);
	m.attach_time = (__u64)now.tv_sec * 1000000000ULL + (__u64)now.tv_nsec;
	if (meta_fd < 0 || bpf_map_update_elem(meta_fd, &(__u32){ 0 }, &m, BPF_ANY)) {
		err = client_fail(-errno, "cannot create the parameters map");
		goto out;
	}
	if (mkdir(client_pin_dir(a->dev, path, sizeof(path)), 0700)) {
		err = client_fail(-errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* maps first: a link pinned without them would be a binding nobody can read */
	err = pin(o.config_fd, a->dev, PIN_CONFIG);
	if (!err)
		err = pin(o.counters_fd, a->dev, PIN_COUNTERS);
	if (!err)
		err = pin(meta_fd, a->dev, PIN_PARAMS);
	if (err)
		goto err_unpin;
	lopts.flags = xdp_flags[a->mode];
	link_fd = bpf_link_create(o.prog_fd, ifindex, BPF_XDP, &lopts);
	if (link_fd < 0) {
		err = -errno;
		/* the kernel's own reason for EBUSY is the program already there */
		if (err == -EBUSY)
			client_fail(err, "%s already carries an XDP program", a->dev);
		else
			client_err.err = err;
		goto err_unpin;
	}
	err = pin(link_fd, a->dev, PIN_LINK);
	if (err) {
		bpf_link_detach(link_fd);
		goto err_unpin;
	}
	client_prog_info(a, o.prog_fd);
	goto out;

err_unpin:
	unpin_all(a->dev);
out:
	if (link_fd >= 0)
		close(link_fd);
	if (meta_fd >= 0)
		close(meta_fd);
	segoff_obj_close(&o);
	return err;
}
