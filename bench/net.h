/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The veth pair the rate and latency phases share:
 *
 *   netns sgb-tx-PID           netns sgb-rx-PID
 *   sgb0 (sender, prober) <--> sgb1 (native XDP under test)
 *
 * Both namespaces go on every way out: exit, atexit, or a fatal signal.
 */
#ifndef _SEGOFF_BENCH_NET_H
#define _SEGOFF_BENCH_NET_H

#include <stdint.h>
#include <sys/types.h>

struct bench_net {
	char tx_ns[32], rx_ns[32];
	int tx_fd, rx_fd, home_fd;	/* namespace fds for setns() */
	int tx_ifindex, rx_ifindex;
	uint8_t rx_mac[6];
};

int bench_net_up(struct bench_net *n);
/* runs `ip|tc [-n NS] ARGS...`; 0 or -1 after printing the command */
int bench_net_cmd(const char *tool, const char *ns, ...) __attribute__((sentinel));
/* setns() into @fd, or back home with @n->home_fd */
int bench_net_enter(int fd);
/* native XDP on sgb1, or on sgb0 with @sender (@prog_fd < 0 detaches) */
int bench_net_xdp(const struct bench_net *n, int sender, int prog_fd);
/* sgb1's rx_packets and rx_dropped, as rtnetlink reports them */
int bench_net_rx(const struct bench_net *n, uint64_t *rx_packets, uint64_t *rx_dropped);
/* a child that the cleanup kills too */
void bench_net_own_child(pid_t pid);
void bench_net_down(void);

#endif /* _SEGOFF_BENCH_NET_H */
