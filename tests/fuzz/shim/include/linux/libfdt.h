/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: the real libfdt, from the kernel tree's scripts/dtc/libfdt. */
#include <kshim.h>
#include <libfdt.h>
