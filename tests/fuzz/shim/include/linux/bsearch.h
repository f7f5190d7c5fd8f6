/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: the C library's bsearch(), which the kernel's matches. */
#include <kshim.h>
