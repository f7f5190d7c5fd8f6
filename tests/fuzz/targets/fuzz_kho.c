// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: KHO's checks of what the previous kernel handed over, from
 * the kernel's own kernel/liveupdate/kexec_handover.c (compiled in
 * shim/kho_glue.c) and kho_radix.c.
 *
 * kho-fdt (KF_KHO_FDT): the input is a root FDT for kho_check_fdt().
 * kho: the input is the machine's memory (kfimg.h, loaded raw): the root
 *   FDT at blob_phys (blob_size bytes handed over), the scratch map at
 *   arena offset knob & 0xffffff ((knob >> 24) areas), and the blocks of
 *   the image are memory the new kernel reserved for itself (its image,
 *   its initrd). The boot runs as the kernel runs it: kho_populate(),
 *   kho_memory_init_early() (tree walk, sort, overlap checks, reservation),
 *   kho_memory_init(), the root FDT claimed and kexec-metadata read; then
 *   each subtree blob is restored (a struct kho_vmalloc blob as a vmalloc
 *   area, others as a folio) and the end of boot frees what is left.
 */
#include "kfimg.h"

#include <linux/libfdt.h>
#include <linux/kexec_handover.h>

#include "../../../kernel/files/kernel/liveupdate/kexec_handover_internal.h"
#include "kho_glue.h"

