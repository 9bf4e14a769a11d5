// SPDX-License-Identifier: GPL-2.0
/*
 * A netlink fuzzer for segoff.ko (run in the VM, module loaded): random
 * and mutated requests of every command, valid ones among them so that
 * bindings exist to be replaced, set and detached, for a bounded time.
 *
 *   SEGOFF_FUZZ_SEED     seed (default: from the clock; printed to repeat)
 *   SEGOFF_FUZZ_SECONDS  how long (default 15: the short run of make check)
 *
 * Requests: commands 0..10 (unknown ones and notifications included),
 * do and dump, wrong versions; attributes of the right and wrong types,
 * lengths 0..12 where 4 or 8 is due, strings without NUL or too long,
 * truncated (nla_len past the message) and overlong, unknown types,
 * duplicates, nests that are flat, empty, doubly nested or random bytes;
 * fds of every kind (files, sockets, pipes, other programs and maps, the
 * segoff programs with each other's maps, closed and negative fds);
 * devices lo, absent ifindexes and names, and one in another namespace.
 *
 * Each request must get exactly one well-formed answer with an errno the
 * API can give (an extack message on the module's own refusals), dumps
 * must come in ifindex order, and the state (the bindings as dumped, the
 * XDP programs of every device, the bound config maps) may change only
 * when a request that can change it succeeded. The VM runner fails on
 * any kernel warning (panic_on_warn) and on unpaired binding lines.
 *
 * TAP: one test; exit 0 pass, 1 fail, 4 skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "libsegoff.h"
#include "nlraw.h"

#define DEV0		"fz0"
#define DEV1		"fz1"
#define DEV_FAR		"fzfar"		/* moved to another namespace */
#define KSFT_SKIP	4
#define MAX_BINDINGS	8
#define NOBJ		3

static uint64_t rng_state;

/* xorshift64*: the same seed gives the same requests */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(int percent)
{
	return below(100) < (uint32_t)percent;
}

static int failures;

static void failf(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

/* ---- The world the requests point at ---- */

struct world {
	int nl, family;
	int ifindex0, ifindex1, ifindex_far;
	struct segoff_obj obj[3];	/* each object can be bound once at a time */
	struct segoff_obj off;		/* bound to the netdevsim port, if any */
	int nsim_id, ifindex_nsim;
	int fds[32];
	int nfds;
	pid_t far;			/* holds the other namespace */
};

static struct world w;

static int plain_prog(enum bpf_prog_type type, int ret)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = ret },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(type, NULL, "GPL", insns, 2, NULL);
}

static void add_fd(int fd)
{
	if (fd >= 0 && w.nfds < (int)(sizeof(w.fds) / sizeof(w.fds[0])))
		w.fds[w.nfds++] = fd;
}

/* An fd for a *_FD attribute: mostly a segoff one, else anything. */
static int pick_fd(int want)
{
	struct segoff_obj *o = w.ifindex_nsim && chance(20) ? &w.off : &w.obj[below(NOBJ)];
	static const int odd[] = { -1, 0, 1, 2, 999, INT_MAX, INT_MIN };

	if (chance(60))
		return want == 0 ? o->prog_fd : want == 1 ? o->config_fd : o->counters_fd;
	if (chance(50)) {
		switch (below(3)) {
		case 0: return o->prog_fd;
		case 1: return o->config_fd;
		default: return o->counters_fd;
		}
	}
	if (chance(70) && w.nfds)
		return w.fds[below(w.nfds)];
	return odd[below(sizeof(odd) / sizeof(odd[0]))];
}

static int pick_ifindex(void)
{
	static const int odd[] = { 0, 1, 2, 65000, INT_MAX, -1 };

	switch (below(6)) {
	case 0:
		return w.ifindex_nsim && chance(50) ? w.ifindex_nsim : w.ifindex0;
	case 1:
		return w.ifindex0;
	case 2:
		return w.ifindex1;
	case 3:
		return w.ifindex_far;
	case 4:
		return 1;	/* lo */
	default:
		return odd[below(sizeof(odd) / sizeof(odd[0]))];
	}
}

