/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: see tests/fuzz/shim/kshim.h */
#include <kshim.h>
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL		0x0001
#define F_SEAL_SHRINK		0x0002
#define F_SEAL_GROW		0x0004
#define F_SEAL_WRITE		0x0008
#define F_SEAL_FUTURE_WRITE	0x0010
#define F_SEAL_EXEC		0x0020
#endif
