// SPDX-License-Identifier: GPL-2.0
/*
 * Phase timestamps of a kexec.
 *
 * The cycle counter (the TSC on x86, the generic timer on arm64) runs on
 * from the old kernel into the new one, and it can be read before any
 * clock of the new kernel runs: sched_clock() does not advance yet when
 * memblock and the handover are set up. Both kernels record the counter
 * at fixed points (enum kexec_mark) and, with kexec_timing=1 on their
 * command lines, print the raw values together with the counter's
 * frequency: the old kernel right before it jumps, the new one right
 * before /init. Differences across the two kernels give the time spent
 * in purgatory and the decompressor, which neither kernel sees.
 */

#define pr_fmt(fmt) "kexec-timing: " fmt

#include <linux/kexec_timing.h>
#include <linux/moduleparam.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/timex.h>
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif
#ifdef CONFIG_ARM_ARCH_TIMER
#include <clocksource/arm_arch_timer.h>
#endif

static bool kexec_timing;
core_param(kexec_timing, kexec_timing, bool, 0644);

static u64 kexec_marks[KEXEC_NR_MARKS];

/**
 * kexec_timing_cycles - read the cycle counter that survives a kexec
 *
 * Usable from the first instruction of start_kernel(), before any clock.
 *
 * Return: the counter, or 0 where the architecture has none.
 */
u64 kexec_timing_cycles(void)
{
	return get_cycles();
}

/* The counter's frequency in kHz once the kernel knows it, else 0. */
static u64 kexec_timing_khz(void)
{
#if defined(CONFIG_X86)
	return tsc_khz;
#elif defined(CONFIG_ARM_ARCH_TIMER)
	return arch_timer_get_rate() / 1000;
#else
	return 0;
#endif
}

/**
 * kexec_timing_cycles_to_us - convert a difference of counter values
 * @cycles: a difference of two kexec_timing_cycles() values
 *
 * Only meaningful once the counter's frequency is known (on x86, after
 * tsc_early_init()); record cycles early and convert them later.
 *
 * Return: microseconds, or 0 when the frequency is not known.
 */
u64 kexec_timing_cycles_to_us(u64 cycles)
{
	u64 khz = kexec_timing_khz();

	return khz ? div64_u64(cycles * 1000, khz) : 0;
}

/**
 * kexec_timing_mark - record the cycle counter at one point of a kexec
 * @mark: the point reached
 *
 * Cheap enough to call unconditionally; nothing is printed here.
 */
void kexec_timing_mark(enum kexec_mark mark)
{
	if (mark < KEXEC_NR_MARKS)
		kexec_marks[mark] = get_cycles();
}

static u64 kexec_timing_span(enum kexec_mark from, enum kexec_mark to)
{
	if (!kexec_marks[from] || kexec_marks[to] < kexec_marks[from])
		return 0;
	return kexec_timing_cycles_to_us(kexec_marks[to] - kexec_marks[from]);
}

/**
 * kexec_timing_report - print the marks of this kernel's side of a kexec
 * @old: true in the old kernel right before machine_kexec(), false in the
 *	new kernel right before /init
 *
 * Prints nothing unless kexec_timing=1, at KERN_NOTICE so that the lines
 * reach a console with loglevel=6, which hides the informational rest of
 * the boot log. The raw counter values let a tool that sees both kernels'
 * lines (a serial log) compute the spans between them; the spans within
 * this kernel are printed in microseconds too.
 */
void kexec_timing_report(bool old)
{
	u64 *m = kexec_marks;

	if (!kexec_timing)
		return;
	if (old) {
		pr_notice("old khz=%llu entry=%llu serialized=%llu prepared=%llu jump=%llu\n",
			kexec_timing_khz(), m[KEXEC_MARK_ENTRY],
			m[KEXEC_MARK_SERIALIZED], m[KEXEC_MARK_PREPARED],
			m[KEXEC_MARK_JUMP]);
		pr_notice("old: serialize %llu us, reboot notifiers and devices %llu us, CPUs stopped %llu us\n",
			kexec_timing_span(KEXEC_MARK_ENTRY, KEXEC_MARK_SERIALIZED),
			kexec_timing_span(KEXEC_MARK_SERIALIZED, KEXEC_MARK_PREPARED),
			kexec_timing_span(KEXEC_MARK_PREPARED, KEXEC_MARK_JUMP));
		return;
	}
	pr_notice("new khz=%llu start=%llu setup_arch=%llu mm=%llu init=%llu\n",
		kexec_timing_khz(), m[KEXEC_MARK_START],
		m[KEXEC_MARK_SETUP_ARCH], m[KEXEC_MARK_MM], m[KEXEC_MARK_INIT]);
	pr_notice("new: setup_arch %llu us, mm init %llu us, rest to /init %llu us\n",
		kexec_timing_span(KEXEC_MARK_START, KEXEC_MARK_SETUP_ARCH),
		kexec_timing_span(KEXEC_MARK_SETUP_ARCH, KEXEC_MARK_MM),
		kexec_timing_span(KEXEC_MARK_MM, KEXEC_MARK_INIT));
}