static const char *pick_ifname(void)
{
	static const char *const names[] = {
		DEV0, DEV0, DEV1, "lo", DEV_FAR, "", "nosuchdev", "a-name-longer-than-ifnamsiz",
	};

	return names[below(sizeof(names) / sizeof(names[0]))];
}

/* ---- Request generation ---- */

static void put_odd(struct req *r, uint16_t type);

/* a u32-typed attribute: right most of the time, else the wrong size */
static void put_u32ish(struct req *r, uint16_t type, uint32_t v)
{
	uint64_t wide = v;

	if (chance(90))
		put_u32(r, type, v);
	else if (chance(50))
		put(r, type, &wide, sizeof(wide));
	else
		put(r, type, &v, below(4));
}

static uint64_t edge_u64(void)
{
	static const uint64_t e[] = {
		0, 1, 2, 3, 4, 255, 256, 1000, 4096, 4097, 16384, 16385, 65535, 65536,
		SEGOFF_DEFAULT_EPS, SEGOFF_EPS_MAX - 1, SEGOFF_EPS_MAX, 1500000, 100 * SEGOFF_EPS_UNIT,
		UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX,
	};

	return chance(80) ? e[below(sizeof(e) / sizeof(e[0]))] : rnd();
}

static void put_params(struct req *r)
{
	struct nlattr *nest;
	int i, n;

	nest_start(r, SEGOFF_A_DEV_PARAMS | (chance(95) ? NLA_F_NESTED : 0));
	nest = r->nest;
	n = below(5);
	for (i = 0; i < n; i++) {
		switch (below(8)) {
		case 0:
			if (chance(85))
				put_u64(r, SEGOFF_A_PARAMS_EPS, chance(50) ? (1 + below(2000)) * 1000000ULL
								     : edge_u64());
			else
				put_u32(r, SEGOFF_A_PARAMS_EPS, 1000);
			break;
		case 1:
			put_u32ish(r, SEGOFF_A_PARAMS_SCALE, chance(50) ? 1 + below(5000) : edge_u64());
			break;
		case 2:
			put_u32ish(r, SEGOFF_A_PARAMS_ENCODING, below(4));
			break;
		case 3:
			put_u32ish(r, SEGOFF_A_PARAMS_PORT, chance(70) ? 1 + below(65535) : edge_u64());
			break;
		case 4:
			put_u32ish(r, SEGOFF_A_PARAMS_ARITH, below(4));
			break;
		case 5:
			put_odd(r, below(10));
			break;
		case 6:
			/* a nest inside the nest */
			put(r, SEGOFF_A_PARAMS_EPS | NLA_F_NESTED, NULL, 0);
			break;
		default:
			put_u32(r, SEGOFF_A_PARAMS_PAD, 0);
			break;
		}
		r->nest = nest;
	}
	nest_end(r);
}

/* garbage of some kind under @type */
static void put_odd(struct req *r, uint16_t type)
{
	uint8_t junk[40];
	size_t i, len = below(sizeof(junk));

	for (i = 0; i < len; i++)
		junk[i] = rnd();
	if (chance(30))
		type |= NLA_F_NESTED;
	if (chance(10))
		type |= NLA_F_NET_BYTEORDER;
	put(r, type, junk, len);
}

static void put_dev(struct req *r)
{
	if (chance(75))
		put_u32ish(r, SEGOFF_A_DEV_IFINDEX, pick_ifindex());
	if (chance(35)) {
		const char *name = pick_ifname();

		if (chance(90))
			put_str(r, SEGOFF_A_DEV_IFNAME, name);
		else
			put(r, SEGOFF_A_DEV_IFNAME, name, strlen(name));	/* no NUL */
	}
}

