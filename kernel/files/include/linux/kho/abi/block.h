/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_BLOCK_H
#define _LINUX_KHO_ABI_BLOCK_H

#include <linux/types.h>

#include <asm/page.h>

/**
 * DOC: KHO block chains
 *
 * Part of the handover wire format, identical to upstream Linux's
 * include/linux/kho/abi/block.h. A variable number of fixed-size entries
 * crosses kexec as a chain of pages: each page (%KHO_BLOCK_SIZE bytes,
 * preserved with kho_alloc_preserve()) starts with a struct
 * kho_block_header_ser followed by @count entries. @next is the physical
 * address of the next page, or 0 in the last one. A block in a chain is
 * never empty. Both kernels must use the same page size.
 */
#define KHO_BLOCK_SIZE			PAGE_SIZE

/**
 * struct kho_block_header_ser - start of each page of a block chain
 * @next:  physical address of the next page of the chain, 0 for none
 * @count: number of entries that follow this header in this page
 */
struct kho_block_header_ser {
	u64 next;
	u64 count;
} __packed;

#endif /* _LINUX_KHO_ABI_BLOCK_H */
