/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: no bounce buffers here (CONFIG_SWIOTLB is off). */
#include <kshim.h>
static inline unsigned long swiotlb_size_or_default(void) { return 64UL << 20; }
