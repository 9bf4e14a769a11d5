// SPDX-License-Identifier: GPL-2.0
/*
 * nfp_stub: the card behind the nfp driver's BPF offload code, for tests.
 *
 * The module links this file with the nfp driver's own bpf/verifier.c,
 * bpf/jit.c, bpf/offload.c and nfp_asm.c, taken unchanged from the kernel
 * source. What runs is the driver's verifier, its JIT and its load-time
 * checks; this file stands in for the rest of the driver and for the
 * firmware, which is all the four files need:
 *
 *  - netdev_priv() of the offload netdev is the driver's struct nfp_net:
 *    a control BAR in memory (nn_read*() and nn_write*() work on it),
 *    dp.dev a device that can DMA-map the JIT's image, the vNIC's
 *    capability word, the XDP attachment;
 *  - struct nfp_app_bpf holds what bpf/main.c would have parsed from the
 *    firmware's _abi_bpf_capabilities TLVs;
 *  - a bpf_offload_dev created with the driver's nfp_bpf_dev_ops;
 *  - the nine symbols the four files take from the rest of the driver:
 *    nfp_net_reconfig() (logs what the firmware would be told),
 *    nfp_bpf_maps_neutral_params, and the map control messages of
 *    bpf/cmsg.c, answered from an in-memory table per map.
 *
 * There is no NFP simulator: the JIT's image is never executed. What this
 * shows is that the driver accepts a program, its size, and the checks
 * the driver makes against the firmware's limits.
 *
 * Every firmware value is a module parameter (writable, read when a
 * device is created); the defaults are the Agilio CX profile below.
 * debugfs, under nfp_stub/:
 *   new_device, del_device  write an ID: creates or removes netdev nfps<ID>
 *   <ID>/fw                 the firmware values that device was given
 *   <ID>/maps               the map table, as the firmware holds it;
 *                           writing "MAP_ID KEY VALUE" (hex) changes an entry
 *   <ID>/prog               the last program offered to the device
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>

#include "nfp/nfp_app.h"
#include "nfp/nfp_net.h"
#include "nfp/nfp_net_ctrl.h"
#include "nfp/bpf/main.h"

/*
 * The Agilio CX profile. Published (Netronome's offload notes, as quoted by
 * libkefir and Mizar): 64 bytes per map entry, key and value each rounded
 * up to 8 by the driver; about 2,800 NFP instructions per program; ARRAY
 * and HASH maps. Everything else is not published and is assumed: a
 * 512-byte stack, the packet split at 4 * 64 - 32 = 224 bytes, ABI 3 (the
 * newest the driver knows), 64 maps, 1M entries in all, helper and
 * branch-target addresses that only have to be non-zero and fit a branch.
 */
static uint max_len = 2800;
module_param(max_len, uint, 0644);
MODULE_PARM_DESC(max_len, "BPF_MAX_LEN: NFP instructions per program (published: 2800)");

static uint max_elem_sz = 64;
module_param(max_elem_sz, uint, 0644);
MODULE_PARM_DESC(max_elem_sz, "bytes per map entry, key + value each rounded to 8 (published: 64)");

static uint max_key_sz = 64;
module_param(max_key_sz, uint, 0644);
MODULE_PARM_DESC(max_key_sz, "bytes per map key (assumed: the entry size)");

static uint max_val_sz = 64;
module_param(max_val_sz, uint, 0644);
MODULE_PARM_DESC(max_val_sz, "bytes per map value (assumed: the entry size)");

static uint map_types = BIT(BPF_MAP_TYPE_HASH) | BIT(BPF_MAP_TYPE_ARRAY);
module_param(map_types, uint, 0644);
MODULE_PARM_DESC(map_types, "bit mask of offloadable map types (published: ARRAY, HASH)");

static uint max_maps = 64;
module_param(max_maps, uint, 0644);
MODULE_PARM_DESC(max_maps, "maps per device (assumed: 64)");

static uint max_elems = 1 << 20;
module_param(max_elems, uint, 0644);
MODULE_PARM_DESC(max_elems, "map entries per device, all maps together (assumed: 1M)");

static uint stack_sz = 512;
module_param(stack_sz, uint, 0644);
MODULE_PARM_DESC(stack_sz, "BPF_STACK_SZ in bytes, a multiple of 64 (assumed: 512)");

static uint inl_mtu = 4;
module_param(inl_mtu, uint, 0644);
MODULE_PARM_DESC(inl_mtu, "BPF_INL_MTU: packet split in 64-byte units, less 32 (assumed: 4)");

static uint abi_version = 3;
module_param(abi_version, uint, 0644);
MODULE_PARM_DESC(abi_version, "BPF ABI version, 2 or 3 (assumed: 3)");