#ifdef KF_KHO_FDT
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const char *reason = NULL;
	phys_addr_t mem_map = 0;
	void *fdt = malloc(size ? size : 1);
	int err;

	memcpy(fdt, data, size);
	err = kho_check_fdt(fdt, size, &mem_map, &reason);
	if (err && !reason)
		kf_die("kho_check_fdt() failed without a reason");
	if (!err) {
		int off;

		/* What kho_retrieve_subtree() and the boot code read next. */
		if (!mem_map || !PAGE_ALIGNED(mem_map))
			kf_die("kho_check_fdt() accepted memory map %#llx", mem_map);
		fdt_for_each_subnode(off, fdt, 0) {
			const char *name = fdt_get_name(fdt, off, NULL);
			int len;

			if (!name || !fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, &len) ||
			    !fdt_getprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME, &len))
				kf_die("an accepted subtree lacks its properties");
			if (fdt_subnode_offset(fdt, 0, name) < 0)
				kf_die("an accepted subtree cannot be found by name");
		}
	}
	free(fdt);
	return 0;
}
#else
/* Take every subtree blob back as its owner would. */
static void kf_restore_subtrees(void)
{
	const void *fdt = kf_kho_in_fdt();
	int off;

	if (!fdt)
		return;
	fdt_for_each_subnode(off, fdt, 0) {
		const char *name = fdt_get_name(fdt, off, NULL);
		phys_addr_t phys;
		size_t size;
		void *area;
		int order;

		if (kho_retrieve_subtree(name, &phys, &size))
			continue;
		order = kho_preserved_order(phys);
		if (order < 0)
			continue;
		if (size == sizeof(struct kho_vmalloc)) {
			struct kho_vmalloc v;

			memcpy(&v, phys_to_virt(phys), sizeof(v));
			area = kho_restore_vmalloc(&v);
			if (area)
				kho_restore_vfree(area, &v);
		} else if (order && size == PAGE_SIZE) {
			struct page *page = kho_restore_pages(phys, 1UL << order);
			unsigned long i;

			for (i = 0; page && i < (1UL << order); i++)
				__free_page(page + i);
		} else {
			struct folio *folio = kho_restore_folio(phys);

			if (folio)
				folio_put(folio);
		}
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct kfimg img;
	unsigned long i;

	if (kfimg_load_raw(data, size, &img) == 0) {
		for (i = 0; i < img.nr_blocks; i++)
			memblock_reserve(PFN_PHYS(img.blocks[i].pfn),
					 PAGE_SIZE << img.blocks[i].order);
		if (!kf_kho_boot(img.hdr.blob_phys, img.hdr.blob_size,
				 KF_PHYS_BASE + (img.hdr.knob & 0xffffff),
				 (u64)(img.hdr.knob >> 24) *
				 sizeof(struct kho_scratch))) {
			kf_restore_subtrees();
			kf_kho_release();
		}
	}
	kf_vm_reset();
	free(img.blocks);
	return 0;
}
#endif

#ifdef KF_GEN
/* ---------------------------------------------------------------------- */
/* Seeds: the handover KHO's own writer leaves                            */

#define KF_GEN_PAGES	1024
#define KF_SCRATCH_PG	512		/* 2 MiB of scratch: pages 512-1023 */

static void kf_gen(const char *dir, const char *name, unsigned int variant)
{
	struct kfimg_block rsv[2] = { { 700, 4 }, { 800, 0 } };
	struct kho_scratch *areas;
	struct kfimg_hdr hdr = {};
	char path[512];
	unsigned int i, nr_areas = variant == 2 ? 3 : 1;
	void *blob;

	kfimg_gen_begin(KF_GEN_PAGES);
	/* Preserved memory is never in scratch. */
	for (i = KF_SCRATCH_PG; i < KF_GEN_PAGES; i++)
		kf_pages[i].flags = 0;

	blob = kho_alloc_preserve(100);
	memset(blob, 0x5a, 100);
	if (IS_ERR(blob) || kho_add_subtree("blob", blob, 100))
		kf_die("generator: subtree");
	if (variant >= 1) {
		struct kho_vmalloc *v = kho_alloc_preserve(sizeof(*v));
		void *area = vmalloc(3 * PAGE_SIZE);

		memset(area, 0x33, 3 * PAGE_SIZE);
		if (IS_ERR(v) || !area || kho_preserve_vmalloc(area, v) ||
		    kho_add_subtree("vmalloc", v, sizeof(*v)))
			kf_die("generator: vmalloc");
	}
	if (variant >= 2) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 6);
		struct folio *f;

		/* A range in several blocks, and folios of a few orders. */
		if (!p || kho_preserve_pages(p + 3, 37))
			kf_die("generator: pages");
		for (i = 0; i < 4; i++) {
			f = folio_alloc(GFP_KERNEL, i);
			if (!f || kho_preserve_folio(f))
				kf_die("generator: folio");
		}
		f = folio_alloc(GFP_KERNEL | __GFP_ZERO, 2);
		if (!f || kho_preserve_folio(f) ||
		    kho_add_subtree("pages", folio_address(f), PAGE_SIZE))
			kf_die("generator: pages subtree");
	}

	/* The scratch map, a kexec segment in scratch */
	areas = phys_to_virt(KF_PHYS_BASE + KF_SCRATCH_PG * PAGE_SIZE);
	for (i = 0; i < nr_areas; i++)
		areas[i] = (struct kho_scratch){ 0, 0 };
	areas[nr_areas - 1].addr = KF_PHYS_BASE + KF_SCRATCH_PG * PAGE_SIZE;
	areas[nr_areas - 1].size = (KF_GEN_PAGES - KF_SCRATCH_PG) * PAGE_SIZE;

	hdr.nr_pages = KF_GEN_PAGES;
	hdr.blob_phys = virt_to_phys(kf_kho_out_fdt());
	hdr.blob_size = PAGE_SIZE;
	hdr.knob = KF_SCRATCH_PG * PAGE_SIZE | nr_areas << 24;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kfimg_gen_save_all(path, &hdr, rsv, 2))
		kf_die("cannot save %s", path);
}

int main(int argc, char **argv)
{
#ifdef KF_KHO_FDT
	char path[512];
	FILE *f;

	kfimg_gen_begin(64);
	snprintf(path, sizeof(path), "%s/root", argv[1]);
	f = fopen(path, "wb");
	fwrite(kf_kho_out_fdt(), 1, fdt_totalsize(kf_kho_out_fdt()), f);
	fclose(f);
#else
	kf_gen(argv[1], "blob", 0);
	kf_gen(argv[1], "vmalloc", 1);
	kf_gen(argv[1], "many-blocks", 2);
#endif
	return 0;
}
#endif /* KF_GEN */