/* What a correct client sends: reaches the paths past the policy. */
static void build_valid(struct req *r, uint8_t cmd)
{
	struct segoff_obj *o = &w.obj[below(NOBJ)];

	uint32_t mode = below(2);
	int ifindex = chance(60) ? w.ifindex0 : w.ifindex1;

	if (w.ifindex_nsim && chance(25)) {
		o = &w.off;
		ifindex = w.ifindex_nsim;
		mode = SEGOFF_MODE_OFFLOAD;
	}
	put_u32(r, SEGOFF_A_DEV_IFINDEX, ifindex);
	if (cmd == SEGOFF_CMD_DEV_ATTACH) {
		put_u32(r, SEGOFF_A_DEV_MODE, mode);
		put_u32(r, SEGOFF_A_DEV_PROG_FD, o->prog_fd);
		put_u32(r, SEGOFF_A_DEV_CONFIG_FD, o->config_fd);
		put_u32(r, SEGOFF_A_DEV_COUNTERS_FD, o->counters_fd);
		if (chance(50))
			put_u32(r, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE);
	}
	if (cmd != SEGOFF_CMD_DEV_SET && (cmd != SEGOFF_CMD_DEV_ATTACH || chance(50)))
		return;
	nest_start(r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
	if (chance(50))
		put_u64(r, SEGOFF_A_PARAMS_EPS, (1 + below(2000)) * 1000000ULL);
	if (chance(30))
		put_u32(r, SEGOFF_A_PARAMS_ARITH, below(2));
	if (chance(20))
		put_u32(r, SEGOFF_A_PARAMS_SCALE, 1 + below(4096));
	if (chance(30))
		put_u32(r, SEGOFF_A_PARAMS_ENCODING, below(2));
	if (chance(50))
		put_u32(r, SEGOFF_A_PARAMS_PORT, 1 + below(65535));
	nest_end(r);
}

static void build(struct req *r, uint8_t *cmd_out)
{
	static const uint8_t cmds[] = {
		SEGOFF_CMD_DEV_GET, SEGOFF_CMD_DEV_ATTACH, SEGOFF_CMD_DEV_ATTACH,
		SEGOFF_CMD_DEV_ATTACH, SEGOFF_CMD_DEV_DETACH, SEGOFF_CMD_DEV_SET,
		SEGOFF_CMD_DEV_SET, SEGOFF_CMD_STATS_GET,
	};
	uint8_t cmd = chance(92) ? cmds[below(sizeof(cmds))] : below(SEGOFF_CMD_MAX + 4);
	uint16_t flags = 0;
	int i, n;

	if ((cmd == SEGOFF_CMD_DEV_GET || cmd == SEGOFF_CMD_STATS_GET) && chance(40))
		flags |= NLM_F_DUMP;
	else if (chance(3))
		flags |= NLM_F_DUMP;
	req_init(r, w.family, cmd, flags);
	if (chance(3))
		((struct genlmsghdr *)NLMSG_DATA(r->nh))->version = below(256);
	*cmd_out = cmd;

	if (cmd <= SEGOFF_CMD_STATS_GET && chance(40)) {
		build_valid(r, cmd);
		return;
	}
	put_dev(r);
	switch (cmd) {
	case SEGOFF_CMD_DEV_ATTACH:
		if (chance(90))
			put_u32ish(r, SEGOFF_A_DEV_MODE, chance(90) ? below(2) : below(5));
		if (chance(95))
			put_u32ish(r, SEGOFF_A_DEV_PROG_FD, pick_fd(0));
		if (chance(95))
			put_u32ish(r, SEGOFF_A_DEV_CONFIG_FD, pick_fd(1));
		if (chance(95))
			put_u32ish(r, SEGOFF_A_DEV_COUNTERS_FD, pick_fd(2));
		if (chance(40))
			put_u32ish(r, SEGOFF_A_DEV_FLAGS, chance(90) ? SEGOFF_ATTACH_F_REPLACE
								    : rnd());
		if (chance(50))
			put_params(r);
		break;
	case SEGOFF_CMD_DEV_SET:
		if (chance(95))
			put_params(r);
		break;
	default:
		break;
	}

	/* mutations */
	n = chance(50) ? 0 : 1 + below(3);
	for (i = 0; i < n; i++) {
		switch (below(7)) {
		case 0:	/* unknown or out-of-op attribute */
			put_odd(r, below(SEGOFF_A_DEV_MAX + 4));
			break;
		case 1:	/* a duplicate of the device */
			put_dev(r);
			break;
		case 2:	/* duplicate params */
			put_params(r);
			break;
		case 3:	/* a read-only attribute in a request */
			put_u32ish(r, SEGOFF_A_DEV_PROG_ID + below(5), rnd());
			break;
		case 4: { /* the last attribute claims more than the message holds */
			struct nlattr *last = NULL, *a;
			size_t off = NLMSG_LENGTH(GENL_HDRLEN);

			while (off + NLA_HDRLEN <= r->nh->nlmsg_len) {
				a = (struct nlattr *)(r->buf + off);
				if (a->nla_len < NLA_HDRLEN)
					break;
				last = a;
				off += NLA_ALIGN(a->nla_len);
			}
			if (last)
				last->nla_len += 4 + below(64);
			break;
		}
		case 5:	/* the message cut short, mid-attribute */
			if (r->nh->nlmsg_len > NLMSG_LENGTH(GENL_HDRLEN) + 2)
				r->nh->nlmsg_len -= 1 + below(6);
			break;
		default: /* nested garbage at the top */
			put_odd(r, SEGOFF_A_DEV_PARAMS | NLA_F_NESTED);
			break;
		}
	}
}

/* ---- Answers ---- */

static int errno_allowed(int err)
{
	static const int ok[] = {
		0, -EINVAL, -ERANGE, -ENODEV, -ENOENT, -EBUSY, -EEXIST, -EOPNOTSUPP, -EBADF,
		-EPERM, -EMSGSIZE, -E2BIG, -524 /* ENOTSUPP */, -ENXIO,
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (err == ok[i])
			return 1;
	return 0;
}

/* Sends @r raw (it may be malformed) and checks the one answer it gets. */
static int exchange(struct req *r, int *err, char *extack, size_t extack_len, int *ifindexes,
		    int *n_out)
{
	static char buf[1 << 16];
	int done = 0, n = 0, last = 0;
	struct nlmsghdr *nh;
	struct reply rep;
	ssize_t len;

	*err = 0;
	extack[0] = 0;
	if (send(w.nl, r->buf, r->nh->nlmsg_len, 0) < 0) {
		/* the socket refuses a message too short to carry a header */
		*err = -errno;
		return r->nh->nlmsg_len < NLMSG_HDRLEN ? 0 : -1;
	}
	while (!done) {
		len = recv(w.nl, buf, sizeof(buf), 0);
		if (len < 0) {
			failf("no answer: %s", strerror(errno));
			return -1;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != r->nh->nlmsg_seq) {
				failf("answer with seq %u to request %u", nh->nlmsg_seq,
				      r->nh->nlmsg_seq);
				return -1;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				memset(&rep, 0, sizeof(rep));
				reply_error(&rep, nh);
				*err = rep.err;
				snprintf(extack, extack_len, "%s", rep.extack);
				done = 1;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else if (nh->nlmsg_type == w.family) {
				struct nlattr *a = msg_attr((char *)nh, SEGOFF_A_DEV_IFINDEX);
				int idx = a ? (int)attr_u32(a) : -1;

				if (!a || a->nla_len != NLA_HDRLEN + 4) {
					failf("reply without an ifindex");
					return -1;
				}
				if (idx <= last) {
					failf("dump out of order: %d after %d", idx, last);
					return -1;
				}
				last = idx;
				if (n < MAX_BINDINGS)
					ifindexes[n] = idx;
				n++;
			} else {
				failf("answer of type %u", nh->nlmsg_type);
				return -1;
			}
		}
		if (len) {
			failf("%zd trailing bytes in an answer", len);
			return -1;
		}
	}
	*n_out = n;
	return 0;
}

/* ---- State: what a refused request must leave alone ---- */

struct state {
	int n;
	char bindings[MAX_BINDINGS][512];	/* DEV_GET messages, attach time included */
	size_t len[MAX_BINDINGS];
	struct segoff_config config[MAX_BINDINGS][SEGOFF_MAP_ENTRIES];
	uint32_t xdp[4][4];			/* fz0, fz1, lo, nsim: drv, skb, hw, mode */
};

static void state_take(struct state *s)
{
	const int devs[4] = { w.ifindex0, w.ifindex1, 1, w.ifindex_nsim };
	struct nlattr *a;
	struct reply rep;
	struct req r;
	uint32_t j;
	int i, fd;

	memset(s, 0, sizeof(*s));
	req_init(&r, w.family, SEGOFF_CMD_DEV_GET, NLM_F_DUMP);
	if (transact(w.nl, &r, &rep)) {
		failf("dump for the state: %d %s", rep.err, rep.extack);
		return;
	}
	s->n = rep.n;
	for (i = 0; i < rep.n && i < MAX_BINDINGS; i++) {
		struct nlmsghdr *nh = (struct nlmsghdr *)rep.msgs[i];

		s->len[i] = nh->nlmsg_len < sizeof(s->bindings[i]) ? nh->nlmsg_len
								   : sizeof(s->bindings[i]);
		/* from the genl header on: the netlink header carries the request's seq */
		memcpy(s->bindings[i], NLMSG_DATA(nh), s->len[i] - NLMSG_HDRLEN);
		a = msg_attr(rep.msgs[i], SEGOFF_A_DEV_CONFIG_ID);
		fd = a ? bpf_map_get_fd_by_id(attr_u32(a)) : -1;
		for (j = 0; j < SEGOFF_MAP_ENTRIES; j++)
			if (fd < 0 || bpf_map_lookup_elem(fd, &j, &s->config[i][j]))
				failf("bound config map %u unreadable", attr_u32(a));
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < 4; i++) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);

		if (!devs[i] || bpf_xdp_query(devs[i], 0, &q))
			continue;
		s->xdp[i][0] = q.drv_prog_id;
		s->xdp[i][1] = q.skb_prog_id;
		s->xdp[i][2] = q.hw_prog_id;
		s->xdp[i][3] = q.attach_mode;
	}
}

