/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * segoff-nl's kernel I/O, all of it, as wireguard-tools keeps it in ipc.c:
 * the subcommands parse their arguments, call one of these and print. A
 * binding is held either by segoff.ko (generic netlink) or, where the
 * module is not loaded or `pin` asks for it, by a BPF link pinned in bpffs
 * with its maps (pinned.c); both look the same from here.
 *
 * Every call returns 0 or -errno; client_perror() then prints the failure
 * as "Unable to <verb> <object>: <strerror>" and "kernel: <extack>".
 */
#ifndef _SEGOFF_CLIENT_H
#define _SEGOFF_CLIENT_H

#include <net/if.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "libsegoff.h"

enum client_kind {
	CLIENT_MODULE,		/* segoff.ko holds it */
	CLIENT_PINNED,		/* a pinned BPF link holds it */
};

struct client_binding {
	uint32_t ifindex, mode, prog_id, config_id, counters_id;
	char ifname[IF_NAMESIZE];
	uint64_t attach_time;		/* CLOCK_REALTIME ns */
	struct segoff_params p;
	int kind;			/* enum client_kind */
};

struct client_bindings {
	struct client_binding *v;
	size_t n, cap;
};

struct client_stats {
	uint32_t ifindex, mode, prog_id;
	char ifname[IF_NAMESIZE];
	int kind;
	uint64_t v[SEGOFF_A_STATS_MAX + 1];	/* by SEGOFF_A_STATS_ attribute */
};

/*
 * The attribute of word @w of struct segoff_counters: they follow its
 * order from SEGOFF_A_STATS_FRAMES, stepping over SEGOFF_A_STATS_PAD.
 */
static inline int client_counter_attr(size_t w)
{
	int attr = SEGOFF_A_STATS_FRAMES + (int)w;

	return attr >= SEGOFF_A_STATS_PAD ? attr + 1 : attr;
}

struct client_stats_list {
	struct client_stats *v;
	size_t n, cap;
};

struct client_attach {
	const char *dev;
	const char *obj;		/* NULL: the built-in object */
	uint32_t mode;			/* enum segoff_mode */
	int replace;
	int pin;			/* a pinned binding even with segoff.ko loaded */
	struct segoff_params p;
	unsigned int given;		/* SEGOFF_PARAM_F(): only these are sent */
	/* out: the program attached, from its bpf_prog_info */
	uint32_t prog_id, xlated_insns, jited_bytes;
};

struct client_event {
	int attach;			/* else detach */
	uint32_t ifindex, mode, reason;
	char ifname[IF_NAMESIZE];
};

/* @dev's binding (-ENOENT: none), or every binding of this namespace (@dev NULL) */
int client_dev_get(const char *dev, struct client_bindings *out);
int client_dev_attach(struct client_attach *a);
int client_dev_detach(const char *dev);
/* merges what @given names into the binding's parameters */
int client_dev_set(const char *dev, const struct segoff_params *p, unsigned int given);
int client_stats_get(const char *dev, struct client_stats_list *out);
/*
 * Calls @cb for every attach and detach event of segoff.ko until *@stop
 * (set by a signal handler) or an error; pinned bindings have no events.
 */
int client_events(int (*cb)(const struct client_event *e, void *arg), void *arg,
		  volatile sig_atomic_t *stop);

void client_bindings_free(struct client_bindings *b);
void client_stats_free(struct client_stats_list *s);

/* the last failure, as the error format says */
void client_perror(const char *verb, const char *object);
/* the bpffs directory of @dev's pinned binding */
const char *client_pin_dir(const char *dev, char *buf, size_t len);
const char *client_kind_name(int kind);
void client_close(void);

/* ---- between client.c and its backends ---- */

struct client_error {
	int err;
	char extack[256];		/* the kernel's word, printed as "kernel: ..." */
	char note[256];			/* the tool's own, on a line of its own */
	char msg[256];			/* replaces the "Unable to" line (the loader's) */
};

extern struct client_error client_err;
int client_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct client_binding *client_bindings_add(struct client_bindings *b);
struct client_stats *client_stats_add(struct client_stats_list *s);

int pinned_exists(const char *dev);
int pinned_get(const char *dev, struct client_binding *b);
int pinned_list(struct client_bindings *out);
int pinned_attach(struct client_attach *a);
/* fills @a's program fields from @prog_fd */
void client_prog_info(struct client_attach *a, int prog_fd);
int pinned_detach(const char *dev);
int pinned_set(const char *dev, const struct segoff_params *p, unsigned int given);
int pinned_stats(const char *dev, struct client_stats *s);
int pinned_stats_list(struct client_stats_list *out);

#endif /* _SEGOFF_CLIENT_H */
