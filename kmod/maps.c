// SPDX-License-Identifier: GPL-2.0
/*
 * The binding's two maps, reached through the references the binding
 * holds rather than the caller's fds (which a racing thread could point
 * elsewhere): host maps through map->ops, offloaded ones through the
 * device's ops under rtnl, which the driver holds to unbind them.
 */
#include <linux/rtnetlink.h>
#include "segoff.h"

static_assert(sizeof(struct segoff_counters) % sizeof(u64) == 0);

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
	    config->value_size != sizeof(struct segoff_config) || !config->max_entries) {
		NL_SET_ERR_MSG_MOD(extack, "config map must be an ARRAY of struct segoff_config");
		return -EINVAL;
	}
	if (counters->key_size != sizeof(u32) ||
	    counters->value_size != sizeof(struct segoff_counters) || !counters->max_entries) {
		NL_SET_ERR_MSG_MOD(extack, "counters map must hold struct segoff_counters");
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

/* Entry 0 of a binding's map: the only one the program uses. */
static int segoff_map_store(struct segoff_binding *b, struct bpf_map *map, void *value)
{
	struct bpf_offloaded_map *offmap;
	u32 key = 0;
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

int segoff_config_store(struct segoff_binding *b, const struct segoff_config *c)
{
	struct segoff_config value = *c;

	return segoff_map_store(b, b->config, &value);
}

static void segoff_counters_add(struct segoff_counters *sum, const void *value)
{
	const u64 *v = value;
	u64 *s = (u64 *)sum;
	size_t i;

	for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
		s[i] += v[i];
}

int segoff_counters_fetch(struct segoff_binding *b, struct segoff_counters *out)
{
	struct bpf_map *map = b->counters;
	struct bpf_offloaded_map *offmap;
	unsigned int cpu;
	u32 key = 0;
	void *value;
	int err;

	memset(out, 0, sizeof(*out));
	if (b->mode == SEGOFF_MODE_OFFLOAD) {
		offmap = container_of(map, struct bpf_offloaded_map, map);
		rtnl_lock();
		err = offmap->netdev ? offmap->dev_ops->map_lookup_elem(offmap, &key, out)
				     : -ENODEV;
		rtnl_unlock();
		return err;
	}
	rcu_read_lock();
	if (map->map_type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		for_each_possible_cpu(cpu) {
			value = map->ops->map_lookup_percpu_elem(map, &key, cpu);
			if (value)
				segoff_counters_add(out, value);
		}
	} else {
		value = map->ops->map_lookup_elem(map, &key);
		if (value)
			segoff_counters_add(out, value);
	}
	rcu_read_unlock();
	return 0;
}

/* The program only adds to the counters, so zeroing them is a plain store. */
int segoff_counters_zero(struct segoff_binding *b)
{
	struct segoff_counters zero = {};
	struct bpf_map *map = b->counters;
	unsigned int cpu;
	u32 key = 0;
	void *value;

	if (map->map_type != BPF_MAP_TYPE_PERCPU_ARRAY)
		return segoff_map_store(b, map, &zero);
	/* map_update_elem() would only reach this CPU's copy */
	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		value = map->ops->map_lookup_percpu_elem(map, &key, cpu);
		if (value)
			memset(value, 0, sizeof(zero));
	}
	rcu_read_unlock();
	return 0;
}
