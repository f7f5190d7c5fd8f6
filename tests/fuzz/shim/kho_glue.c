// SPDX-License-Identifier: GPL-2.0
/*
 * kho_glue.c - the kernel's own kexec_handover.c, compiled for the shim,
 * and the few hooks the fuzz targets need into its static state.
 */
#include "../../../kernel/files/kernel/liveupdate/kexec_handover.c"

#include "kho_glue.h"


/* Forget everything about a previous run. */
void kf_kho_reset(void)
{
	memset(&kho_in, 0, sizeof(kho_in));
	memset(&kho_out, 0, sizeof(kho_out));
	kho_scratch = NULL;
	kho_scratch_cnt = 0;
	atomic_set(&kho_in_holds, 1);
	kho_enable = true;
}

/*
 * Pretend KHO accepted a handover whose preserved blocks are @blocks
 * (sorted, disjoint) and whose root FDT is @fdt (any memory): the state
 * kho_memory_init() leaves, made by kho_memory_init() itself.
 */
void kf_kho_incoming(struct kho_block *blocks, unsigned long nr,
		     const void *fdt)
{
	kho_in.fdt_phys = KF_PHYS_BASE;	/* non-zero: "a handover came" */
	kho_in.fdt = fdt;
	kho_in.blocks = blocks;
	kho_in.nr_blocks = nr;
	kho_memory_init();
	/* kho_release_unclaimed() frees the block list: it is not ours. */
}

/* End of boot: KHO clears and frees what nobody restored. */
void kf_kho_end_of_boot(void)
{
	unsigned long i, j;

	if (!kho_in.blocks)
		return;
	/* As kho_release_unclaimed(), without freeing the list's pages. */
	for (i = 0; i < kho_in.nr_blocks; i++) {
		const struct kho_block *b = &kho_in.blocks[i];
		struct page *page = pfn_to_page(b->pfn);

		if (!kho_claim(PFN_PHYS(b->pfn), b->order, true))
			continue;
		for (j = 0; j < (1UL << b->order); j++) {
			clear_highpage(page + j);
			free_reserved_page(page + j);
		}
	}
	kho_in.blocks = NULL;
	kho_in.nr_blocks = 0;
}

/* The whole incoming path of a boot, as the kernel runs it. */
int kf_kho_boot(phys_addr_t fdt_phys, u64 fdt_len, phys_addr_t scratch_phys,
		u64 scratch_len)
{
	kho_populate(fdt_phys, fdt_len, scratch_phys, scratch_len);
	kho_memory_init_early();
	kho_memory_init();
	if (!kho_in.blocks)
		return -EINVAL;
	/* kho_init()'s part for the incoming state. */
	if (kho_claim(kho_in.fdt_phys, 0, true)) {
		kho_init_restored(pfn_to_page(PHYS_PFN(kho_in.fdt_phys)), 0,
				  false);
		kho_in.fdt = phys_to_virt(kho_in.fdt_phys);
	}
	kho_in_metadata();
	return 0;
}

/* The end of boot with the kernel's own release of unclaimed memory. */
void kf_kho_release(void)
{
	kho_put_incoming();
}

const void *kf_kho_in_fdt(void)
{
	return kho_in_fdt();
}

/* Writer side, for the seed generators. */
int kf_kho_out_init(void)
{
	int err = kho_init();

	return err ?: (kho_out.fdt ? 0 : -ENOMEM);
}

void *kf_kho_out_fdt(void)
{
	return kho_out.fdt;
}

/* The blocks the outgoing tree holds, for the seed generators. */
int kf_kho_out_walk(int (*leaf)(unsigned long key, void *data), void *data)
{
	struct kho_radix_walk_cb cb = { .leaf = leaf };

	return kho_radix_walk_tree(&kho_out.tree, &cb, data);
}
