/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The "segoff" generic netlink family from userspace (libnl-3): one
 * helper to connect, one to send a request and wait for its answer, with
 * the kernel's extended ack kept for the error message. Only client.c
 * uses it.
 */
#ifndef _SEGOFF_NL_H
#define _SEGOFF_NL_H

#include <stdint.h>
#include <netlink/genl/genl.h>
#include <linux/segoff.h>
#include <segoff/params.h>

#define SNL_EXTACK_LEN 256

struct snl_ctx {
	struct nl_sock *sk;
	int family;
	int err;			/* -errno of the last request */
	char extack[SNL_EXTACK_LEN];	/* and the kernel's word on it */
};

/* Connects and resolves the family; -ENOENT when segoff.ko is not loaded. Prints nothing. */
int snl_connect(struct snl_ctx *ctx);
void snl_close(struct snl_ctx *ctx);

/* A request for @cmd on the family, @flags e.g. NLM_F_DUMP; NULL on ENOMEM. */
struct nl_msg *snl_request(struct snl_ctx *ctx, uint8_t cmd, int flags);

/* the attributes of a message of the family, into tb[0..max] */
int snl_parse(struct nl_msg *msg, struct nlattr **tb, int max);

/*
 * Sends @msg (consumed) and handles every answer with @parse until the
 * ack, the error or the end of a dump. A dump interrupted by a change of
 * the bindings is asked again, after @reset(@arg). Returns 0 or -errno,
 * the extack in ctx->extack.
 */
int snl_transact(struct snl_ctx *ctx, struct nl_msg *msg, int (*parse)(struct nl_msg *, void *),
		void (*reset)(void *), void *arg);

/* Puts the SEGOFF_A_PARAMS_* that @given names (SEGOFF_PARAM_F()) as a nest. */
int snl_put_params(struct nl_msg *msg, const struct segoff_params *p, unsigned int given);
/* The params nest of a reply; -EINVAL if incomplete. */
int snl_get_params(struct nlattr *nest, struct segoff_params *p);

#endif /* _SEGOFF_NL_H */
