/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SEGOFF_FAULT_H
#define _SEGOFF_FAULT_H

#include <linux/types.h>

/* fault.c: deliberate defects, off unless a test turns them on */
bool segoff_fault_leak_binding(void);

#endif