static int state_same(const struct state *a, const struct state *b)
{
	int i;

	if (a->n != b->n || memcmp(a->xdp, b->xdp, sizeof(a->xdp)))
		return 0;
	for (i = 0; i < a->n && i < MAX_BINDINGS; i++)
		if (a->len[i] != b->len[i] ||
		    memcmp(a->bindings[i], b->bindings[i], a->len[i] - NLMSG_HDRLEN) ||
		    memcmp(&a->config[i], &b->config[i], sizeof(a->config[i])))
			return 0;
	return 1;
}

/* ---- Setup ---- */

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/*
 * A netdevsim port in this namespace (netdevsim creates it in the
 * writer's), with the offload object bound to it: the offload paths too.
 * Without netdevsim the fuzzer runs on the host modes alone.
 */
/* the highest ifindex in this namespace */
static unsigned int last_ifindex(void)
{
	struct if_nameindex *list = if_nameindex(), *i;
	unsigned int last = 0;

	for (i = list; i && i->if_index; i++)
		if (i->if_index > last)
			last = i->if_index;
	if (list)
		if_freenameindex(list);
	return last;
}

static void nsim_setup(void)
{
	char cmd[64], err[256] = "";
	unsigned int before = last_ifindex();
	int i, fd;

	fd = open("/sys/bus/netdevsim/new_device", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("# no netdevsim: host modes only\n");
		return;
	}
	w.nsim_id = 3000 + getpid() % 1000;
	snprintf(cmd, sizeof(cmd), "%d 1", w.nsim_id);
	if (write(fd, cmd, strlen(cmd)) < 0)
		w.nsim_id = 0;
	close(fd);
	/* its port appears here; /sys shows the namespace /sys was mounted in */
	for (i = 0; w.nsim_id && i < 50 && last_ifindex() == before; i++)
		usleep(100000);
	w.ifindex_nsim = last_ifindex() > before ? (int)last_ifindex() : 0;
	snprintf(cmd, sizeof(cmd), "ip link set dev %s up",
		 if_indextoname(w.ifindex_nsim, (char[IF_NAMESIZE]){ 0 }) ?: "none");
	if (!w.ifindex_nsim || sh(cmd) ||
	    segoff_obj_load(&w.off, getenv("SEGOFF_BPF_OBJ"), SEGOFF_MODE_OFFLOAD, w.ifindex_nsim,
			    0, err, sizeof(err))) {
		printf("# netdevsim%d: no usable port %s\n", w.nsim_id, err);
		w.ifindex_nsim = 0;
	}
}

