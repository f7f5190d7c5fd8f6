/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: see tests/fuzz/shim/kshim.h */
#include <kshim.h>
#ifndef MFD_ALLOW_SEALING
#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#endif
