/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz shim: no kernel image here, nothing is the kernel's read-only data. */
#ifndef KF_ASM_SECTIONS_H
#define KF_ASM_SECTIONS_H

#include <stdbool.h>

static inline bool is_kernel_rodata(unsigned long addr)
{
	return false;
}

#endif