static bool ebpf = true;
module_param(ebpf, bool, 0644);
MODULE_PARM_DESC(ebpf, "the vNIC advertises NFP_NET_CFG_CTRL_BPF");

static bool live_reload = true;
module_param(live_reload, bool, 0644);
MODULE_PARM_DESC(live_reload, "BPF_CAP: a program can replace a running one (assumed)");

static uint bpf_start = 16;
module_param(bpf_start, uint, 0644);
MODULE_PARM_DESC(bpf_start, "BPF_START: code store address of the program (assumed)");

static uint bpf_done = 8;
module_param(bpf_done, uint, 0644);
MODULE_PARM_DESC(bpf_done, "BPF_DONE: code store address of the next-packet routine (assumed)");

/* 0: the firmware lacks that helper */
static uint helper_map_lookup = 0x100;
module_param(helper_map_lookup, uint, 0644);
MODULE_PARM_DESC(helper_map_lookup, "address of bpf_map_lookup_elem, 0 if missing");

static uint helper_map_update = 0x140;
module_param(helper_map_update, uint, 0644);
MODULE_PARM_DESC(helper_map_update, "address of bpf_map_update_elem, 0 if missing");

static uint helper_map_delete = 0x180;
module_param(helper_map_delete, uint, 0644);
MODULE_PARM_DESC(helper_map_delete, "address of bpf_map_delete_elem, 0 if missing");

static uint helper_perf_event_output = 0x1c0;
module_param(helper_perf_event_output, uint, 0644);
MODULE_PARM_DESC(helper_perf_event_output, "address of bpf_perf_event_output, 0 if missing");

static uint adjust_head_off_max = 128;
module_param(adjust_head_off_max, uint, 0644);
MODULE_PARM_DESC(adjust_head_off_max, "xdp_adjust_head: largest packet offset, 0 if missing");

static uint adjust_head_off_min;
module_param(adjust_head_off_min, uint, 0644);
MODULE_PARM_DESC(adjust_head_off_min, "xdp_adjust_head: smallest packet offset");

static uint adjust_head_guaranteed = 64;
module_param(adjust_head_guaranteed, uint, 0644);
MODULE_PARM_DESC(adjust_head_guaranteed, "xdp_adjust_head: bytes always possible either way");

static bool pseudo_random = true;
module_param(pseudo_random, bool, 0644);
MODULE_PARM_DESC(pseudo_random, "bpf_get_prandom_u32 supported");

static bool queue_select = true;
module_param(queue_select, bool, 0644);
MODULE_PARM_DESC(queue_select, "the program can pick the RX queue");

static bool adjust_tail = true;
module_param(adjust_tail, bool, 0644);
MODULE_PARM_DESC(adjust_tail, "xdp_adjust_tail supported");

/* One firmware table per offloaded map, as the card would hold it. */
struct nfps_map {
	struct list_head l;
	u32 tid;
	struct bpf_map *map;	/* valid until nfp_bpf_ctrl_free_map() */
	unsigned long *used;
	u8 *keys;
	u8 *vals;
};

/* What the last program offered to the device came to. */
struct nfps_prog {
	u32 id;
	u32 xlated;
	u32 nfp_insns;
	u32 nfp_stack;
	u32 max_pkt_offset;
	int result;
};

/* One card with one vNIC. */
struct nfps_dev {
	struct list_head l;
	u32 id;
	struct net_device *netdev;
	struct nfp_app app;
	struct nfp_app_bpf *bpf;
	struct nfp_bpf_vnic bv;
	u8 *bar;
	struct dentry *dir;

	struct mutex lock;	/* maps, next_tid, prog */
	struct list_head maps;
	u32 next_tid;
	struct nfps_prog prog;
	bool prog_seen;
};

static struct platform_device *nfps_pdev;
static struct dentry *nfps_debugfs, *nfps_debugfs_new, *nfps_debugfs_del;
static LIST_HEAD(nfps_devs);
static DEFINE_MUTEX(nfps_devs_lock);

static struct nfps_dev *nfps_of_bpf(struct nfp_app_bpf *bpf)
{
	return container_of(bpf->app, struct nfps_dev, app);
}

static struct nfps_dev *nfps_of_nn(struct nfp_net *nn)
{
	return container_of(nn->app, struct nfps_dev, app);
}

/* ---- What bpf/main.c and bpf/cmsg.c would provide ---- */

