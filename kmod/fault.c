// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate defects, for tests only: they prove that the debug kernel's
 * checkers (check-debug, selftests/vm/defect.sh) report what they are
 * meant to, rather than passing because nothing was looked at. Every
 * knob is off unless a test writes it, as root:
 *
 *   /sys/module/segoff/parameters/fault_leak_binding
 *	Y: a released binding is not freed, once its references are put;
 *	kmemleak must then report the unreferenced object.
 */
#include <linux/moduleparam.h>
#include "fault.h"

static bool fault_leak_binding;
module_param(fault_leak_binding, bool, 0600);
MODULE_PARM_DESC(fault_leak_binding, "test only: leak every released binding (kmemleak must see it)");

bool segoff_fault_leak_binding(void)
{
	return READ_ONCE(fault_leak_binding);
}
