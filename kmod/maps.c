// SPDX-License-Identifier: GPL-2.0
/*
 * The binding's two maps, reached through the references the binding
 * holds rather than the caller's fds (which a racing thread could point
 * elsewhere): host maps through map->ops, offloaded ones through the
 * device's ops under rtnl, which the driver holds to unbind them.
 */
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include "segoff.h"

static_assert(sizeof(struct segoff_counters) == SEGOFF_MAP_ENTRIES * SEGOFF_COUNTERS_ENTRY);

static bool segoff_prog_uses(struct bpf_prog *prog, struct bpf_map *map)
{
	struct bpf_prog_aux *aux = prog->aux;
	bool found = false;
	u32 i;

	mutex_lock(&aux->used_maps_mutex);
	for (i = 0; i < aux->used_map_cnt; i++)
		if (aux->used_maps[i] == map)
			found = true;
	mutex_unlock(&aux->used_maps_mutex);
	return found;
}

/*
 * The verifier already refused any map that is not bound to an offloaded
 * program's device, and any bound map for a host program, so a map the
 * program uses is offloaded exactly when the program is.
 */
int segoff_maps_check(struct bpf_prog *prog, struct bpf_map *config, struct bpf_map *counters,
		      u32 mode, struct netlink_ext_ack *extack)
{
	if (config == counters) {
		NL_SET_ERR_MSG_MOD(extack, "config and counters must be two different maps");
		return -EINVAL;
	}
	if (!segoff_prog_uses(prog, config)) {
		NL_SET_ERR_MSG_MOD(extack, "config map is not used by the program");
		return -EINVAL;
	}
	if (!segoff_prog_uses(prog, counters)) {
		NL_SET_ERR_MSG_MOD(extack, "counters map is not used by the program");
		return -EINVAL;
	}
	if (config->map_type != BPF_MAP_TYPE_ARRAY || config->key_size != sizeof(u32) ||
	    config->value_size != sizeof(struct segoff_config) ||
	    config->max_entries < SEGOFF_MAP_ENTRIES) {
		NL_SET_ERR_MSG_MOD(extack,
				   "config map must be an ARRAY of 2 struct segoff_config");
		return -EINVAL;
	}
	if (counters->key_size != sizeof(u32) ||
	    counters->value_size != SEGOFF_COUNTERS_ENTRY ||
	    counters->max_entries < SEGOFF_MAP_ENTRIES) {
		NL_SET_ERR_MSG_MOD(extack, "counters map must hold 2 entries of 56 bytes");
		return -EINVAL;
	}
	if (mode == SEGOFF_MODE_OFFLOAD && counters->map_type != BPF_MAP_TYPE_ARRAY) {
		NL_SET_ERR_MSG_MOD(extack, "offloaded counters map must be an ARRAY");
		return -EINVAL;
	}
	if (counters->map_type != BPF_MAP_TYPE_ARRAY &&
	    counters->map_type != BPF_MAP_TYPE_PERCPU_ARRAY) {
		NL_SET_ERR_MSG_MOD(extack, "counters map must be an ARRAY or a PERCPU_ARRAY");
		return -EINVAL;
	}
	/*
	 * The module writes both maps behind the verifier's back. With
	 * BPF_F_RDONLY_PROG and frozen, the verifier took the map's contents
	 * for constants; the other flags have no use here and nfp refuses
	 * them. Flags never change after creation, so refusing them now is
	 * for good; a map frozen later without them stays safe to write,
	 * but set refuses to write it against its owner's intent too.
	 */
	if (config->map_flags) {
		NL_SET_ERR_MSG_MOD(extack, "config map must have no map flags");
		return -EINVAL;
	}
	if (counters->map_flags) {
		NL_SET_ERR_MSG_MOD(extack, "counters map must have no map flags");
		return -EINVAL;
	}
	if (READ_ONCE(config->frozen)) {
		NL_SET_ERR_MSG_MOD(extack, "config map is frozen");
		return -EPERM;
	}
	if (READ_ONCE(counters->frozen)) {
		NL_SET_ERR_MSG_MOD(extack, "counters map is frozen");
		return -EPERM;
	}
	return 0;
}

/* Entry @key of a binding's map. */
static int segoff_map_store(struct segoff_binding *b, struct bpf_map *map, u32 key, void *value)
{
	struct bpf_offloaded_map *offmap;
	int err;

	if (b->mode != SEGOFF_MODE_OFFLOAD) {
		rcu_read_lock();
		err = map->ops->map_update_elem(map, &key, value, BPF_ANY);
		rcu_read_unlock();
		return err;
	}
	offmap = container_of(map, struct bpf_offloaded_map, map);
	rtnl_lock();
	err = offmap->netdev ? offmap->dev_ops->map_update_elem(offmap, &key, value, BPF_ANY)
			     : -ENODEV;
	rtnl_unlock();
	return err;
}