/* As bpf/main.c defines it: offload.c keys its map records on it. */
const struct rhashtable_params nfp_bpf_maps_neutral_params = {
	.nelem_hint		= 4,
	.key_len		= sizeof_field(struct bpf_map, id),
	.key_offset		= offsetof(struct nfp_bpf_neutral_map, map_id),
	.head_offset		= offsetof(struct nfp_bpf_neutral_map, l),
	.automatic_shrinking	= true,
};

/* The firmware takes the control BAR's new values: here, it says what. */
int nfp_net_reconfig(struct nfp_net *nn, u32 update)
{
	struct net_device *netdev = nn->dp.netdev;

	nn_writel(nn, NFP_NET_CFG_UPDATE, update);
	if (update & NFP_NET_CFG_UPDATE_BPF)
		netdev_info(netdev, "firmware: load a BPF image of %u NFP instructions\n",
			    nn_readw(nn, NFP_NET_CFG_BPF_SIZE));
	if (update & NFP_NET_CFG_UPDATE_GEN)
		netdev_info(netdev, "firmware: BPF %s\n",
			    nn_readl(nn, NFP_NET_CFG_CTRL) & NFP_NET_CFG_CTRL_BPF ?
			    "enabled" : "disabled");
	nn_writel(nn, NFP_NET_CFG_UPDATE, 0);
	return 0;
}

static struct nfps_map *nfps_map_find(struct nfps_dev *sd, u32 tid)
{
	struct nfps_map *m;

	lockdep_assert_held(&sd->lock);
	list_for_each_entry(m, &sd->maps, l)
		if (m->tid == tid)
			return m;
	return NULL;
}

static void nfps_map_free(struct nfps_map *m)
{
	bitmap_free(m->used);
	kvfree(m->keys);
	kvfree(m->vals);
	kfree(m);
}

long long nfp_bpf_ctrl_alloc_map(struct nfp_app_bpf *bpf, struct bpf_map *map)
{
	struct nfps_dev *sd = nfps_of_bpf(bpf);
	struct nfps_map *m;
	u32 i;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->map = map;
	m->used = bitmap_zalloc(map->max_entries, GFP_KERNEL);
	m->keys = kvcalloc(map->max_entries, map->key_size, GFP_KERNEL);
	m->vals = kvcalloc(map->max_entries, map->value_size, GFP_KERNEL);
	if (!m->used || !m->keys || !m->vals) {
		nfps_map_free(m);
		return -ENOMEM;
	}
	/* An array's entries all exist, zeroed, keyed by their index. */
	if (map->map_type == BPF_MAP_TYPE_ARRAY) {
		bitmap_fill(m->used, map->max_entries);
		for (i = 0; i < map->max_entries; i++)
			memcpy(m->keys + (size_t)i * map->key_size, &i, sizeof(i));
	}

	mutex_lock(&sd->lock);
	m->tid = ++sd->next_tid;
	list_add_tail(&m->l, &sd->maps);
	mutex_unlock(&sd->lock);
	return m->tid;
}

void nfp_bpf_ctrl_free_map(struct nfp_app_bpf *bpf, struct nfp_bpf_map *nfp_map)
{
	struct nfps_dev *sd = nfps_of_bpf(bpf);
	struct nfps_map *m;

	mutex_lock(&sd->lock);
	m = nfps_map_find(sd, nfp_map->tid);
	if (!WARN_ON(!m))
		list_del(&m->l);
	mutex_unlock(&sd->lock);
	if (m)
		nfps_map_free(m);
}

/* The table's slot for @key, or -1 */
static int nfps_slot(struct nfps_map *m, const void *key)
{
	struct bpf_map *map = m->map;
	u32 i;

	if (map->map_type == BPF_MAP_TYPE_ARRAY) {
		memcpy(&i, key, sizeof(i));
		return i < map->max_entries ? i : -1;
	}
	for_each_set_bit(i, m->used, map->max_entries)
		if (!memcmp(m->keys + (size_t)i * map->key_size, key, map->key_size))
			return i;
	return -1;
}

/* Runs @op on the table of @offmap under the device's lock. */
#define nfps_with_map(offmap, m, op) ({						\
	struct nfp_bpf_map *__nm = (offmap)->dev_priv;				\
	struct nfps_dev *__sd = nfps_of_bpf(__nm->bpf);				\
	struct nfps_map *m;							\
	int __r = -ENOENT;							\
										\
	mutex_lock(&__sd->lock);						\
	m = nfps_map_find(__sd, __nm->tid);					\
	if (!WARN_ON(!m))							\
		__r = (op);							\
	mutex_unlock(&__sd->lock);						\
	__r;									\
})

static int nfps_lookup(struct nfps_map *m, const void *key, void *value)
{
	int s = nfps_slot(m, key);

	if (s < 0)
		return -ENOENT;
	memcpy(value, m->vals + (size_t)s * m->map->value_size, m->map->value_size);
	return 0;
}

