// SPDX-License-Identifier: GPL-2.0
/*
 * kfarch.c - arch hooks and kernel services the parsers call but that do
 * not belong to the memory model.
 */
#include "kshim.h"

/* x86 answers from e820; here only the arena is RAM. */
bool kho_arch_range_is_ram(phys_addr_t start, u64 size)
{
	return size && start + size > start && kf_phys_in_arena(start, size);
}

int kexec_add_buffer(struct kexec_buf *kbuf)
{
	return -ENOMEM;
}
