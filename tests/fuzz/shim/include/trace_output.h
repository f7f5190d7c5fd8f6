/* SPDX-License-Identifier: GPL-2.0 */
/* Shim for kernel/trace/trace.h: see tests/fuzz/shim/kshim_trace.h */
#include <kshim.h>
#include <kshim_trace.h>