int nfp_bpf_ctrl_lookup_entry(struct bpf_offloaded_map *offmap, void *key, void *value)
{
	return nfps_with_map(offmap, m, nfps_lookup(m, key, value));
}

static int nfps_update(struct nfps_map *m, const void *key, const void *value, u64 flags)
{
	struct bpf_map *map = m->map;
	int s = nfps_slot(m, key);

	if (map->map_type == BPF_MAP_TYPE_ARRAY && s < 0)
		return -E2BIG;
	if (s >= 0 && flags == BPF_NOEXIST)
		return -EEXIST;
	if (s < 0 && flags == BPF_EXIST)
		return -ENOENT;
	if (s < 0) {
		s = find_first_zero_bit(m->used, map->max_entries);
		if (s >= map->max_entries)
			return -E2BIG;
		set_bit(s, m->used);
		memcpy(m->keys + (size_t)s * map->key_size, key, map->key_size);
	}
	memcpy(m->vals + (size_t)s * map->value_size, value, map->value_size);
	return 0;
}

int nfp_bpf_ctrl_update_entry(struct bpf_offloaded_map *offmap, void *key, void *value,
			      u64 flags)
{
	if (flags > BPF_EXIST)
		return -EINVAL;
	return nfps_with_map(offmap, m, nfps_update(m, key, value, flags));
}

static int nfps_delete(struct nfps_map *m, const void *key)
{
	int s = nfps_slot(m, key);

	if (s < 0)
		return -ENOENT;
	clear_bit(s, m->used);
	return 0;
}

/* offload.c refuses deletes from an array before they get here */
int nfp_bpf_ctrl_del_entry(struct bpf_offloaded_map *offmap, void *key)
{
	return nfps_with_map(offmap, m, nfps_delete(m, key));
}

/* The key of the first used slot from @from on, as get_next_key wants it */
static int nfps_next(struct nfps_map *m, int from, void *next_key)
{
	struct bpf_map *map = m->map;
	unsigned long s = find_next_bit(m->used, map->max_entries, from);

	if (s >= map->max_entries)
		return -ENOENT;
	memcpy(next_key, m->keys + s * map->key_size, map->key_size);
	return 0;
}

int nfp_bpf_ctrl_getfirst_entry(struct bpf_offloaded_map *offmap, void *next_key)
{
	return nfps_with_map(offmap, m, nfps_next(m, 0, next_key));
}

/* An unknown key starts over, as the kernel's own maps do. */
int nfp_bpf_ctrl_getnext_entry(struct bpf_offloaded_map *offmap, void *key, void *next_key)
{
	return nfps_with_map(offmap, m, nfps_next(m, nfps_slot(m, key) + 1, next_key));
}

/* ---- The vNIC ---- */

static bool nfps_ebpf_capable(struct nfp_net *nn)
{
	struct nfp_app_bpf *bpf = nn->app->priv;

	return nn->cap & NFP_NET_CFG_CTRL_BPF && bpf->abi_version &&
	       nn_readb(nn, NFP_NET_CFG_BPF_ABI) == bpf->abi_version;
}

static void nfps_prog_record(struct nfps_dev *sd, struct bpf_prog *prog, int result)
{
	struct nfp_prog *nfp_prog = prog->aux->offload->dev_priv;

	mutex_lock(&sd->lock);
	sd->prog = (struct nfps_prog) {
		.id = prog->aux->id,
		.xlated = prog->len,
		.nfp_insns = nfp_prog->prog_len,
		.nfp_stack = nfp_prog->stack_size,
		.max_pkt_offset = prog->aux->max_pkt_offset,
		.result = result,
	};
	sd->prog_seen = true;
	mutex_unlock(&sd->lock);
}

/*
 * XDP_SETUP_PROG_HW as nfp_net_xdp_setup_hw() and nfp_bpf_xdp_offload()
 * do it. The 6.1 XDP link path passes no extack, so the driver's message
 * would be lost: it goes to the kernel log instead.
 */