/*
 * The port's own addresses, the source of answers to group addresses
 * (reply tx): its MAC and its primary IPv4 address, 0 if it has none.
 */
static void segoff_config_port(struct segoff_binding *b, struct segoff_config *c)
{
	memcpy(c->mac, b->dev->dev_addr, min_t(unsigned int, b->dev->addr_len, ETH_ALEN));
	c->addr4 = inet_select_addr(b->dev, 0, RT_SCOPE_UNIVERSE);
}

/* Both entries, before a program reads the map: at attach. */
int segoff_config_init_store(struct segoff_binding *b, const struct segoff_config *c)
{
	struct segoff_config value = *c;
	int err;
	u32 key;

	segoff_config_port(b, &value);
	segoff_config_init(&b->cfgmap, &value);
	b->cfg_gp = get_state_synchronize_rcu();
	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++) {
		err = segoff_map_store(b, b->config, key, &b->cfgmap.entry[key]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A live change, params.h's protocol: the idle entry, then entry 0 with
 * the flip, and a grace period between a flip and the next write of the
 * entry it made idle, so that a frame sees the old config or the new one
 * and no change writes an entry a program still reads. XDP runs in an
 * RCU read-side section, so the grace period outlasts every program run
 * that read the old @active; it is only waited for (expedited) when the
 * next change comes before it has passed by itself. Offloaded, each
 * write is a control message the firmware answers after it took effect,
 * and a program run is bounded by the instruction budget, far shorter
 * than a message's round trip. The caller serialises writers.
 */
int segoff_config_install(struct segoff_binding *b, const struct segoff_config *c)
{
	struct segoff_config_map m = b->cfgmap;
	struct segoff_config value = *c;
	u32 idle;
	int err;

	segoff_config_port(b, &value);
	cond_synchronize_rcu_expedited(b->cfg_gp);
	idle = segoff_config_stage(&m, &value);
	err = segoff_map_store(b, b->config, idle, &m.entry[idle]);
	if (err)
		return err;
	segoff_config_flip(&m, idle);
	err = segoff_map_store(b, b->config, 0, &m.entry[0]);
	if (err)
		return err;
	b->cfgmap = m;
	b->cfg_gp = get_state_synchronize_rcu();
	return 0;
}

static void segoff_counters_add(u64 *sum, const void *value)
{
	const u64 *v = value;
	size_t i;

	for (i = 0; i < SEGOFF_COUNTERS_ENTRY / sizeof(u64); i++)
		sum[i] += v[i];
}

/* Entry 0 then entry 1, each summed over the CPUs. */
int segoff_counters_fetch(struct segoff_binding *b, struct segoff_counters *out)
{
	struct bpf_map *map = b->counters;
	struct bpf_offloaded_map *offmap;
	u64 *sum = (u64 *)out;
	unsigned int cpu;
	int err = 0;
	void *value;
	u32 key;

	memset(out, 0, sizeof(*out));
	if (b->mode == SEGOFF_MODE_OFFLOAD) {
		offmap = container_of(map, struct bpf_offloaded_map, map);
		rtnl_lock();
		for (key = 0; key < SEGOFF_MAP_ENTRIES && !err; key++)
			err = offmap->netdev ?
			      offmap->dev_ops->map_lookup_elem(offmap, &key,
							       sum + key * SEGOFF_COUNTERS_ENTRY / 8) :
			      -ENODEV;
		rtnl_unlock();
		return err;
	}
	rcu_read_lock();
	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++) {
		u64 *part = sum + key * SEGOFF_COUNTERS_ENTRY / sizeof(u64);

		if (map->map_type == BPF_MAP_TYPE_PERCPU_ARRAY) {
			for_each_possible_cpu(cpu) {
				value = map->ops->map_lookup_percpu_elem(map, &key, cpu);
				if (value)
					segoff_counters_add(part, value);
			}
		} else {
			value = map->ops->map_lookup_elem(map, &key);
			if (value)
				segoff_counters_add(part, value);
		}
	}
	rcu_read_unlock();
	return 0;
}

/* The program only adds to the counters, so zeroing them is a plain store. */
int segoff_counters_zero(struct segoff_binding *b)
{
	u64 zero[SEGOFF_COUNTERS_ENTRY / sizeof(u64)] = {};
	struct bpf_map *map = b->counters;
	unsigned int cpu;
	int err;
	void *value;
	u32 key;

	for (key = 0; key < SEGOFF_MAP_ENTRIES; key++) {
		if (map->map_type != BPF_MAP_TYPE_PERCPU_ARRAY) {
			err = segoff_map_store(b, map, key, zero);
			if (err)
				return err;
			continue;
		}
		/* map_update_elem() would only reach this CPU's copy */
		rcu_read_lock();
		for_each_possible_cpu(cpu) {
			value = map->ops->map_lookup_percpu_elem(map, &key, cpu);
			if (value)
				memset(value, 0, SEGOFF_COUNTERS_ENTRY);
		}
		rcu_read_unlock();
	}
	return 0;
}
