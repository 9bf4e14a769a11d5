// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * inject dev IF: frames every window of a data file, sends the frames out
 * of IF and checks every verdict that comes back on IF2 (rx, default IF)
 * against the reference. Lost or wrong verdicts make it fail.
 *
 * Frames go out through one AF_PACKET socket and come back through
 * another. At most INFLIGHT_MAX windows wait for a verdict at any time:
 * below veth's 256-frame XDP ring and far below the receive buffer, so a
 * loss is the data path's doing, not ours. A window unanswered after the
 * timeout is written off (its verdict still counts if it comes), so a
 * lossy path cannot stall the run; a silent one ends it.
 *
 * batch N sends stream frames of N samples instead, overlapping by 15 so
 * that every window is answered once; the last frame holds what is left.
 * The answers may come back on IF itself (reply tx on the far side).
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "client.h"
#include "tool.h"

#define INFLIGHT_MAX	64	/* frames */
#define RCVBUF_BYTES	(4 << 20)
#define RX_FRAME_MAX	4096	/* a stream frame fills a page */
#define MISMATCH_SHOWN	10	/* mismatches reported one by one */
#define NSEC		1000000000LL
#define PROGRESS_TTY_NS	NSEC
#define PROGRESS_LOG_NS	(10 * NSEC)	/* when stderr is a log, not a terminal */

struct inject {
	const char *dev, *rx_dev, *path, *plot;
	struct tool_params tp;
	uint32_t rate;			/* frames per second, 0: as fast as verdicts return */
	uint32_t batch;			/* samples per stream frame, 0: single frames */
	uint32_t series;		/* the stream frames' series id */
	double timeout;			/* seconds without a verdict before giving up */
	struct segoff_config c;
	struct segoff_data d;
	struct segoff_addr addr;
	int tx_fd, rx_fd, tx_ifindex, rx_ifindex;
	struct tool_cuts cuts;		/* cuts.tag: the verdicts received */
	long long *sent_at;		/* per window, CLOCK_MONOTONIC ns */
	size_t sent, received, mismatched;
	size_t oldest;			/* windows before it are answered or written off */
	size_t outstanding;		/* sent, neither answered nor written off */
	long long timeout_ns, start, last_progress, last_verdict;
};

static const struct tool_opt inject_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct inject, dev, TOOL_OPT_REQUIRED),
	TOOL_OPT("rx", "IF2", TOOL_OPT_STR, struct inject, rx_dev),
	TOOL_OPT("file", "FILE", TOOL_OPT_STR, struct inject, path, TOOL_OPT_REQUIRED),
	TOOL_OPT_PARAMS_OF(struct inject, tp, SEGOFF_PARAM_F_ALL),
	TOOL_OPT("rate", "PPS", TOOL_OPT_U32, struct inject, rate, 0, 1, UINT32_MAX),
	TOOL_OPT("batch", "N", TOOL_OPT_U32, struct inject, batch, 0, SEGOFF_SAMPLES,
		 SEGOFF_STREAM_MAX_FIXED),
	TOOL_OPT("timeout", "S", TOOL_OPT_SECONDS, struct inject, timeout),
	TOOL_OPT("plot", "OUT.svg", TOOL_OPT_STR, struct inject, plot),
	TOOL_OPT_END
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* @dev's binding's parameters in *@p: 1, 0 when it has none, -1 after printing */
static int bound_params(const char *dev, struct segoff_params *p)
{
	struct client_bindings bs;
	char object[IF_NAMESIZE + 24];
	int err;

	err = client_dev_get(dev, &bs);
	if (!err)
		*p = bs.v[0].p;
	client_bindings_free(&bs);
	/* a missing device is for the sockets to report */
	if (err == -ENOENT || err == -ENODEV)
		return 0;
	if (err) {
		snprintf(object, sizeof(object), "the binding of %s", dev);
		client_perror("get", object);
		return -1;
	}
	return 1;
}

static int params_equal(const struct segoff_params *a, const struct segoff_params *b)
{
#define SAME(field, attr, min, max, code) a->field == b->field &&
	return SEGOFF_PARAMS(SAME) 1;
#undef SAME
}

/*
 * The one place that decides the parameters the verdicts are checked
 * against: they must be the ones the program runs with, so those not
 * given are the binding's. The program sits where the frames come in:
 * on rx if it has a binding (the seed's cabling, `dev ens160np0 rx
 * ens160np1`), else on dev. Bindings on both with different parameters
 * leave no way to know which one answers: say so and stop.
 */