static int nfps_xdp_offload(struct nfps_dev *sd, struct netdev_bpf *bpf)
{
	struct nfp_net *nn = netdev_priv(sd->netdev);
	struct netlink_ext_ack local = {}, *extack = bpf->extack ?: &local;
	struct bpf_prog *prog = bpf->prog;
	bool running, xdp_running;
	int err;

	if (!nfps_ebpf_capable(nn)) {
		NL_SET_ERR_MSG_MOD(bpf->extack, "firmware does not support eBPF offload");
		return -EINVAL;
	}
	running = nn->dp.ctrl & NFP_NET_CFG_CTRL_BPF;
	xdp_running = running && nn->xdp_hw.prog;
	if (!prog && !xdp_running)
		return 0;
	if (prog && running && !xdp_running)
		return -EBUSY;

	err = nfp_net_bpf_offload(nn, prog, running, extack);
	if (prog && bpf_offload_dev_match(prog, sd->netdev))
		nfps_prog_record(sd, prog, err);
	if (err) {
		if (extack->_msg)
			netdev_info(sd->netdev, "offload refused: %s\n", extack->_msg);
		return err;
	}
	xdp_attachment_setup(&nn->xdp_hw, bpf);
	return 0;
}

static int nfps_ndo_bpf(struct net_device *netdev, struct netdev_bpf *bpf)
{
	struct nfp_net *nn = netdev_priv(netdev);

	switch (bpf->command) {
	case XDP_SETUP_PROG_HW:
		return nfps_xdp_offload(nfps_of_nn(nn), bpf);
	case XDP_SETUP_PROG:
		NL_SET_ERR_MSG_MOD(bpf->extack, "the stub has no data path: offload only");
		return -EOPNOTSUPP;
	default:
		return nfp_ndo_bpf(nn->app, nn, bpf);
	}
}

/* As nfp_bpf_check_mtu(): the running program must still fit the split. */
static int nfps_change_mtu(struct net_device *netdev, int new_mtu)
{
	struct nfp_net *nn = netdev_priv(netdev);

	if (nn->dp.ctrl & NFP_NET_CFG_CTRL_BPF && nn->xdp_hw.prog &&
	    nfp_bpf_offload_check_mtu(nn, nn->xdp_hw.prog, new_mtu)) {
		netdev_info(netdev, "BPF offload active, potential packet access beyond hardware packet boundary\n");
		return -EBUSY;
	}
	netdev->mtu = new_mtu;
	nn->dp.mtu = new_mtu;
	return 0;
}

static netdev_tx_t nfps_start_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	netdev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* The netdev joins the card's offload device as nfp_bpf_ndo_init() does. */
static int nfps_ndo_init(struct net_device *netdev)
{
	struct nfp_net *nn = netdev_priv(netdev);

	return bpf_offload_dev_netdev_register(nfps_of_nn(nn)->bpf->bpf_dev, netdev);
}

static void nfps_ndo_uninit(struct net_device *netdev)
{
	struct nfp_net *nn = netdev_priv(netdev);

	bpf_offload_dev_netdev_unregister(nfps_of_nn(nn)->bpf->bpf_dev, netdev);
}

