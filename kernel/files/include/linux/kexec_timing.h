/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timestamps of the phases of a kexec, taken from the CPU's cycle counter
 * (the TSC on x86), which keeps running from the old kernel into the new
 * one. See Documentation/admin-guide/mm/kho.rst, "Timing a kexec".
 */
#ifndef _LINUX_KEXEC_TIMING_H
#define _LINUX_KEXEC_TIMING_H

#include <linux/types.h>

/**
 * enum kexec_mark - points on the way through a kexec
 * @KEXEC_MARK_ENTRY: the old kernel enters kernel_kexec()
 * @KEXEC_MARK_SERIALIZED: pkernfs and the live update state are written
 * @KEXEC_MARK_PREPARED: reboot notifiers and device shutdown are done
 * @KEXEC_MARK_JUMP: the other CPUs are stopped; machine_kexec() is next
 * @KEXEC_MARK_START: the new kernel enters start_kernel()
 * @KEXEC_MARK_SETUP_ARCH: setup_arch() returned (memblock and the KHO
 *	check of the preserved memory are done)
 * @KEXEC_MARK_MM: mm_core_init() returned (page allocator up, preserved
 *	pages marked)
 * @KEXEC_MARK_INIT: the new kernel is about to run /init
 * @KEXEC_NR_MARKS: number of marks
 */
enum kexec_mark {
	KEXEC_MARK_ENTRY,
	KEXEC_MARK_SERIALIZED,
	KEXEC_MARK_PREPARED,
	KEXEC_MARK_JUMP,
	KEXEC_MARK_START,
	KEXEC_MARK_SETUP_ARCH,
	KEXEC_MARK_MM,
	KEXEC_MARK_INIT,
	KEXEC_NR_MARKS
};

#ifdef CONFIG_KEXEC_TIMING
void kexec_timing_mark(enum kexec_mark mark);
void kexec_timing_report(bool old);
u64 kexec_timing_cycles(void);
u64 kexec_timing_cycles_to_us(u64 cycles);
#else
static inline void kexec_timing_mark(enum kexec_mark mark) { }
static inline void kexec_timing_report(bool old) { }
static inline u64 kexec_timing_cycles(void) { return 0; }
static inline u64 kexec_timing_cycles_to_us(u64 cycles) { return 0; }
#endif

#endif /* _LINUX_KEXEC_TIMING_H */