static void nsim_teardown(void)
{
	char id[16];
	int fd;

	if (!w.nsim_id)
		return;
	segoff_obj_close(&w.off);
	fd = open("/sys/bus/netdevsim/del_device", O_WRONLY | O_CLOEXEC);
	snprintf(id, sizeof(id), "%d", w.nsim_id);
	if (fd < 0 || write(fd, id, strlen(id)) < 0)
		printf("# cannot delete netdevsim%d\n", w.nsim_id);
	if (fd >= 0)
		close(fd);
}


/* A child in a namespace of its own, holding it for DEV_FAR. */
static pid_t far_namespace(void)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

static int setup(char *why, size_t len)
{
	char cmd[256], err[256];
	int i, sock, pipefd[2];

	if (unshare(CLONE_NEWNET)) {
		snprintf(why, len, "unshare: %s", strerror(errno));
		return KSFT_SKIP;
	}
	w.nl = nl_open(&w.family);
	if (w.nl < 0) {
		snprintf(why, len, "segoff family: %s (is segoff.ko loaded?)", strerror(-w.nl));
		return KSFT_SKIP;
	}
	setsockopt(w.nl, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ .tv_sec = 10 },
		   sizeof(struct timeval));
	if (sh("ip link set lo up && ip link add " DEV0 " type veth peer name " DEV1 " && "
	       "ip link set " DEV0 " up && ip link set " DEV1 " up && "
	       "ip link add " DEV_FAR " type veth peer name fzfar1")) {
		snprintf(why, len, "cannot make veth devices");
		return 1;
	}
	nsim_setup();
	w.ifindex0 = if_nametoindex(DEV0);
	w.ifindex1 = if_nametoindex(DEV1);
	w.ifindex_far = if_nametoindex(DEV_FAR);
	w.far = far_namespace();
	snprintf(cmd, sizeof(cmd), "ip link set " DEV_FAR " netns %d", (int)w.far);
	if (w.far < 0 || sh(cmd)) {
		snprintf(why, len, "cannot move a device to another namespace");
		return 1;
	}
	for (i = 0; i < NOBJ; i++)
		if (segoff_obj_load(&w.obj[i], getenv("SEGOFF_BPF_OBJ"),
				    i ? SEGOFF_MODE_GENERIC : SEGOFF_MODE_NATIVE, w.ifindex0, 0,
				    err, sizeof(err))) {
			snprintf(why, len, "%s", err);
			return 1;
		}

	/* every kind of fd that is not what an attribute wants */
	add_fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
	add_fd(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	add_fd(sock);
	add_fd(w.nl);
	if (!pipe(pipefd)) {
		add_fd(pipefd[0]);
		add_fd(pipefd[1]);
	}
	add_fd(plain_prog(BPF_PROG_TYPE_SOCKET_FILTER, 0));
	add_fd(plain_prog(BPF_PROG_TYPE_XDP, XDP_PASS));
	add_fd(plain_prog(BPF_PROG_TYPE_SCHED_CLS, 0));
	add_fd(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, sizeof(struct segoff_config), 1, NULL));
	add_fd(bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 4, sizeof(struct segoff_config), 1, NULL));
	add_fd(bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, NULL, 4, sizeof(struct segoff_counters),
			      1, NULL));
	add_fd(bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, 4096, NULL));
	/* segoff's own maps through fds that may not write them */
	for (i = 0; i < 2; i++) {
		LIBBPF_OPTS(bpf_get_fd_by_id_opts, ro, .open_flags = i ? BPF_F_WRONLY : BPF_F_RDONLY);
		struct bpf_map_info info = {};
		uint32_t len = sizeof(info);

		if (!bpf_obj_get_info_by_fd(i ? w.obj[0].counters_fd : w.obj[0].config_fd, &info,
					    &len))
			add_fd(bpf_map_get_fd_by_id_opts(info.id, &ro));
	}
	return 0;
}

