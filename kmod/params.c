// SPDX-License-Identifier: GPL-2.0
/*
 * A request's parameters applied over a base: the defaults for DEV_ATTACH,
 * the binding's own for DEV_SET. netlink.c only parses the attributes;
 * binding.c merges them under its update lock, so that two requests never
 * start from the same copy of a binding's parameters.
 */
#include "segoff.h"

/* params.h's messages, prefixed like NL_SET_ERR_MSG_MOD() does */
static const char *const segoff_param_msgs[] = {
#define SEGOFF_PARAM_MSG(code, msg) \
	[(code)] = KBUILD_MODNAME ": " msg,
	SEGOFF_PARAM_ERRORS(SEGOFF_PARAM_MSG)
#undef SEGOFF_PARAM_MSG
};

/*
 * @p: the base, and the result on success. params.h's one policy merges
 * (the scale follows a change of arith unless given) and checks.
 */
int segoff_params_apply(struct segoff_params *p, const struct segoff_params_req *req,
			struct segoff_config *c, struct netlink_ext_ack *extack)
{
	int err = segoff_params_merge(p, &req->v, req->given, c);

	if (err == SEGOFF_PARAM_OK)
		return 0;
	/* what NL_SET_ERR_MSG_MOD() does, for literals it cannot take one by one */
	if (extack)
		extack->_msg = segoff_param_msgs[err];
	NL_SET_BAD_ATTR(extack, req->nest);
	return -EINVAL;
}