static const struct net_device_ops nfps_netdev_ops = {
	.ndo_init		= nfps_ndo_init,
	.ndo_uninit		= nfps_ndo_uninit,
	.ndo_start_xmit		= nfps_start_xmit,
	.ndo_change_mtu		= nfps_change_mtu,
	.ndo_bpf		= nfps_ndo_bpf,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/* ---- debugfs ---- */

static int nfps_fw_show(struct seq_file *s, void *unused)
{
	struct nfps_dev *sd = s->private;
	struct nfp_app_bpf *bpf = sd->bpf;
	u8 *bar = sd->bar;

	seq_printf(s, "max_len %u\n", readw(bar + NFP_NET_CFG_BPF_MAX_LEN));
	seq_printf(s, "stack_sz %u\n", readb(bar + NFP_NET_CFG_BPF_STACK_SZ) * 64);
	seq_printf(s, "inl_mtu %u\n", readb(bar + NFP_NET_CFG_BPF_INL_MTU));
	seq_printf(s, "split %u\n", readb(bar + NFP_NET_CFG_BPF_INL_MTU) * 64 - 32);
	seq_printf(s, "abi_version %u\n", bpf->abi_version);
	seq_printf(s, "max_elem_sz %u\n", bpf->maps.max_elem_sz);
	seq_printf(s, "max_key_sz %u\n", bpf->maps.max_key_sz);
	seq_printf(s, "max_val_sz %u\n", bpf->maps.max_val_sz);
	seq_printf(s, "map_types %#x\n", bpf->maps.types);
	seq_printf(s, "max_maps %u\n", bpf->maps.max_maps);
	seq_printf(s, "max_elems %u\n", bpf->maps.max_elems);
	seq_printf(s, "helpers lookup %#x update %#x delete %#x perf_event_output %#x\n",
		   bpf->helpers.map_lookup, bpf->helpers.map_update, bpf->helpers.map_delete,
		   bpf->helpers.perf_event_output);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nfps_fw);

/*
 * One "map" line per table, then one "entry" line per used slot with the
 * key and value in hex, bytes in memory order, as the firmware holds
 * them: words the program adds to atomically are big-endian there.
 */
static int nfps_maps_show(struct seq_file *s, void *unused)
{
	struct nfps_dev *sd = s->private;
	struct nfps_map *m;
	u32 i;

	mutex_lock(&sd->lock);
	list_for_each_entry(m, &sd->maps, l) {
		struct bpf_map *map = m->map;

		seq_printf(s, "map id %u tid %u type %u key %u value %u max_entries %u\n",
			   map->id, m->tid, map->map_type, map->key_size, map->value_size,
			   map->max_entries);
		for_each_set_bit(i, m->used, map->max_entries)
			seq_printf(s, "entry id %u key %*phN value %*phN\n", map->id,
				   map->key_size, m->keys + (size_t)i * map->key_size,
				   map->value_size, m->vals + (size_t)i * map->value_size);
	}
	mutex_unlock(&sd->lock);
	return 0;
}

/*
 * "ID KEY VALUE", in hex as shown: the firmware's data path changed an
 * entry (there is none here to run the program), e.g. counted frames.
 */
static int nfps_maps_poke(struct nfps_dev *sd, char *line)
{
	char *id_s = strsep(&line, " "), *key_s = strsep(&line, " "), *val_s = line;
	struct nfps_map *m;
	u8 *key, *val;
	u32 id;
	int err;

	if (!key_s || !val_s || kstrtou32(id_s, 0, &id))
		return -EINVAL;
	mutex_lock(&sd->lock);
	err = -ENOENT;
	list_for_each_entry(m, &sd->maps, l) {
		struct bpf_map *map = m->map;

		if (map->id != id)
			continue;
		err = -EINVAL;
		if (strlen(key_s) != 2 * map->key_size || strlen(val_s) != 2 * map->value_size)
			break;
		err = -ENOMEM;
		key = kmalloc(map->key_size, GFP_KERNEL);
		val = kmalloc(map->value_size, GFP_KERNEL);
		if (key && val) {
			err = -EINVAL;
			if (!hex2bin(key, key_s, map->key_size) &&
			    !hex2bin(val, val_s, map->value_size))
				err = nfps_update(m, key, val, BPF_ANY);
		}
		kfree(key);
		kfree(val);
		break;
	}
	mutex_unlock(&sd->lock);
	return err;
}

static ssize_t nfps_maps_write(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	struct nfps_dev *sd = file_inode(file)->i_private;
	char *line;
	int err;

	if (count > PAGE_SIZE)
		return -E2BIG;
	line = memdup_user_nul(buf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	err = nfps_maps_poke(sd, strim(line));
	kfree(line);
	return err ?: count;
}

static int nfps_maps_open(struct inode *inode, struct file *file)
{
	return single_open(file, nfps_maps_show, inode->i_private);
}

static const struct file_operations nfps_maps_fops = {
	.owner = THIS_MODULE,
	.open = nfps_maps_open,
	.read = seq_read,
	.write = nfps_maps_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int nfps_prog_show(struct seq_file *s, void *unused)
{
	struct nfps_dev *sd = s->private;

	mutex_lock(&sd->lock);
	if (sd->prog_seen)
		seq_printf(s, "id %u\nxlated_insns %u\nnfp_insns %u\nnfp_stack %u\n"
			   "max_pkt_offset %u\nresult %d\n",
			   sd->prog.id, sd->prog.xlated, sd->prog.nfp_insns, sd->prog.nfp_stack,
			   sd->prog.max_pkt_offset, sd->prog.result);
	mutex_unlock(&sd->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nfps_prog);

/* ---- Devices ---- */

/* The firmware values must fit the BAR fields the driver reads. */
static int nfps_params_check(void)
{
	if (max_len > U16_MAX || stack_sz % 64 || stack_sz / 64 > U8_MAX ||
	    inl_mtu > U8_MAX || bpf_start > U16_MAX || bpf_done > U16_MAX) {
		pr_info("firmware values do not fit the control BAR\n");
		return -EINVAL;
	}
	return 0;
}

/* What the firmware's capability TLVs say, as bpf/main.c parses them */
static void nfps_caps(struct nfp_app_bpf *bpf)
{
	bpf->abi_version = abi_version >= 2 && abi_version <= 3 ? abi_version : 0;
	bpf->adjust_head.flags = NFP_BPF_ADJUST_HEAD_NO_META;
	bpf->adjust_head.off_min = adjust_head_off_min;
	bpf->adjust_head.off_max = adjust_head_off_max;
	bpf->adjust_head.guaranteed_sub = adjust_head_guaranteed;
	bpf->adjust_head.guaranteed_add = adjust_head_guaranteed;
	bpf->maps.types = map_types;
	bpf->maps.max_maps = max_maps;
	bpf->maps.max_elems = max_elems;
	bpf->maps.max_key_sz = max_key_sz;
	bpf->maps.max_val_sz = max_val_sz;
	bpf->maps.max_elem_sz = max_elem_sz;
	bpf->helpers.map_lookup = helper_map_lookup;
	bpf->helpers.map_update = helper_map_update;
	bpf->helpers.map_delete = helper_map_delete;
	bpf->helpers.perf_event_output = helper_perf_event_output;
	bpf->pseudo_random = pseudo_random;
	bpf->queue_select = queue_select;
	bpf->adjust_tail = adjust_tail;
	bpf->cmsg_multi_ent = true;
	if (bpf->abi_version < 3) {
		bpf->cmsg_key_sz = CMSG_MAP_KEY_LW * 4;
		bpf->cmsg_val_sz = CMSG_MAP_VALUE_LW * 4;
	} else {
		bpf->cmsg_key_sz = bpf->maps.max_key_sz;
		bpf->cmsg_val_sz = bpf->maps.max_val_sz;
	}
	bpf->cmsg_cache_cnt = 1;
}

static void nfps_bar_init(struct nfp_net *nn)
{
	nn_writeb(nn, NFP_NET_CFG_BPF_ABI, abi_version);
	nn_writeb(nn, NFP_NET_CFG_BPF_CAP, live_reload ? NFP_NET_BPF_CAP_RELO : 0);
	nn_writew(nn, NFP_NET_CFG_BPF_MAX_LEN, max_len);
	nn_writew(nn, NFP_NET_CFG_BPF_START, bpf_start);
	nn_writew(nn, NFP_NET_CFG_BPF_DONE, bpf_done);
	nn_writeb(nn, NFP_NET_CFG_BPF_STACK_SZ, stack_sz / 64);
	nn_writeb(nn, NFP_NET_CFG_BPF_INL_MTU, inl_mtu);
}

static void nfps_dev_free(struct nfps_dev *sd)
{
	if (sd->bpf) {
		if (!IS_ERR_OR_NULL(sd->bpf->bpf_dev))
			bpf_offload_dev_destroy(sd->bpf->bpf_dev);
		WARN_ON(!list_empty(&sd->bpf->map_list));
		rhashtable_destroy(&sd->bpf->maps_neutral);
		kfree(sd->bpf);
	}
	WARN_ON(!list_empty(&sd->maps));
	kfree(sd->bar);
	free_netdev(sd->netdev);
}

static int nfps_dev_new(u32 id)
{
	struct net_device *netdev;
	struct nfp_app_bpf *bpf;
	struct nfps_dev *sd;
	struct nfp_net *nn;
	char name[IFNAMSIZ], dir[16];
	int err;

	lockdep_assert_held(&nfps_devs_lock);
	err = nfps_params_check();
	if (err)
		return err;
	list_for_each_entry(sd, &nfps_devs, l)
		if (sd->id == id)
			return -EEXIST;

	snprintf(name, sizeof(name), "nfps%u", id);
	netdev = alloc_netdev(sizeof(*nn), name, NET_NAME_USER, ether_setup);
	if (!netdev)
		return -ENOMEM;
	netdev->netdev_ops = &nfps_netdev_ops;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = 9216;
	eth_hw_addr_random(netdev);
	SET_NETDEV_DEV(netdev, &nfps_pdev->dev);

	err = -ENOMEM;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		goto err_free_netdev;
	sd->id = id;
	sd->netdev = netdev;
	mutex_init(&sd->lock);
	INIT_LIST_HEAD(&sd->maps);
	sd->bar = kzalloc(NFP_NET_CFG_BAR_SZ, GFP_KERNEL);
	if (!sd->bar)
		goto err_free;
	bpf = kzalloc(sizeof(*bpf), GFP_KERNEL);
	if (!bpf)
		goto err_free;
	err = rhashtable_init(&bpf->maps_neutral, &nfp_bpf_maps_neutral_params);
	if (err) {
		kfree(bpf);
		goto err_free;
	}
	sd->bpf = bpf;

	nn = netdev_priv(netdev);
	nn->dp.netdev = netdev;
	nn->dp.dev = &nfps_pdev->dev;
	nn->dp.ctrl_bar = sd->bar;
	nn->dp.mtu = netdev->mtu;
	nn->cap = ebpf ? NFP_NET_CFG_CTRL_BPF : 0;
	nn->max_mtu = netdev->max_mtu;
	nn->id = id;
	nn->app = &sd->app;
	nn->app_priv = &sd->bv;
	sema_init(&nn->bar_lock, 1);
	nfps_bar_init(nn);
	/* as nfp_bpf_vnic_alloc() reads them */
	sd->bv.start_off = nn_readw(nn, NFP_NET_CFG_BPF_START);
	sd->bv.tgt_done = nn_readw(nn, NFP_NET_CFG_BPF_DONE);

	sd->app.priv = bpf;
	bpf->app = &sd->app;
	INIT_LIST_HEAD(&bpf->map_list);
	nfps_caps(bpf);
	bpf->bpf_dev = bpf_offload_dev_create(&nfp_bpf_dev_ops, bpf);
	err = PTR_ERR_OR_ZERO(bpf->bpf_dev);
	if (err)
		goto err_free;

	err = register_netdev(netdev);
	if (err)
		goto err_free;

	snprintf(dir, sizeof(dir), "%u", id);
	sd->dir = debugfs_create_dir(dir, nfps_debugfs);
	debugfs_create_file("fw", 0400, sd->dir, sd, &nfps_fw_fops);
	debugfs_create_file("maps", 0600, sd->dir, sd, &nfps_maps_fops);
	debugfs_create_file("prog", 0400, sd->dir, sd, &nfps_prog_fops);
	list_add_tail(&sd->l, &nfps_devs);
	netdev_info(netdev, "stub card %u: %u NFP instructions, stack %u B, split %u B, entry %u B\n",
		    id, max_len, stack_sz, inl_mtu * 64 - 32, max_elem_sz);
	return 0;

err_free:
	nfps_dev_free(sd);
	kfree(sd);
	return err;
err_free_netdev:
	free_netdev(netdev);
	return err;
}

static void nfps_dev_del(struct nfps_dev *sd)
{
	lockdep_assert_held(&nfps_devs_lock);
	list_del(&sd->l);
	debugfs_remove_recursive(sd->dir);
	/* detaches the program and frees the maps through the driver's ops */
	unregister_netdev(sd->netdev);
	nfps_dev_free(sd);
	kfree(sd);
}

static ssize_t nfps_new_write(struct file *file, const char __user *buf, size_t count,
			      loff_t *ppos)
{
	u32 id;
	int err;

	err = kstrtou32_from_user(buf, count, 0, &id);
	if (err)
		return err;
	mutex_lock(&nfps_devs_lock);
	err = nfps_dev_new(id);
	mutex_unlock(&nfps_devs_lock);
	return err ?: count;
}

static ssize_t nfps_del_write(struct file *file, const char __user *buf, size_t count,
			      loff_t *ppos)
{
	struct nfps_dev *sd;
	u32 id;
	int err;

	err = kstrtou32_from_user(buf, count, 0, &id);
	if (err)
		return err;
	err = -ENOENT;
	mutex_lock(&nfps_devs_lock);
	list_for_each_entry(sd, &nfps_devs, l)
		if (sd->id == id) {
			nfps_dev_del(sd);
			err = 0;
			break;
		}
	mutex_unlock(&nfps_devs_lock);
	return err ?: count;
}

static const struct file_operations nfps_new_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = nfps_new_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations nfps_del_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = nfps_del_write,
	.llseek = generic_file_llseek,
};

static int __init nfps_init(void)
{
	int err;

	nfps_pdev = platform_device_register_simple(KBUILD_MODNAME, -1, NULL, 0);
	if (IS_ERR(nfps_pdev))
		return PTR_ERR(nfps_pdev);
	/* the JIT's image is DMA-mapped for the card to fetch */
	err = dma_coerce_mask_and_coherent(&nfps_pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_unregister;
	nfps_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	nfps_debugfs_new = debugfs_create_file("new_device", 0200, nfps_debugfs, NULL,
					       &nfps_new_fops);
	nfps_debugfs_del = debugfs_create_file("del_device", 0200, nfps_debugfs, NULL,
					       &nfps_del_fops);
	return 0;

err_unregister:
	platform_device_unregister(nfps_pdev);
	return err;
}

static void __exit nfps_exit(void)
{
	struct nfps_dev *sd, *tmp;

	/* no new device once the last is gone */
	debugfs_remove(nfps_debugfs_new);
	debugfs_remove(nfps_debugfs_del);
	mutex_lock(&nfps_devs_lock);
	list_for_each_entry_safe(sd, tmp, &nfps_devs, l)
		nfps_dev_del(sd);
	mutex_unlock(&nfps_devs_lock);
	debugfs_remove_recursive(nfps_debugfs);
	platform_device_unregister(nfps_pdev);
}

module_init(nfps_init);
module_exit(nfps_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("segoff test stub: an Agilio card for the nfp driver's BPF offload code");