static void teardown(void)
{
	int i;

	for (i = 0; i < NOBJ; i++)
		segoff_obj_close(&w.obj[i]);
	nsim_teardown();
	if (w.far > 0) {
		kill(w.far, SIGKILL);
		waitpid(w.far, NULL, 0);
	}
	/* the namespace, its devices and their bindings end with this process */
}

/* ---- The loop ---- */

static int mutating(uint8_t cmd)
{
	return cmd == SEGOFF_CMD_DEV_ATTACH || cmd == SEGOFF_CMD_DEV_DETACH ||
	       cmd == SEGOFF_CMD_DEV_SET;
}

/* refusals the module (not the policy or the core) makes say why */
static int needs_extack(int err)
{
	return err == -EBUSY || err == -EEXIST || err == -ENOENT || err == -ENODEV ||
	       err == -EBADF;
}

int main(void)
{
	const char *seed_env = getenv("SEGOFF_FUZZ_SEED"), *secs_env = getenv("SEGOFF_FUZZ_SECONDS");
	unsigned long long seed;
	unsigned long n = 0, ok = 0, changed = 0;
	struct state before, after;
	struct timespec t0, t;
	char why[256], extack[EXTACK_LEN];
	int seconds, err, rc, nmsg, ifindexes[MAX_BINDINGS];
	uint32_t seq = 1;
	struct req r;
	uint8_t cmd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	seed = seed_env ? strtoull(seed_env, NULL, 0)
			: (unsigned long long)t0.tv_nsec ^ ((unsigned long long)getpid() << 32);
	seconds = secs_env ? atoi(secs_env) : 15;
	rng_state = seed ? seed : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	printf("# seed %llu (SEGOFF_FUZZ_SEED=%llu repeats it), %d s (SEGOFF_FUZZ_SECONDS)\n",
	       seed, seed, seconds);

	rc = setup(why, sizeof(why));
	if (rc) {
		printf("%s 1 netlink fuzz # %s%s\n", rc == KSFT_SKIP ? "ok" : "not ok",
		       rc == KSFT_SKIP ? "SKIP " : "", why);
		teardown();
		return rc;
	}

	/* the time limit is the fuzzing's, not the setup's (loads verify for seconds) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("# setup done: %s\n", w.ifindex_nsim ? "host and offload modes" : "host modes");
	state_take(&before);
	do {
		build(&r, &cmd);
		r.nh->nlmsg_seq = seq++;
		if (exchange(&r, &err, extack, sizeof(extack), ifindexes, &nmsg))
			failf("request %lu (cmd %u) got no proper answer", n, cmd);
		n++;
		if (!errno_allowed(err))
			failf("request %lu (cmd %u): errno %d (%s), extack '%s'", n, cmd, -err,
			      strerror(-err), extack);
		if (err && needs_extack(err) && !extack[0])
			failf("request %lu (cmd %u): %s without an extack message", n, cmd,
			      strerror(-err));
		ok += !err;
		state_take(&after);
		if (!state_same(&before, &after)) {
			changed++;
			if (err || !mutating(cmd))
				failf("request %lu (cmd %u, %s, '%s') changed the state", n, cmd,
				      err ? strerror(-err) : "succeeded", extack);
		}
		before = after;
		/* keep bindings from piling up: detach everything now and then */
		if (before.n && chance(5)) {
			req_init(&r, w.family, SEGOFF_CMD_DEV_DETACH, 0);
			put_u32(&r, SEGOFF_A_DEV_IFINDEX, chance(50) ? w.ifindex0 : w.ifindex1);
			r.nh->nlmsg_seq = seq++;
			exchange(&r, &err, extack, sizeof(extack), ifindexes, &nmsg);
			state_take(&before);
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (failures < 20 && t.tv_sec - t0.tv_sec < seconds);

	printf("# %lu requests, %lu succeeded, %lu changed the state\n", n, ok, changed);
	if (!changed)
		failf("no request ever changed the state: the fuzzer reaches nothing");
	teardown();
	printf("%s 1 netlink fuzz (seed %llu)\n", failures ? "not ok" : "ok", seed);
	return failures ? 1 : 0;
}
