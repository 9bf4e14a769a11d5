// SPDX-License-Identifier: GPL-2.0
/*
 * segoff.ko: holds XDP attachments of the segoff program (ANOVA state
 * segmentation in the data path) for userspace, over generic netlink.
 */
#include <linux/module.h>
#include "segoff.h"

static int __init segoff_init(void)
{
	int err;

	err = segoff_bindings_init();
	if (err)
		return err;
	err = segoff_genl_register();
	if (err)
		goto err_bindings;
	return 0;

err_bindings:
	segoff_bindings_exit();
	return err;
}

static void __exit segoff_exit(void)
{
	segoff_bindings_drop_all();
	segoff_genl_unregister();
	segoff_bindings_exit();
}

module_init(segoff_init);
module_exit(segoff_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ANOVA state segmentation in XDP: attachments and counters");
MODULE_ALIAS_GENL_FAMILY(SEGOFF_FAMILY_NAME);
