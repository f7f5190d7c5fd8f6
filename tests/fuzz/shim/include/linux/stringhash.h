/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: see tests/fuzz/shim/kshim.h */
#include <kshim.h>
