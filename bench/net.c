// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The bench's two namespaces and their veth pair, see net.h. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <bpf/libbpf.h>
#include "net.h"

#define TX_IF	"sgb0"
#define RX_IF	"sgb1"

/* what the cleanup needs, kept where a signal handler can reach it */
static struct {
	char ip[32];
	char ns[2][32];
	int made[2];
	pid_t child;
} live;

static const char *find_tool(const char *tool, char *buf, size_t len)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, len, "%s/%s", dirs[i], tool);
		if (!access(buf, X_OK))
			return buf;
	}
	return NULL;
}

/* async-signal-safe: fork, execve and waitpid only */
static void del_ns(const char *ns)
{
	char *const argv[] = { live.ip, "netns", "del", (char *)ns, NULL };
	char *const envp[] = { NULL };
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(live.ip, argv, envp);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

void bench_net_down(void)
{
	int i;

	if (live.child > 0) {
		kill(live.child, SIGKILL);
		waitpid(live.child, NULL, 0);
		live.child = 0;
	}
	for (i = 0; i < 2; i++) {
		if (live.made[i])
			del_ns(live.ns[i]);
		live.made[i] = 0;
	}
}

static void on_signal(int sig)
{
	bench_net_down();
	signal(sig, SIG_DFL);
	raise(sig);
}

void bench_net_own_child(pid_t pid)
{
	live.child = pid;
}

int bench_net_cmd(const char *tool, const char *ns, ...)
{
	char path[64], line[512];
	const char *argv[32];
	int argc = 0, status;
	size_t off = 0;
	va_list ap;
	pid_t pid;

	if (!find_tool(tool, path, sizeof(path))) {
		fprintf(stderr, "segoff-bench: %s not found (iproute2)\n", tool);
		return -1;
	}
	argv[argc++] = tool;
	if (ns) {
		argv[argc++] = "-n";
		argv[argc++] = ns;
	}
	va_start(ap, ns);
	while (argc < 31 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	for (argc = 0; argv[argc] && off < sizeof(line); argc++)
		off += snprintf(line + off, sizeof(line) - off, " %s", argv[argc]);
	fprintf(stderr, "segoff-bench: failed:%s\n", line);
	return -1;
}

int bench_net_enter(int fd)
{
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "segoff-bench: Unable to enter netns: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int open_ns(const char *ns)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "segoff-bench: Unable to open %s: %s\n", path, strerror(errno));
	return fd;
}

/* @ifname's index, and its MAC address unless @mac is NULL */
static int link_info(int ns_fd, const char *ifname, int *ifindex, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int s, ret = -1;

	if (bench_net_enter(ns_fd))
		return -1;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (s >= 0 && (!mac || !ioctl(s, SIOCGIFHWADDR, &ifr))) {
		if (mac)
			memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
		*ifindex = if_nametoindex(ifname);
		ret = *ifindex ? 0 : -1;
	}
	if (ret)
		fprintf(stderr, "segoff-bench: Unable to read %s: %s\n", ifname, strerror(errno));
	if (s >= 0)
		close(s);
	return ret;
}

int bench_net_up(struct bench_net *n)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	if (!find_tool("ip", live.ip, sizeof(live.ip))) {
		fprintf(stderr, "segoff-bench: ip not found (iproute2)\n");
		return -1;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(bench_net_down);

	snprintf(n->tx_ns, sizeof(n->tx_ns), "sgb-tx-%d", (int)getpid());
	snprintf(n->rx_ns, sizeof(n->rx_ns), "sgb-rx-%d", (int)getpid());
	n->tx_fd = n->rx_fd = -1;
	n->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->home_fd < 0)
		return -1;
	memcpy(live.ns[0], n->tx_ns, sizeof(live.ns[0]));
	memcpy(live.ns[1], n->rx_ns, sizeof(live.ns[1]));
	/* marked first: a failed `add` may still have left a name behind */
	live.made[0] = 1;
	if (bench_net_cmd("ip", NULL, "netns", "add", n->tx_ns, NULL))
		return -1;
	live.made[1] = 1;
	if (bench_net_cmd("ip", NULL, "netns", "add", n->rx_ns, NULL) ||
	    bench_net_cmd("ip", n->tx_ns, "link", "add", TX_IF, "type", "veth",
			  "peer", "name", RX_IF, "netns", n->rx_ns, NULL) ||
	    bench_net_cmd("ip", n->tx_ns, "addr", "add", "10.199.0.1/24", "dev", TX_IF, NULL) ||
	    bench_net_cmd("ip", n->rx_ns, "addr", "add", "10.199.0.2/24", "dev", RX_IF, NULL) ||
	    bench_net_cmd("ip", n->tx_ns, "link", "set", TX_IF, "up", NULL) ||
	    bench_net_cmd("ip", n->rx_ns, "link", "set", RX_IF, "up", NULL))
		return -1;
	n->tx_fd = open_ns(n->tx_ns);
	n->rx_fd = open_ns(n->rx_ns);
	if (n->tx_fd < 0 || n->rx_fd < 0 ||
	    link_info(n->tx_fd, TX_IF, &n->tx_ifindex, NULL) ||
	    link_info(n->rx_fd, RX_IF, &n->rx_ifindex, n->rx_mac))
		return -1;
	return bench_net_enter(n->home_fd);
}

int bench_net_xdp(const struct bench_net *n, int sender, int prog_fd)
{
	int ifindex = sender ? n->tx_ifindex : n->rx_ifindex, err;

	if (bench_net_enter(sender ? n->tx_fd : n->rx_fd))
		return -1;
	if (prog_fd >= 0)
		err = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL);
	else
		err = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		fprintf(stderr, "segoff-bench: Unable to %s XDP on %s: %s\n",
			prog_fd >= 0 ? "attach" : "detach", sender ? TX_IF : RX_IF, strerror(-err));
	if (bench_net_enter(n->home_fd))
		return -1;
	return err ? -1 : 0;
}

int bench_net_rx(const struct bench_net *n, uint64_t *rx_packets, uint64_t *rx_dropped)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh.nlmsg_len = sizeof(req),
		.nh.nlmsg_type = RTM_GETLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = n->rx_ifindex,
	};
	static char buf[16384];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	int s, len, alen;

	if (bench_net_enter(n->rx_fd))
		return -1;
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (bench_net_enter(n->home_fd) || s < 0)
		return -1;
	len = -1;
	if (send(s, &req, sizeof(req), 0) == sizeof(req))
		len = recv(s, buf, sizeof(buf), 0);
	close(s);
	if (len < (int)NLMSG_LENGTH(sizeof(struct ifinfomsg)) || !NLMSG_OK(nh, (unsigned int)len) ||
	    nh->nlmsg_type != RTM_NEWLINK) {
		fprintf(stderr, "segoff-bench: Unable to read %s statistics\n", RX_IF);
		return -1;
	}
	alen = IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(NLMSG_DATA(nh)); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
		struct rtnl_link_stats64 st;

		if (rta->rta_type != IFLA_STATS64 || RTA_PAYLOAD(rta) < sizeof(st))
			continue;
		memcpy(&st, RTA_DATA(rta), sizeof(st));
		*rx_packets = st.rx_packets;
		*rx_dropped = st.rx_dropped;
		return 0;
	}
	fprintf(stderr, "segoff-bench: no IFLA_STATS64 for %s\n", RX_IF);
	return -1;
}