static int resolve_params(struct inject *in)
{
	struct segoff_params on_dev, on_rx;
	char a[160], b[160];
	int dev_bound, rx_bound = 0;

	dev_bound = bound_params(in->dev, &on_dev);
	if (dev_bound < 0)
		return -1;
	if (strcmp(in->rx_dev, in->dev)) {
		rx_bound = bound_params(in->rx_dev, &on_rx);
		if (rx_bound < 0)
			return -1;
	}
	client_close();
	if (dev_bound && rx_bound && !params_equal(&on_dev, &on_rx)) {
		fprintf(stderr, "Unable to choose parameters: dev %s and rx %s have bindings with "
			"different ones\n  %s: %s\n  %s: %s\n", in->dev, in->rx_dev, in->dev,
			tool_params_str(&on_dev, a, sizeof(a)), in->rx_dev,
			tool_params_str(&on_rx, b, sizeof(b)));
		return -1;
	}
	return tool_params_config(&in->tp, rx_bound ? &on_rx : dev_bound ? &on_dev : NULL,
				  &in->c);
}

static int resolve_dev(const char *name, int *ifindex)
{
	*ifindex = (int)if_nametoindex(name);
	if (!*ifindex) {
		fprintf(stderr, "Unable to find device %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static int packet_socket(const char *name, int ifindex, uint16_t proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = ifindex,
	};
	int fd;

	/* protocol 0 until bound: nothing from other devices is queued meanwhile */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "Unable to open packet socket: %s%s\n", strerror(errno),
			errno == EPERM ? " (inject needs CAP_NET_RAW)" : "");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "Unable to bind packet socket to %s: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int open_sockets(struct inject *in)
{
	int one = 1, rcvbuf = RCVBUF_BYTES;
	struct ifreq ifr = { 0 };

	if (resolve_dev(in->dev, &in->tx_ifindex) || resolve_dev(in->rx_dev, &in->rx_ifindex))
		return -1;
	in->rx_fd = packet_socket(in->rx_dev, in->rx_ifindex, ETH_P_ALL);
	if (in->rx_fd < 0)
		return -1;
	/* FORCE needs CAP_NET_ADMIN; without it take what rmem_max allows */
	if (setsockopt(in->rx_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(in->rx_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* our own requests would double the receive load; recv_verdicts() still checks */
	setsockopt(in->rx_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));

	in->tx_fd = packet_socket(in->dev, in->tx_ifindex, 0);
	if (in->tx_fd < 0)
		return -1;
	strncpy(ifr.ifr_name, in->dev, IFNAMSIZ - 1);
	if (ioctl(in->tx_fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "Unable to read the address of %s: %s\n", in->dev, strerror(errno));
		return -1;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		fprintf(stderr, "Unable to use %s: not an Ethernet device\n", in->dev);
		return -1;
	}
	memcpy(in->addr.src_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

/* RFC 2544 benchmarking addresses: the frames never leave our namespaces */
static void default_addr(struct inject *in)
{
	memset(in->addr.dst_mac, 0xff, ETH_ALEN);
	inet_pton(AF_INET, "198.18.0.1", &in->addr.src4);
	inet_pton(AF_INET, "198.18.0.2", &in->addr.dst4);
	in->addr.sport = SEGOFF_DEFAULT_PORT;
	in->addr.dport = (uint16_t)in->tp.p.port;
}

static void check_verdict(struct inject *in, const struct segoff_reply *r)
{
	static const char *const names[] = { "request", "split", "nosplit", "invalid" };
	size_t w = (size_t)r->seq;
	int why, ref;

	ref = segoff_ref_window(in->d.x + w, &in->c, &why);
	if ((int)r->tag == ref && r->csum_ok)
		return;
	if (in->mismatched++ < MISMATCH_SHOWN) {
		if (!r->csum_ok)
			fprintf(stderr, "window %zu: bad UDP checksum\n", w);
		else
			fprintf(stderr, "window %zu: verdict %s, reference %s\n", w,
				r->tag < 4 ? names[r->tag] : "unknown", names[ref]);
	}
}

/* A verdict for window @w, the first one: 1, else 0. */
static int take_verdict(struct inject *in, size_t w, uint64_t tag, int csum_ok)
{
	struct segoff_reply r = { .tag = tag, .seq = w, .csum_ok = csum_ok };

	/* requests (tag 0), strangers and repeats are not verdicts */
	if (!tag || w >= in->sent || in->cuts.tag[w])
		return 0;
	in->cuts.tag[w] = (uint8_t)(tag <= SEGOFF_TAG_INVALID ? tag : 0xff);
	check_verdict(in, &r);
	in->received++;
	if (w >= in->oldest)
		in->outstanding--;
	return 1;
}

/* The verdicts of an answered stream frame of ours: how many were new. */
static size_t take_stream(struct inject *in, const uint8_t *buf, size_t len)
{
	struct segoff_stream_reply r;
	size_t fresh = 0, j;

	if (segoff_stream_parse(buf, len, in->addr.dport, &r) || r.series != in->series ||
	    r.status == SEGOFF_STREAM_REQUEST)
		return 0;
	if (r.status != SEGOFF_STREAM_ANSWERED) {
		if (in->mismatched++ < MISMATCH_SHOWN)
			fprintf(stderr, "windows %llu..: stream frame of %u samples refused\n",
				(unsigned long long)r.first, r.count);
		return 0;
	}
	for (j = 0; j < r.windows; j++)
		fresh += take_verdict(in, r.first + j, r.verdict[j], r.csum_ok);
	return fresh;
}

/* Drains the receive queue; returns how many new verdicts it held. */
static size_t recv_verdicts(struct inject *in)
{
	uint8_t buf[RX_FRAME_MAX];
	struct sockaddr_ll from;
	struct segoff_reply r;
	socklen_t fromlen;
	size_t fresh = 0;
	ssize_t len;

	for (;;) {
		fromlen = sizeof(from);
		len = recvfrom(in->rx_fd, buf, sizeof(buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &fromlen);
		if (len < 0)
			break;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (in->batch)
			fresh += take_stream(in, buf, (size_t)len);
		else if (!segoff_frame_parse(buf, (size_t)len, in->addr.dport,
					     segoff_cfg_encoding(&in->c), &r))
			fresh += take_verdict(in, r.seq, r.tag, r.csum_ok);
	}
	if (fresh)
		in->last_verdict = now_ns();
	return fresh;
}

/* Waits until @deadline (ns) for at least one new verdict; returns how many came. */
static size_t wait_verdicts(struct inject *in, long long deadline)
{
	struct pollfd pfd = { .fd = in->rx_fd, .events = POLLIN };
	long long left;
	size_t fresh;

	for (;;) {
		fresh = recv_verdicts(in);
		left = deadline - now_ns();
		if (fresh || left <= 0)
			return fresh;
		poll(&pfd, 1, (int)((left + 999999) / 1000000));
	}
}

/* Writes off the windows unanswered for the timeout; returns how many. */
static size_t expire(struct inject *in, long long t)
{
	size_t n = 0;

	for (; in->oldest < in->sent; in->oldest++) {
		if (in->cuts.tag[in->oldest])
			continue;
		if (t - in->sent_at[in->oldest] < in->timeout_ns)
			break;
		in->outstanding--;
		n++;
	}
	return n;
}

static void progress(struct inject *in, int done)
{
	long long t = now_ns();

	if (!done && t - in->last_progress <
	    (isatty(STDERR_FILENO) ? PROGRESS_TTY_NS : PROGRESS_LOG_NS))
		return;
	if (!done || in->last_progress != in->start)
		fprintf(stderr, "%s: %zu/%zu sent, %zu verdicts%s", prog_name, in->sent,
			in->cuts.windows, in->received,
			done ? "\n" : isatty(STDERR_FILENO) ? "\r" : "\n");
	in->last_progress = t;
}

/* The next frame: one window, or a stream frame of up to batch samples. */
static int send_window(struct inject *in)
{
	uint8_t frame[RX_FRAME_MAX];
	size_t len, w = 1, i;
	long long deadline, t;

	if (in->batch) {
		w = in->cuts.windows - in->sent;
		if (w > in->batch - (SEGOFF_SAMPLES - 1))
			w = in->batch - (SEGOFF_SAMPLES - 1);
		len = segoff_stream_build(frame, &in->addr, in->d.x + in->sent,
					  (uint32_t)(w + SEGOFF_SAMPLES - 1), &in->c, in->series,
					  in->sent);
	} else {
		len = segoff_frame_build(frame, &in->addr, in->d.x + in->sent, &in->c, in->sent);
	}
	deadline = now_ns() + in->timeout_ns;
	/* a full device queue drops the frame: wait for it to drain instead */
	while (send(in->tx_fd, frame, len, 0) < 0) {
		if ((errno != ENOBUFS && errno != EAGAIN) || now_ns() > deadline) {
			fprintf(stderr, "Unable to send window %zu on %s: %s\n", in->sent, in->dev,
				strerror(errno));
			return -1;
		}
		wait_verdicts(in, now_ns() + NSEC / 1000);
	}
	t = now_ns();
	for (i = 0; i < w; i++)
		in->sent_at[in->sent++] = t;
	in->outstanding += w;
	return 0;
}

static int run(struct inject *in)
{
	long long t, due;

	in->start = in->last_progress = in->last_verdict = now_ns();
	while (in->sent < in->cuts.windows) {
		recv_verdicts(in);
		t = now_ns();
		if (expire(in, t) && t - in->last_verdict >= in->timeout_ns) {
			fprintf(stderr, "%s: no verdict for %g s: giving up after %zu of %zu windows\n",
				prog_name, in->timeout, in->sent, in->cuts.windows);
			break;
		}
		if (in->outstanding >= INFLIGHT_MAX * (in->batch ? in->batch : 1)) {
			wait_verdicts(in, in->sent_at[in->oldest] + in->timeout_ns);
			continue;
		}
		if (in->rate) {
			due = in->start + (long long)((double)in->sent * NSEC / in->rate);
			if (t < due) {
				wait_verdicts(in, due);
				continue;
			}
		}
		if (send_window(in))
			return -1;
		progress(in, 0);
	}
	while (in->received < in->sent && wait_verdicts(in, now_ns() + in->timeout_ns))
		;
	progress(in, 1);
	return 0;
}

static void report(struct inject *in)
{
	size_t lost = in->sent - in->received;

	if (tool_json) {
		json_obj_open(NULL);
		tool_cuts_json(&in->cuts);
		json_u64("sent", in->sent);
		json_u64("received", in->received);
		json_u64("lost", lost);
		json_u64("mismatched", in->mismatched);
		json_obj_close();
	} else {
		tool_cuts_print(&in->cuts);
		printf("%zu sent, %zu received, %zu lost, %zu mismatched\n", in->sent,
		       in->received, lost, in->mismatched);
	}
}

/* the verdicts as they came back, lost windows included */
static int plot(const struct inject *in)
{
	char source[PATH_MAX + 2 * IF_NAMESIZE + 16];

	if (strcmp(in->dev, in->rx_dev))
		snprintf(source, sizeof(source), "%s through %s, back on %s", basename(in->path),
			 in->dev, in->rx_dev);
	else
		snprintf(source, sizeof(source), "%s through %s", basename(in->path), in->dev);
	return tool_cuts_plot(&in->cuts, in->d.x, in->d.n, source, in->plot);
}

int inject_main(int argc, char **argv)
{
	struct inject in = { .timeout = 2, .tx_fd = -1, .rx_fd = -1 };
	int ret = 1;

	ret = tool_opts_parse(inject_opts, &in, argc, argv);
	if (ret)
		return ret < 0;
	ret = 1;
	if (!in.rx_dev)
		in.rx_dev = in.dev;
	if (resolve_params(&in) || tool_read_windows(in.path, &in.d))
		return 1;
	in.cuts.windows = in.d.n - SEGOFF_SAMPLES + 1;
	in.cuts.p = &in.tp.p;
	in.cuts.tag = calloc(in.cuts.windows, 1);
	in.sent_at = calloc(in.cuts.windows, sizeof(*in.sent_at));
	in.timeout_ns = (long long)(in.timeout * NSEC);
	if (!in.cuts.tag || !in.sent_at) {
		perror("Unable to allocate verdicts");
		goto out;
	}
	default_addr(&in);
	in.series = (uint32_t)getpid();
	if (in.batch && segoff_stream_len(&in.addr, in.batch, &in.c) > RX_FRAME_MAX) {
		fprintf(stderr, "Unable to use batch %u: its frames would not fit a page\n", in.batch);
		goto out;
	}
	if (open_sockets(&in) || run(&in))
		goto out;
	report(&in);
	if (in.mismatched > MISMATCH_SHOWN)
		fprintf(stderr, "%zu mismatches not shown\n", in.mismatched - MISMATCH_SHOWN);
	ret = in.sent != in.cuts.windows || in.received != in.sent || in.mismatched;
	if (in.plot && plot(&in))
		ret = 1;
out:
	if (in.tx_fd >= 0)
		close(in.tx_fd);
	if (in.rx_fd >= 0)
		close(in.rx_fd);
	free(in.cuts.tag);
	free(in.sent_at);
	segoff_data_free(&in.d);
	return ret;
}
