// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_handover.c - Kexec HandOver (KHO) core
 */

/**
 * DOC: Kexec HandOver
 *
 * Kexec HandOver lets a kernel pass memory and metadata to the kernel it
 * kexecs into. A subsystem preserves pages (kho_preserve_folio() and
 * friends) and publishes a blob describing them under a name
 * (kho_add_subtree()); after kexec its counterpart in the new kernel looks
 * the blob up (kho_retrieve_subtree()) and takes the pages back
 * (kho_restore_folio() and friends). Preservation is tracked live in a
 * radix tree whose root is written into a one-page root FDT, so nothing
 * needs serializing at kexec time.
 *
 * The new kernel must not allocate from preserved memory before it knows
 * where that memory is. Every KHO kernel therefore keeps "scratch" areas:
 * memory reserved at boot that later only serves movable allocations (it
 * is CMA), so nothing preserved ever lives there. Kexec segments are
 * placed in scratch, and the new kernel's memblock allocates only from
 * scratch until it has checked and reserved everything that was preserved.
 * A kernel booted this way keeps the same scratch areas, so handovers
 * chain.
 *
 * Everything that arrives from the previous kernel is checked before use:
 * the root FDT's header, size, alignment, structure and compatible
 * string, the scratch map, every node of the preserved-memory tree, every
 * preserved block (inside RAM, outside scratch, not overlapping another
 * block, the kernel or anything else already reserved) and every subtree
 * blob. Any failure is logged once with its reason and the kernel boots
 * as if there had been no handover.
 *
 * Enable with kho=on. Memory that was preserved but that nobody restored
 * by the end of boot (late_initcall_sync), or by the time the last
 * kho_hold_incoming() user is done, is cleared and freed; after boot, by
 * a worker, so that it does not delay /init.
 *
 * The wire format and the kernel API are those of upstream Linux
 * ("kho-v4"), see include/linux/kho/abi/kexec_handover.h.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/cma.h>
#include <linux/crash_dump.h>
#include <linux/highmem.h>
#include <linux/kasan.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kexec_timing.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/abi/kexec_metadata.h>
#include <linux/kho_radix_tree.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/unaligned.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <asm/early_ioremap.h>
#include <kunit/visibility.h>

#include "../../mm/internal.h"
#include "kexec_handover_internal.h"

/* Scratch areas are handed over as CMA: align them for the buddy allocator. */
#define KHO_SCRATCH_ALIGN	(PAGE_SIZE << MAX_PAGE_ORDER)

/*
 * The most kho_populate() maps with early_memremap(), whose limit is
 * NR_FIX_BTMAPS pages (256 KiB on x86 and arm64) for any one mapping.
 */
#define KHO_EARLY_MAP_MAX	SZ_128K

/* page->private of a preserved head page in the new kernel: magic, order */
#define KHO_PAGE_MAGIC		0x4b484f50U	/* "KHOP" */
/* ... while kho_restore_pages() is taking a range */
#define KHO_PAGE_TAKING		0x4b484f54U	/* "KHOT" */

/* Biggest preserved block we accept: 2^40 pages */
#define KHO_MAX_BLOCK_ORDER	40

union kho_page_info {
	unsigned long page_private;
	struct {
		unsigned int order;
		unsigned int magic;
	};
};

static_assert(sizeof(union kho_page_info) == sizeof(unsigned long));

static bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

/**
 * kho_is_enabled - is kexec handover enabled (kho=on)?
 *
 * Return: true when this kernel hands state over on kexec.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/* kho=off given explicitly: refuse what the previous kernel handed over. */
static bool kho_refuse_incoming __initdata;

static int __init kho_parse_enable(char *p)
{
	int err = kstrtobool(p, &kho_enable);

	if (!err)
		kho_refuse_incoming = !kho_enable;
	return err;
}
early_param("kho", kho_parse_enable);

/* What this kernel hands to the next one. */
static struct {
	void *fdt;
	struct mutex lock;	/* protects fdt */
	struct kho_radix_tree tree;
	struct kho_debugfs dbg;
} kho_out = {
	.lock = __MUTEX_INITIALIZER(kho_out.lock),
};

/* What the previous kernel handed to this one. */
static struct {
	phys_addr_t fdt_phys;
	u64 fdt_len;
	phys_addr_t scratch_phys;
	u64 scratch_len;
	phys_addr_t mem_map;
	const void *fdt;		/* set once the root FDT is ours */
	struct kho_block *blocks;	/* sorted by pfn */
	unsigned long nr_blocks;
	unsigned long *gaps;		/* holes reserved for later, by block */
	unsigned long nr_pages;
	u64 check_cycles;
	u64 mark_cycles;
	unsigned long tree_pages;
	char previous_release[__NEW_UTS_LEN + 1];
	u32 kexec_count;
	bool released;			/* unclaimed blocks are freed */
	struct kho_debugfs dbg;
} kho_in;

/* A boot loader entry came (kept apart: abandoning clears kho_in). */
static bool kho_in_seen __initdata;

struct kho_scratch *kho_scratch;
unsigned int kho_scratch_cnt;

#ifdef CONFIG_KEXEC_HANDOVER_SELFTEST
/*
 * Metadata KHO users preserve (kho_alloc_preserve() blocks, vmalloc areas
 * and their chunk lists), as opposed to data: where the self test's
 * mutation flips bytes, to exercise the next kernel's parsers.
 */
struct kho_meta {
	struct list_head list;
	const void *key;	/* what unpreserving names it by */
	void *addr;
	size_t size;
};

static LIST_HEAD(kho_meta_list);
static DEFINE_SPINLOCK(kho_meta_lock);

static void kho_meta_add(const void *key, void *addr, size_t size)
{
	struct kho_meta *m = kmalloc(sizeof(*m), GFP_KERNEL);

	/* Without the entry there is only one target less to mutate. */
	if (!m)
		return;
	m->key = key;
	m->addr = addr;
	m->size = size;
	spin_lock(&kho_meta_lock);
	list_add_tail(&m->list, &kho_meta_list);
	spin_unlock(&kho_meta_lock);
}

static void kho_meta_del(const void *key)
{
	struct kho_meta *m, *tmp;

	spin_lock(&kho_meta_lock);
	list_for_each_entry_safe(m, tmp, &kho_meta_list, list) {
		if (m->key == key) {
			list_del(&m->list);
			kfree(m);
		}
	}
	spin_unlock(&kho_meta_lock);
}
#else
static void kho_meta_add(const void *key, void *addr, size_t size)
{
}

static void kho_meta_del(const void *key)
{
}
#endif

/* Scratch sizes: kho_scratch=N% or kho_scratch=lowmem,global,pernode */
static unsigned int scratch_scale __initdata = 200;
static phys_addr_t scratch_size_lowmem __initdata;
static phys_addr_t scratch_size_global __initdata;
static phys_addr_t scratch_size_pernode __initdata;

static int __init kho_parse_scratch_size(char *p)
{
	phys_addr_t sizes[3];
	unsigned int scale;
	size_t len;
	int i;

	if (!p || !*p)
		return -EINVAL;
	len = strlen(p);
	if (p[len - 1] == '%') {
		char num[12];

		if (len > sizeof(num))
			return -EINVAL;
		memcpy(num, p, len - 1);
		num[len - 1] = '\0';
		if (kstrtouint(num, 10, &scale) || !scale)
			return -EINVAL;
		scratch_scale = scale;
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char *end;

		if (i) {
			if (*p != ',')
				return -EINVAL;
			p++;
		}
		sizes[i] = memparse(p, &end);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	if (*p || !(sizes[0] | sizes[1] | sizes[2]))
		return -EINVAL;

	scratch_size_lowmem = sizes[0];
	scratch_size_global = sizes[1];
	scratch_size_pernode = sizes[2];
	scratch_scale = 0;
	return 0;
}
early_param("kho_scratch", kho_parse_scratch_size);

/**
 * kho_scratch_overlap - does a range touch a scratch area?
 * @phys: start of the range
 * @size: its size in bytes
 *
 * Return: true if any byte of the range is scratch memory.
 */
bool kho_scratch_overlap(phys_addr_t phys, size_t size)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		if (kho_scratch[i].size &&
		    phys < kho_scratch[i].addr + kho_scratch[i].size &&
		    phys + size > kho_scratch[i].addr)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------- */
/* Scratch areas on a cold boot                                            */

/*
 * Memory a kernel needs while it may allocate from scratch only: its
 * memory map (struct pages for all of @ram) plus page tables, per-CPU
 * areas and early allocations, for which KHO_SCRATCH_MIN_EXTRA is ample
 * on the machines this runs on.
 */
#define KHO_SCRATCH_MIN_EXTRA	SZ_32M

static u64 __init kho_scratch_needed(u64 ram)
{
	return (ram >> PAGE_SHIFT) * sizeof(struct page) + KHO_SCRATCH_MIN_EXTRA;
}

/*
 * Scratch becomes CMA after boot: only movable allocations may use it.
 * More than half of memory starves everything else.
 */
static bool __init kho_scratch_too_large(u64 total, u64 ram)
{
	return ram && total > ram / 2;
}

/*
 * Low memory the kernel takes only after this sizing: 6.12 sets up the
 * swiotlb bounce buffer in mem_init(), after kho_memory_init(), below
 * 4 GiB when memory reaches above it (upstream sets it up earlier, in
 * arch_mm_preinit(), and so counts it). A kernel booted by a handover
 * allocates it in low scratch; without this, a 16 GiB guest had 4 MiB of
 * low scratch and the next kernel's swiotlb shrank from 64 MiB to 2.
 */
static phys_addr_t __init kho_late_lowmem(void)
{
	if (IS_ENABLED(CONFIG_SWIOTLB) &&
	    memblock_end_of_DRAM() > ARCH_LOW_ADDRESS_LIMIT)
		return swiotlb_size_or_default();
	return 0;
}

/* What the scratch areas reserved so far (the first @n) hold of node @nid. */
static phys_addr_t __init kho_scratch_on_node(int nid, unsigned int n)
{
	phys_addr_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (early_pfn_to_nid(PHYS_PFN(kho_scratch[i].addr)) == nid)
			total += kho_scratch[i].size;
	return total;
}

/*
 * @scratch_scale percent of the kernel's memblock memory below @limit on
 * @nid, plus @extra, less @ours (scratch areas already reserved: memblock
 * counts them as the kernel's).
 */
static phys_addr_t __init kho_scaled(phys_addr_t limit, int nid,
				     phys_addr_t extra, phys_addr_t ours)
{
	phys_addr_t size = memblock_reserved_kern_size(limit, nid) + extra;

	size -= min(size, ours);
	return size / 100 * scratch_scale;
}

static phys_addr_t __init kho_scratch_round(phys_addr_t size)
{
	return round_up(max_t(phys_addr_t, size, KHO_SCRATCH_ALIGN),
			KHO_SCRATCH_ALIGN);
}

static void __init kho_reserve_scratch(void)
{
	phys_addr_t lowmem, global, addr, size, total, ram;
	unsigned int i = 0, cnt;
	int nid;

	if (!kho_enable)
		return;

	if (scratch_scale) {
		lowmem = kho_scaled(ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE,
				    kho_late_lowmem(), 0);
		global = kho_scaled(MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE,
				    kho_late_lowmem(), 0);
		global = global > lowmem ? global - lowmem : 0;
	} else {
		lowmem = scratch_size_lowmem;
		global = scratch_size_global;
	}
	lowmem = kho_scratch_round(lowmem);
	global = kho_scratch_round(global);

	cnt = nodes_weight(node_states[N_MEMORY]) + 2;
	kho_scratch = memblock_alloc(cnt * sizeof(*kho_scratch), PAGE_SIZE);
	if (!kho_scratch)
		goto fail;

	/* For allocations the next kernel must make in low memory. */
	addr = memblock_phys_alloc_range(lowmem, KHO_SCRATCH_ALIGN, 0,
					 ARCH_LOW_ADDRESS_LIMIT);
	if (!addr)
		goto fail_free;
	kho_scratch[i].addr = addr;
	kho_scratch[i++].size = lowmem;

	/* For allocations without a node. */
	addr = memblock_phys_alloc(global, KHO_SCRATCH_ALIGN);
	if (!addr)
		goto fail_free;
	kho_scratch[i].addr = addr;
	kho_scratch[i++].size = global;

	for_each_node_state(nid, N_MEMORY) {
		size = scratch_scale ?
		       kho_scaled(MEMBLOCK_ALLOC_ANYWHERE, nid, 0,
				  kho_scratch_on_node(nid, i)) :
		       scratch_size_pernode;
		size = kho_scratch_round(size);
		addr = memblock_alloc_range_nid(size, KHO_SCRATCH_ALIGN, 0,
						MEMBLOCK_ALLOC_ACCESSIBLE, nid,
						true);
		if (!addr)
			goto fail_free;
		kho_scratch[i].addr = addr;
		kho_scratch[i++].size = size;
	}
	kho_scratch_cnt = i;

	for (i = 0, total = 0; i < kho_scratch_cnt; i++)
		total += kho_scratch[i].size;
	ram = memblock_phys_mem_size();
	if (kho_scratch_too_large(total, ram)) {
		pr_warn("kho_scratch= asks for %llu MiB, more than half of memory\n",
			(u64)total >> 20);
		i = kho_scratch_cnt;
		kho_scratch_cnt = 0;
		goto fail_free;
	}
	if (total < kho_scratch_needed(ram))
		pr_warn("scratch holds %llu MiB, the next kernel needs %llu MiB: it will refuse the handover\n",
			(u64)total >> 20, kho_scratch_needed(ram) >> 20);
	return;

fail_free:
	while (i--)
		memblock_phys_free(kho_scratch[i].addr, kho_scratch[i].size);
	memblock_free(kho_scratch, cnt * sizeof(*kho_scratch));
	kho_scratch = NULL;
fail:
	pr_warn("cannot reserve scratch memory; kexec handover disabled\n");
	kho_enable = false;
}

/* ---------------------------------------------------------------------- */
/* Preserving memory                                                       */

static bool kho_out_ready(void)
{
	return kho_enable && kho_out.tree.root;
}

static int kho_track(phys_addr_t phys, unsigned int order)
{
	if (!kho_out_ready())
		return -EOPNOTSUPP;
	if (WARN_ONCE(kho_scratch_overlap(phys, PAGE_SIZE << order),
		      "KHO: cannot preserve scratch memory at %pa\n", &phys))
		return -EINVAL;
	return kho_radix_add_key(&kho_out.tree,
				 kho_radix_encode_key(phys, order));
}

static void kho_untrack(phys_addr_t phys, unsigned int order)
{
	if (kho_out_ready())
		kho_radix_del_key(&kho_out.tree,
				  kho_radix_encode_key(phys, order));
}

/**
 * kho_preserve_folio - preserve a folio across kexec
 * @folio: the folio; its order is preserved with it
 *
 * Return: 0 on success, -EOPNOTSUPP when KHO is off, -EINVAL for a folio
 * in scratch memory, -ENOMEM.
 */
int kho_preserve_folio(struct folio *folio)
{
	return kho_track(PFN_PHYS(folio_pfn(folio)), folio_order(folio));
}
EXPORT_SYMBOL_GPL(kho_preserve_folio);

/**
 * kho_unpreserve_folio - undo kho_preserve_folio()
 * @folio: the folio, exactly as it was preserved
 */
void kho_unpreserve_folio(struct folio *folio)
{
	kho_untrack(PFN_PHYS(folio_pfn(folio)), folio_order(folio));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_folio);

/* Largest aligned block at @pfn that fits before @end, on one node. */
static unsigned int kho_chunk_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = min_t(unsigned int, __ffs(pfn | BIT(63)),
				   ilog2(end - pfn));

	while (order && pfn_to_nid(pfn) != pfn_to_nid(pfn + (1UL << order) - 1))
		order--;
	return order;
}

static void kho_untrack_range(unsigned long pfn, unsigned long end)
{
	while (pfn < end) {
		unsigned int order = kho_chunk_order(pfn, end);

		kho_untrack(PFN_PHYS(pfn), order);
		pfn += 1UL << order;
	}
}

/**
 * kho_preserve_pages - preserve contiguous order-0 pages across kexec
 * @page: first page
 * @nr_pages: number of pages
 *
 * Restore them with kho_restore_pages() and the same @nr_pages. The range
 * is tracked as few naturally aligned blocks, so large contiguous ranges
 * cost next to nothing.
 *
 * Return: 0 on success or a negative errno; nothing stays preserved on
 * failure.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), end = start + nr_pages;
	unsigned long pfn = start;
	int err = 0;

	if (!nr_pages)
		return -EINVAL;
	while (pfn < end) {
		unsigned int order = kho_chunk_order(pfn, end);

		err = kho_track(PFN_PHYS(pfn), order);
		if (err)
			break;
		pfn += 1UL << order;
	}
	if (err)
		kho_untrack_range(start, pfn);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

/**
 * kho_unpreserve_pages - undo kho_preserve_pages()
 * @page: first page, as passed to kho_preserve_pages()
 * @nr_pages: number of pages, as passed to kho_preserve_pages()
 */
void kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page);

	kho_untrack_range(start, start + nr_pages);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_pages);

/* struct kho_vmalloc flags (part of the ABI) */
#define KHO_VMALLOC_ALLOC	0x0001
#define KHO_VMALLOC_HUGE_VMAP	0x0002

#define KHO_VMALLOC_VM_FLAGS	(VM_ALLOC | VM_ALLOW_HUGE_VMAP | VM_MAP | \
				 VM_MAP_PUT_PAGES)

static void kho_vmalloc_free_chunks(struct kho_vmalloc *preservation,
				    bool untrack)
{
	struct kho_vmalloc_chunk *chunk = KHOSER_LOAD_PTR(preservation->first);
	unsigned int order = preservation->order;

	while (chunk) {
		struct kho_vmalloc_chunk *next = KHOSER_LOAD_PTR(chunk->hdr.next);
		unsigned int i;

		if (untrack) {
			for (i = 0; i < ARRAY_SIZE(chunk->phys) && chunk->phys[i]; i++)
				kho_untrack_range(PHYS_PFN(chunk->phys[i]),
						  PHYS_PFN(chunk->phys[i]) + (1UL << order));
			kho_untrack(virt_to_phys(chunk), 0);
		}
		kho_meta_del(chunk);
		free_page((unsigned long)chunk);
		chunk = next;
	}
	preservation->first.phys = 0;
}

static struct kho_vmalloc_chunk *kho_vmalloc_new_chunk(void)
{
	struct kho_vmalloc_chunk *chunk;

	chunk = (void *)get_zeroed_page(GFP_KERNEL);
	if (!chunk)
		return NULL;
	if (kho_track(virt_to_phys(chunk), 0)) {
		free_page((unsigned long)chunk);
		return NULL;
	}
	kho_meta_add(chunk, chunk, PAGE_SIZE);
	return chunk;
}

/**
 * kho_preserve_vmalloc - preserve a vmalloc area across kexec
 * @ptr: start of the area
 * @preservation: filled with the description to hand to the next kernel
 *
 * Preserves the pages behind @ptr and a list of their addresses.
 *
 * Return: 0 on success, -EINVAL if @ptr is not the start of a vmalloc
 * area, -EOPNOTSUPP for areas not backed by pages of their own, -ENOMEM.
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct vm_struct *vm = find_vm_area(ptr);
	struct kho_vmalloc_chunk *chunk;
	unsigned int i, idx = 0;
	int err;

	if (!vm || vm->addr != ptr)
		return -EINVAL;
	if ((vm->flags & ~KHO_VMALLOC_VM_FLAGS) || !vm->pages || !vm->nr_pages)
		return -EOPNOTSUPP;

	memset(preservation, 0, sizeof(*preservation));
	chunk = kho_vmalloc_new_chunk();
	if (!chunk)
		return -ENOMEM;
	KHOSER_STORE_PTR(preservation->first, chunk);

	/* Every page is tracked on its own: vmalloc pages are order 0. */
	for (i = 0; i < vm->nr_pages; i++) {
		err = kho_track(page_to_phys(vm->pages[i]), 0);
		if (err)
			goto fail;
		chunk->phys[idx++] = page_to_phys(vm->pages[i]);
		if (idx == ARRAY_SIZE(chunk->phys) && i + 1 < vm->nr_pages) {
			struct kho_vmalloc_chunk *next = kho_vmalloc_new_chunk();

			if (!next) {
				err = -ENOMEM;
				goto fail;
			}
			KHOSER_STORE_PTR(chunk->hdr.next, next);
			chunk = next;
			idx = 0;
		}
	}
	preservation->total_pages = vm->nr_pages;
	preservation->order = 0;
	preservation->flags = KHO_VMALLOC_ALLOC;
	if (vm->flags & VM_ALLOW_HUGE_VMAP)
		preservation->flags |= KHO_VMALLOC_HUGE_VMAP;
	kho_meta_add(preservation, ptr, (size_t)vm->nr_pages << PAGE_SHIFT);
	return 0;

fail:
	kho_vmalloc_free_chunks(preservation, true);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - undo kho_preserve_vmalloc()
 * @preservation: the description kho_preserve_vmalloc() filled in
 */
void kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	kho_meta_del(preservation);
	kho_vmalloc_free_chunks(preservation, true);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/**
 * kho_alloc_preserve - allocate zeroed, preserved memory
 * @size: bytes wanted; rounded up to a power-of-two number of pages
 *
 * Return: the memory, or an ERR_PTR(): -EINVAL for size 0, -E2BIG, -ENOMEM
 * or -EOPNOTSUPP when KHO is off.
 */
void *kho_alloc_preserve(size_t size)
{
	struct folio *folio;
	unsigned int order;
	int err;

	if (!size)
		return ERR_PTR(-EINVAL);
	order = get_order(size);
	if (order > MAX_PAGE_ORDER)
		return ERR_PTR(-E2BIG);
	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, order);
	if (!folio)
		return ERR_PTR(-ENOMEM);
	err = kho_preserve_folio(folio);
	if (err) {
		folio_put(folio);
		return ERR_PTR(err);
	}
	kho_meta_add(folio_address(folio), folio_address(folio),
		     folio_size(folio));
	return folio_address(folio);
}
EXPORT_SYMBOL_GPL(kho_alloc_preserve);

/**
 * kho_unpreserve_free - undo kho_alloc_preserve() and free the memory
 * @mem: what kho_alloc_preserve() returned, or %NULL
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	kho_meta_del(mem);
	folio = virt_to_folio(mem);
	kho_unpreserve_folio(folio);
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_free);

/* ---------------------------------------------------------------------- */
/* Subtrees                                                                */

static bool kho_valid_node_name(const char *name)
{
	size_t len = name ? strnlen(name, 256) : 0;

	return len && len < 256 && !strchr(name, '/');
}

/**
 * kho_add_subtree - publish a preserved blob under a name
 * @name: node name in the root FDT (1-255 characters, no '/')
 * @blob: the blob; its memory must be preserved too
 * @size: its size in bytes
 *
 * The next kernel finds @blob with kho_retrieve_subtree(@name).
 *
 * Return: 0 on success, -EEXIST if @name is taken, -ENOSPC if the root
 * FDT is full, -EINVAL for a bad name or size, -EOPNOTSUPP when KHO is off.
 */
int kho_add_subtree(const char *name, void *blob, size_t size)
{
	u64 phys = virt_to_phys(blob), len = size;
	void *fdt = kho_out.fdt;
	int off, err;

	if (!kho_enable || !fdt)
		return -EOPNOTSUPP;
	if (!kho_valid_node_name(name) || !blob || !size)
		return -EINVAL;

	mutex_lock(&kho_out.lock);
	err = fdt_open_into(fdt, fdt, PAGE_SIZE);
	if (err) {
		err = -EIO;
		goto out;
	}
	off = fdt_add_subnode(fdt, 0, name);
	if (off < 0) {
		err = off == -FDT_ERR_EXISTS ? -EEXIST :
		      off == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
		goto pack;
	}
	err = fdt_setprop(fdt, off, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
	if (!err)
		err = fdt_setprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME, &len,
				  sizeof(len));
	if (err) {
		fdt_del_node(fdt, off);
		err = err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
		goto pack;
	}
	if (kho_debugfs_blob_add(&kho_out.dbg, name, blob, size, false))
		pr_warn("cannot show subtree %s in debugfs\n", name);
pack:
	fdt_pack(fdt);
out:
	mutex_unlock(&kho_out.lock);
	return err;
}
EXPORT_SYMBOL_GPL(kho_add_subtree);

/**
 * kho_remove_subtree - withdraw a blob published with kho_add_subtree()
 * @blob: the blob
 */
void kho_remove_subtree(void *blob)
{
	u64 phys = virt_to_phys(blob);
	void *fdt = kho_out.fdt;
	int off;

	if (!fdt)
		return;
	mutex_lock(&kho_out.lock);
	if (fdt_open_into(fdt, fdt, PAGE_SIZE))
		goto out;
	fdt_for_each_subnode(off, fdt, 0) {
		const u64 *val;
		int len;

		val = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, &len);
		if (val && len == sizeof(*val) && *val == phys) {
			fdt_del_node(fdt, off);
			kho_debugfs_blob_remove(&kho_out.dbg, blob);
			break;
		}
	}
	fdt_pack(fdt);
out:
	mutex_unlock(&kho_out.lock);
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/**
 * is_kho_boot - was this kernel booted by a kexec handover?
 *
 * Return: true when a handover was received and passed every check.
 */
bool is_kho_boot(void)
{
	return kho_in.fdt_phys;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

static const void *kho_in_fdt(void)
{
	if (!kho_in.fdt_phys)
		return NULL;
	return kho_in.fdt ?: phys_to_virt(kho_in.fdt_phys);
}

/**
 * kho_retrieve_subtree - find a blob the previous kernel published
 * @name: the name given to kho_add_subtree()
 * @phys: set to the blob's physical address
 * @size: if not %NULL, set to the blob's size
 *
 * The blob was checked to lie inside memory the previous kernel preserved;
 * take it back with the kho_restore_*() call matching how it was
 * preserved.
 *
 * Return: 0 on success, -ENOENT if there is no such blob, no handover, or
 * the preserved memory nobody restored was already released (see
 * kho_put_incoming()), -EINVAL if @phys is %NULL.
 */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	const void *fdt = kho_in_fdt();
	const u64 *val;
	int off, len;

	if (!phys)
		return -EINVAL;
	/* After the release, what the subtrees point to may be freed. */
	if (!fdt || !name || READ_ONCE(kho_in.released))
		return -ENOENT;
	off = fdt_subnode_offset(fdt, 0, name);
	if (off < 0)
		return -ENOENT;
	val = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, &len);
	if (!val || len != sizeof(*val))
		return -EINVAL;
	*phys = get_unaligned(val);
	if (size) {
		val = fdt_getprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME, &len);
		if (!val || len != sizeof(*val))
			return -EINVAL;
		*size = get_unaligned(val);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

/**
 * kho_copy_subtree - take a small subtree blob back as a copy
 * @name: the subtree's name
 * @out: where to copy the blob's first @size bytes
 * @size: bytes wanted; the blob must hold at least that many
 *
 * For a user whose blob is a fixed-size root from kho_alloc_preserve():
 * the blob must be a preserved folio at a page boundary and fit in it.
 * The folio is taken back, copied from, cleared and freed either way.
 * This is an extension of this series, not part of upstream's API.
 *
 * Return: 0 with @out filled, -ENOENT when there is no such subtree, or
 * -EINVAL when the blob is not preserved memory or has the wrong size.
 */
int kho_copy_subtree(const char *name, void *out, size_t size)
{
	struct folio *folio;
	phys_addr_t phys;
	size_t len;
	int err;

	err = kho_retrieve_subtree(name, &phys, &len);
	if (err)
		return err;
	folio = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!folio)
		return -EINVAL;
	err = len < size || len > folio_size(folio) ? -EINVAL : 0;
	if (!err)
		memcpy(out, folio_address(folio), size);
	folio_zero_range(folio, 0, folio_size(folio));
	folio_put(folio);
	return err;
}
EXPORT_SYMBOL_GPL(kho_copy_subtree);

/* ---------------------------------------------------------------------- */
/* Restoring memory                                                        */

/*
 * Find the preserved block starting at @phys and, with @claim, take it:
 * its head's magic is swapped for @to atomically (the order stays), so of
 * two racing restores only one succeeds. With @order >= 0 the block must
 * have that order, with @max_order no more than that. Only a block head
 * carries the magic, so this also rejects unaligned addresses and blocks
 * restored before. Inlined: its callers pass constants, and restoring
 * every page of a large handover goes through here once per page.
 */
static __always_inline struct page *kho_take(phys_addr_t phys, int order,
					     unsigned int max_order, bool claim,
					     unsigned int from, unsigned int to)
{
	struct page *page = pfn_to_online_page(PHYS_PFN(phys));
	union kho_page_info info, taken;

	if (!page || offset_in_page(phys))
		return NULL;
	info.page_private = READ_ONCE(page->private);
	if (info.magic != from || info.order > max_order)
		return NULL;
	if (order >= 0 && info.order != order)
		return NULL;
	if (!claim)
		return page;
	taken.order = info.order;
	taken.magic = to;
	if (cmpxchg(&page->private, info.page_private, taken.page_private) !=
	    info.page_private)
		return NULL;
	return page;
}

static unsigned int kho_page_order(struct page *page)
{
	union kho_page_info info = { .page_private = page->private };

	return info.order;
}

/* Take the block at @phys for good (@claim) or just find it. */
static struct page *kho_claim(phys_addr_t phys, int order, bool claim)
{
	struct page *page = kho_take(phys, order, UINT_MAX, claim,
				     KHO_PAGE_MAGIC, 0);

	if (page && claim)
		page->private = 0;
	return page;
}

/*
 * A restored block becomes a folio with one reference, or pages with one
 * each. The managed page counts are not touched: kho_account_incoming()
 * counted every preserved block once, restored or not.
 */
static __always_inline void kho_init_restored(struct page *page,
					      unsigned int order, bool folio)
{
	unsigned long i, nr = 1UL << order;

	set_page_count(page, 1);
	for (i = 1; i < nr; i++)
		set_page_count(page + i, folio ? 0 : 1);
	if (folio && order)
		prep_compound_page(page, order);
}

/**
 * kho_restore_folio - take back a folio preserved by the previous kernel
 * @phys: physical address of the folio
 *
 * Return: the folio, with one reference, or %NULL if @phys is not the
 * start of a preserved folio or was restored already.
 */
struct folio *kho_restore_folio(phys_addr_t phys)
{
	struct page *page = kho_take(phys, -1, MAX_PAGE_ORDER, true,
				     KHO_PAGE_MAGIC, 0);
	unsigned int order;

	if (!page)
		return NULL;
	/* One lookup: the claim kept the order, read it and clear. */
	order = kho_page_order(page);
	page->private = 0;
	kho_init_restored(page, order, true);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/**
 * kho_restore_pages - take back pages preserved with kho_preserve_pages()
 * @phys: physical address of the first page
 * @nr_pages: number of pages, as passed to kho_preserve_pages()
 *
 * All or nothing: if any part of the range was not preserved this way, or
 * was restored already, nothing is restored.
 *
 * Return: the first page, each page with one reference, or %NULL.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end = start + nr_pages, pfn;
	struct page *page;

	if (!nr_pages || offset_in_page(phys) || end < start)
		return NULL;

	/*
	 * Mark every block taken (keeping its order), so that failure, or a
	 * racing restore, can be undone without having changed anything.
	 */
	for (pfn = start; pfn < end; pfn += 1UL << kho_page_order(page)) {
		page = kho_take(PFN_PHYS(pfn), -1, ilog2(end - pfn), true,
				KHO_PAGE_MAGIC, KHO_PAGE_TAKING);
		if (!page)
			goto undo;
	}
	for (pfn = start; pfn < end; ) {
		unsigned int order;

		page = pfn_to_page(pfn);
		order = kho_page_order(page);
		page->private = 0;
		kho_init_restored(page, order, false);
		pfn += 1UL << order;
	}
	return pfn_to_page(start);

undo:
	for (end = pfn, pfn = start; pfn < end; pfn += 1UL << kho_page_order(page)) {
		page = pfn_to_page(pfn);
		kho_take(PFN_PHYS(pfn), -1, UINT_MAX, true, KHO_PAGE_TAKING,
			 KHO_PAGE_MAGIC);
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

/**
 * kho_preserved_order - order of a block the previous kernel preserved
 * @phys: physical address of the block's first page
 *
 * For a user that cannot take a block back whole, such as a large folio
 * meant for a page cache without large folios: knowing the order, it can
 * take the block as order-0 pages with kho_restore_pages(). Nothing is
 * taken. This is an extension of this series, not part of upstream's API.
 *
 * Return: the order of the preserved block starting at @phys, or -ENOENT
 * if no block starts there or it was restored already.
 */
int kho_preserved_order(phys_addr_t phys)
{
	struct page *page = kho_take(phys, -1, MAX_PAGE_ORDER, false,
				     KHO_PAGE_MAGIC, 0);

	return page ? kho_page_order(page) : -ENOENT;
}
EXPORT_SYMBOL_GPL(kho_preserved_order);

/**
 * kho_restore_free - free memory the previous kernel got from
 * kho_alloc_preserve()
 * @mem: the memory, at its address in this kernel
 */
void kho_restore_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = kho_restore_folio(__pa(mem));
	if (!WARN_ON(!folio))
		folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_restore_free);

/**
 * kho_restore_vmalloc - map again a vmalloc area preserved by the previous
 * kernel
 * @preservation: the description kho_preserve_vmalloc() produced
 *
 * The description comes from the previous kernel and is checked: the chunk
 * list and every page must be preserved memory and add up to
 * total_pages. Free the area with vfree().
 *
 * Return: the new mapping, or %NULL (then no page was taken).
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	unsigned long total = preservation->total_pages, idx = 0, i, per;
	unsigned int order = preservation->order;
	phys_addr_t chunk_phys = preservation->first.phys;
	struct page **pages;
	void *addr;

	/* The order comes from the previous kernel: no shift before it is checked. */
	if (preservation->flags & ~(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP) ||
	    order > MAX_PAGE_ORDER || !total || total > totalram_pages())
		return NULL;
	per = 1UL << order;
	if (total % per)
		return NULL;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;

	while (chunk_phys) {
		struct page *cpage = kho_claim(chunk_phys, 0, true);
		struct kho_vmalloc_chunk *chunk;

		if (!cpage)
			goto fail;
		kho_init_restored(cpage, 0, false);
		chunk = page_address(cpage);
		for (i = 0; i < ARRAY_SIZE(chunk->phys) && chunk->phys[i]; i++) {
			struct page *page;
			unsigned long j;

			if (idx + per > total)
				break;
			page = kho_restore_pages(chunk->phys[i], per);
			if (!page)
				break;
			for (j = 0; j < per; j++)
				pages[idx++] = page + j;
		}
		if (i < ARRAY_SIZE(chunk->phys) && chunk->phys[i]) {
			clear_highpage(cpage);
			__free_page(cpage);
			goto fail;
		}
		chunk_phys = chunk->hdr.next.phys;
		clear_highpage(cpage);
		__free_page(cpage);
	}
	if (idx != total)
		goto fail;

	addr = vmap(pages, total, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (addr)
		return addr;
fail:
	/* Pages taken so far go back to the allocator, not to anyone else. */
	for (i = 0; i < idx; i++) {
		clear_highpage(pages[i]);
		__free_page(pages[i]);
	}
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);

/**
 * kho_restore_vfree - clear and free an area from kho_restore_vmalloc()
 * @ptr: the area, or %NULL
 * @preservation: the description it was restored from
 *
 * For areas that held the previous kernel's metadata: nothing of it is
 * left for the next user of the pages.
 */
void kho_restore_vfree(void *ptr, const struct kho_vmalloc *preservation)
{
	if (!ptr)
		return;
	memset(ptr, 0, (size_t)preservation->total_pages << PAGE_SHIFT);
	vfree(ptr);
}
EXPORT_SYMBOL_GPL(kho_restore_vfree);

/* ---------------------------------------------------------------------- */
/* Checking what the previous kernel handed over                           */

/**
 * kho_arch_range_is_ram - may the handover point at this range?
 * @start: physical address
 * @size: bytes
 *
 * Architectures answer from their firmware memory map before memblock is
 * set up. The default only rejects empty and wrapping ranges.
 *
 * Return: true if the range is RAM.
 */
bool __init __weak kho_arch_range_is_ram(phys_addr_t start, u64 size)
{
	return size && start + size > start;
}

/**
 * kho_arch_ram_size - how much RAM the firmware memory map reports
 *
 * Return: bytes of RAM, or 0 when the architecture cannot tell this early
 * (then scratch sizes are not checked against it).
 */
u64 __init __weak kho_arch_ram_size(void)
{
	return 0;
}

static bool kho_ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/**
 * kho_check_fdt - check a root FDT handed over by the previous kernel
 * @fdt: the blob
 * @buf_size: bytes available at @fdt
 * @mem_map: set to the root of the preserved-memory tree
 * @reason: set to what is wrong
 *
 * Checks the header against @buf_size, the block alignment, the whole
 * structure block, the compatible string and every property KHO uses.
 *
 * Return: 0 if the FDT may be used, -EINVAL otherwise.
 */
VISIBLE_IF_KUNIT int kho_check_fdt(const void *fdt, u64 buf_size,
				   phys_addr_t *mem_map, const char **reason)
{
	int off, depth = 0, len, nodes = 0;
	const u64 *val;

	*reason = "root FDT smaller than its header";
	if (buf_size < sizeof(struct fdt_header))
		return -EINVAL;
	*reason = "root FDT header is invalid";
	if (fdt_magic(fdt) != FDT_MAGIC || fdt_check_header(fdt))
		return -EINVAL;
	*reason = "root FDT is larger than the handed over buffer";
	if (fdt_totalsize(fdt) > buf_size)
		return -EINVAL;
	*reason = "root FDT blocks are misaligned";
	if (!IS_ALIGNED(fdt_off_dt_struct(fdt), FDT_TAGSIZE) ||
	    !IS_ALIGNED(fdt_off_mem_rsvmap(fdt), 8) ||
	    fdt_version(fdt) < 17 ||
	    !IS_ALIGNED(fdt_size_dt_struct(fdt), FDT_TAGSIZE))
		return -EINVAL;

	/* Walk the whole structure: only the root and its children. */
	*reason = "root FDT structure is malformed";
	for (off = 0; off >= 0 && depth >= 0;
	     off = fdt_next_node(fdt, off, &depth)) {
		if (depth > 1 || ++nodes > 4096)
			return -EINVAL;
		if (off && !kho_valid_node_name(fdt_get_name(fdt, off, NULL)))
			return -EINVAL;
	}
	/* The walk ends when the root node closes, before FDT_END. */
	if (depth >= 0 || off < 0 ||
	    fdt_next_tag(fdt, off, &off) != FDT_END)
		return -EINVAL;

	*reason = "root FDT is not compatible with " KHO_FDT_COMPATIBLE;
	if (fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE))
		return -EINVAL;

	*reason = "preserved-memory-map is missing or invalid";
	val = fdt_getprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &len);
	if (!val || len != sizeof(u64))
		return -EINVAL;
	*mem_map = get_unaligned(val);
	if (!*mem_map || !PAGE_ALIGNED(*mem_map))
		return -EINVAL;

	*reason = "a subtree node lacks a valid preserved-data or blob-size";
	fdt_for_each_subnode(off, fdt, 0) {
		u64 phys, size;

		val = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, &len);
		if (!val || len != sizeof(u64))
			return -EINVAL;
		phys = get_unaligned(val);
		val = fdt_getprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME, &len);
		if (!val || len != sizeof(u64))
			return -EINVAL;
		size = get_unaligned(val);
		if (!phys || !size || phys + size < phys)
			return -EINVAL;
	}
	if (off != -FDT_ERR_NOTFOUND)
		return -EINVAL;
	*reason = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_check_fdt);

/**
 * kho_check_scratch - check the scratch map handed over
 * @areas: the areas
 * @nr: how many
 * @reason: set to what is wrong
 *
 * Return: 0 if usable, -EINVAL otherwise.
 */
VISIBLE_IF_KUNIT int kho_check_scratch(const struct kho_scratch *areas,
				       unsigned int nr, const char **reason)
{
	const u64 align = PAGE_SIZE << pageblock_order;
	unsigned int i, j;

	*reason = "scratch map has no areas or too many";
	if (!nr || nr > KHO_MAX_SCRATCH_AREAS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		/* Upstream hands over empty areas (e.g. no global scratch). */
		if (!areas[i].size)
			continue;
		*reason = "a scratch area wraps or is not pageblock aligned";
		if (areas[i].addr + areas[i].size < areas[i].addr ||
		    !IS_ALIGNED(areas[i].addr, align) ||
		    !IS_ALIGNED(areas[i].size, align))
			return -EINVAL;
		*reason = "scratch areas overlap";
		for (j = 0; j < i; j++)
			if (areas[j].size &&
			    kho_ranges_overlap(areas[i].addr, areas[i].size,
					       areas[j].addr, areas[j].size))
				return -EINVAL;
	}
	*reason = "scratch map has no usable area";
	for (i = 0; i < nr; i++)
		if (areas[i].size)
			break;
	if (i == nr)
		return -EINVAL;
	*reason = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_check_scratch);

struct kho_tree_walk {
	unsigned long *visited;
	unsigned long nr_bits;
	struct kho_block *out;
	unsigned long max;
	unsigned long count;
	struct kho_in_check_ops *ops;
};

static int kho_check_node(struct kho_tree_walk *w, phys_addr_t phys,
			  unsigned int level, unsigned long prefix)
{
	struct kho_in_check_ops *ops = w->ops;
	const unsigned int min_top = 64 - PAGE_SHIFT - KHO_MAX_BLOCK_ORDER;
	void *node;
	unsigned int i;
	int err;

	if (!PAGE_ALIGNED(phys) || !ops->node_ok(phys, ops->ctx)) {
		ops->reason = "a tree node lies outside usable memory";
		return -EINVAL;
	}
	if (w->visited) {
		unsigned long pfn = PHYS_PFN(phys);

		if (pfn >= w->nr_bits || __test_and_set_bit(pfn, w->visited)) {
			ops->reason = "the preserved-memory tree has a cycle or shared node";
			return -EINVAL;
		}
	}
	node = ops->map(phys, ops->ctx);

	if (!level) {
		struct kho_radix_leaf *leaf = node;

		/*
		 * A walk that neither checks nor collects blocks counts them
		 * per leaf: the prefix, when not empty, holds the top bit of
		 * every key in the leaf and with it their order.
		 */
		if (prefix && !w->out && !ops->block_ok) {
			unsigned int top = fls64(prefix);

			if (top > KHO_RADIX_KEY_WIDTH || top <= min_top) {
				ops->reason = "a preserved block has an impossible order";
				return -EINVAL;
			}
			w->count += bitmap_weight(leaf->bitmap,
						  1 << KHO_BITMAP_SIZE_LOG2);
			return 0;
		}
		for_each_set_bit(i, leaf->bitmap, 1 << KHO_BITMAP_SIZE_LOG2) {
			unsigned long key = prefix | i;
			unsigned int top = fls64(key), order;
			phys_addr_t start;
			u64 size;

			if (top > KHO_RADIX_KEY_WIDTH || top <= min_top) {
				ops->reason = "a preserved block has an impossible order";
				return -EINVAL;
			}
			start = kho_radix_decode_key(key, &order);
			size = (u64)PAGE_SIZE << order;
			if (start + size < start ||
			    (ops->block_ok && !ops->block_ok(start, size, ops->ctx))) {
				ops->reason = "a preserved block lies outside RAM or in scratch";
				return -EINVAL;
			}
			if (w->out) {
				if (w->count >= w->max) {
					ops->reason = "the preserved-memory tree changed while read";
					return -EINVAL;
				}
				w->out[w->count].pfn = PHYS_PFN(start);
				w->out[w->count].order = order;
			}
			w->count++;
		}
		return 0;
	}

	for (i = 0; i < (1 << KHO_TABLE_SIZE_LOG2); i++) {
		u64 child = ((struct kho_radix_node *)node)->table[i];
		unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
				     (level - 1) * KHO_TABLE_SIZE_LOG2;

		if (!child)
			continue;
		if (fls64((u64)i << shift) > KHO_RADIX_KEY_WIDTH) {
			ops->reason = "a tree node uses slots beyond the key width";
			return -EINVAL;
		}
		err = kho_check_node(w, child, level - 1,
				     prefix | ((unsigned long)i << shift));
		if (err)
			return err;
	}
	return 0;
}

/**
 * kho_check_tree - walk a preserved-memory tree from another kernel
 * @root: physical address of the root node
 * @visited: bitmap of @nr_visited_bits bits (one per page frame), zeroed,
 *           to catch nodes reached twice; %NULL when the tree was checked
 * @nr_visited_bits: size of @visited
 * @out: if not %NULL, receives the blocks, in tree order
 * @max_blocks: room in @out
 * @ops: address checks and mapping; @ops->reason says what failed
 *
 * Every node must pass @ops->node_ok, be page aligned and be reached once;
 * every block must have a sane order and pass @ops->block_ok (when set:
 * a walk that repeats an earlier one over the same tree may leave it out).
 *
 * Return: the number of preserved blocks, or -EINVAL.
 */
VISIBLE_IF_KUNIT long kho_check_tree(phys_addr_t root, unsigned long *visited,
				     unsigned long nr_visited_bits,
				     struct kho_block *out,
				     unsigned long max_blocks,
				     struct kho_in_check_ops *ops)
{
	struct kho_tree_walk w = {
		.visited = visited,
		.nr_bits = nr_visited_bits,
		.out = out,
		.max = max_blocks,
		.ops = ops,
	};
	int err;

	ops->reason = NULL;
	err = kho_check_node(&w, root, KHO_TREE_MAX_DEPTH - 1, 0);
	return err ?: w.count;
}
EXPORT_SYMBOL_IF_KUNIT(kho_check_tree);

/* Merge the sorted runs [a, a + na) and [b, b + nb) into @dst. */
static void kho_merge_runs(const struct kho_block *a, unsigned long na,
			   const struct kho_block *b, unsigned long nb,
			   struct kho_block *dst)
{
	while (na && nb) {
		if (a->pfn <= b->pfn) {
			*dst++ = *a++;
			na--;
		} else {
			*dst++ = *b++;
			nb--;
		}
	}
	while (na--)
		*dst++ = *a++;
	while (nb--)
		*dst++ = *b++;
}

/**
 * kho_sort_blocks - sort blocks by address and reject overlaps
 * @blocks: the blocks; sorted on return
 * @tmp: scratch space for @nr blocks
 * @nr: number of blocks
 *
 * The tree yields one sorted run per order, so a natural merge sort needs
 * only as many passes as there are orders.
 *
 * Return: 0, or -EINVAL if two blocks overlap.
 */
VISIBLE_IF_KUNIT int kho_sort_blocks(struct kho_block *blocks,
				     struct kho_block *tmp, unsigned long nr)
{
	struct kho_block *src = blocks, *dst = tmp;
	unsigned long i;

	for (;;) {
		unsigned long start = 0, runs = 0;

		while (start < nr) {
			unsigned long mid = start + 1, end;

			while (mid < nr && src[mid - 1].pfn <= src[mid].pfn)
				mid++;
			end = mid;
			while (end < nr && (end == mid ||
					    src[end - 1].pfn <= src[end].pfn))
				end++;
			kho_merge_runs(src + start, mid - start, src + mid,
				       end - mid, dst + start);
			start = end;
			runs++;
		}
		swap(src, dst);
		if (runs <= 1)
			break;
	}
	if (src != blocks)
		memcpy(blocks, src, nr * sizeof(*blocks));

	for (i = 1; i < nr; i++)
		if (kho_block_end(&blocks[i - 1]) > blocks[i].pfn)
			return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_sort_blocks);

/**
 * kho_find_block - the block containing a page frame
 * @blocks: sorted, non-overlapping blocks
 * @nr: number of blocks
 * @pfn: the page frame
 *
 * Return: the block, or %NULL.
 */
VISIBLE_IF_KUNIT const struct kho_block *
kho_find_block(const struct kho_block *blocks, unsigned long nr, u64 pfn)
{
	unsigned long lo = 0, hi = nr;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (kho_block_end(&blocks[mid]) <= pfn)
			lo = mid + 1;
		else if (blocks[mid].pfn > pfn)
			hi = mid;
		else
			return &blocks[mid];
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kho_find_block);

/**
 * kho_populate - take note of a handover, called early by arch code
 * @fdt_phys: physical address of the root FDT
 * @fdt_len: bytes available there
 * @scratch_phys: physical address of the scratch map
 * @scratch_len: its size in bytes
 *
 * Checks what can be checked before memblock knows all memory, then
 * limits memblock allocations to the scratch areas. On any problem it
 * logs why and leaves the boot untouched.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_len,
			 phys_addr_t scratch_phys, u64 scratch_len)
{
	const struct kho_scratch *areas = NULL;
	struct fdt_header *hdr;
	unsigned int nr = 0, i;
	const char *reason;
	phys_addr_t mem_map;
	u64 map_len = 0, check_len, total, ram;
	void *fdt = NULL;

	/*
	 * One handover per boot: the first entry decides, whether it is
	 * taken or refused; later ones are never looked at.
	 */
	if (kho_in_seen) {
		pr_warn("ignoring a second handover entry; only the first counts\n");
		return;
	}
	kho_in_seen = true;
	reason = "root FDT address or size is invalid";
	if (!fdt_len || fdt_len > SZ_1M || !PAGE_ALIGNED(fdt_phys) ||
	    !kho_arch_range_is_ram(fdt_phys, fdt_len))
		goto fail;
	reason = "scratch map address or size is invalid";
	if (!scratch_len ||
	    scratch_len > KHO_MAX_SCRATCH_AREAS * sizeof(struct kho_scratch) ||
	    scratch_len % sizeof(struct kho_scratch) ||
	    !IS_ALIGNED(scratch_phys, 8) ||
	    !kho_arch_range_is_ram(scratch_phys, scratch_len) ||
	    kho_ranges_overlap(scratch_phys, scratch_len, fdt_phys, fdt_len))
		goto fail;
	nr = scratch_len / sizeof(struct kho_scratch);

	/*
	 * early_memremap() maps a few hundred KiB at most: map only what
	 * the header says the FDT uses, and refuse more than KHO_EARLY_MAP_MAX.
	 */
	reason = "cannot map the root FDT";
	hdr = early_memremap(fdt_phys, sizeof(*hdr));
	if (!hdr)
		goto fail;
	check_len = min_t(u64, fdt_totalsize(hdr), fdt_len);
	early_memunmap(hdr, sizeof(*hdr));
	reason = "root FDT is larger than can be mapped this early";
	if (check_len > KHO_EARLY_MAP_MAX)
		goto fail;
	map_len = max_t(u64, check_len, sizeof(*hdr));
	reason = "cannot map the root FDT";
	fdt = early_memremap(fdt_phys, map_len);
	if (!fdt)
		goto fail;
	if (kho_check_fdt(fdt, check_len, &mem_map, &reason))
		goto fail;

	reason = "cannot map the scratch map";
	areas = early_memremap(scratch_phys, scratch_len);
	if (!areas)
		goto fail;
	if (kho_check_scratch(areas, nr, &reason))
		goto fail;
	for (i = 0, total = 0; i < nr; i++)
		total += areas[i].size;
	ram = kho_arch_ram_size();
	reason = "scratch areas are too small to boot in";
	if (ram && total < kho_scratch_needed(ram)) {
		pr_warn("scratch areas hold %llu MiB, booting needs %llu MiB\n",
			total >> 20, kho_scratch_needed(ram) >> 20);
		goto fail;
	}
	reason = "scratch areas cover more than half of memory";
	if (kho_scratch_too_large(total, ram))
		goto fail;
	for (i = 0; i < nr; i++) {
		if (!areas[i].size)
			continue;
		reason = "a scratch area is not RAM";
		if (!kho_arch_range_is_ram(areas[i].addr, areas[i].size))
			goto fail;
		reason = "the root FDT or the memory map lies in scratch";
		if (kho_ranges_overlap(areas[i].addr, areas[i].size,
				       fdt_phys, fdt_len) ||
		    kho_ranges_overlap(areas[i].addr, areas[i].size,
				       mem_map, PAGE_SIZE))
			goto fail;
	}

	for (i = 0; i < nr; i++) {
		reason = "cannot mark scratch memory";
		if (memblock_add(areas[i].addr, areas[i].size) ||
		    memblock_mark_kho_scratch(areas[i].addr, areas[i].size)) {
			while (i--)
				memblock_clear_kho_scratch(areas[i].addr,
							   areas[i].size);
			goto fail;
		}
	}
	memblock_reserve(scratch_phys, scratch_len);
	memblock_set_kho_scratch_only();

	kho_in.fdt_phys = fdt_phys;
	kho_in.fdt_len = fdt_len;
	kho_in.scratch_phys = scratch_phys;
	kho_in.scratch_len = scratch_len;
	kho_in.mem_map = mem_map;
	pr_info("found handover data: root FDT at %pa, %u scratch areas\n",
		&fdt_phys, nr);
	early_memunmap((void *)areas, scratch_len);
	early_memunmap(fdt, map_len);
	return;

fail:
	if (areas)
		early_memunmap((void *)areas, scratch_len);
	if (fdt)
		early_memunmap(fdt, map_len);
	pr_warn("ignoring the handover from the previous kernel: %s\n", reason);
}

/* Give up on the handover before anything was reserved for it. */
static void __init kho_in_abandon(const char *reason)
{
	unsigned int i;

	for (i = 0; kho_scratch && i < kho_scratch_cnt; i++)
		memblock_clear_kho_scratch(kho_scratch[i].addr,
					   kho_scratch[i].size);
	memblock_phys_free(kho_in.scratch_phys, kho_in.scratch_len);
	memblock_clear_kho_scratch_only();
	kho_scratch = NULL;
	kho_scratch_cnt = 0;
	memset(&kho_in, 0, sizeof(kho_in));
	pr_warn("ignoring the handover from the previous kernel: %s\n", reason);
}

struct kho_boot_ctx {
	const struct kho_block *blocks;
	unsigned long nr;
};

/* Does [base, base + size) overlap anything memblock has reserved? */
static bool __init kho_overlaps_reserved(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *type = &memblock.reserved;
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		struct memblock_region *r = &type->regions[mid];

		if (r->base + r->size <= base)
			lo = mid + 1;
		else if (r->base >= base + size)
			hi = mid;
		else
			return r->size != 0;
	}
	return false;
}

static bool __init kho_boot_node_ok(phys_addr_t phys, void *ctx)
{
	struct kho_boot_ctx *c = ctx;

	if (!memblock_is_region_memory(phys, PAGE_SIZE) ||
	    kho_scratch_overlap(phys, PAGE_SIZE) ||
	    kho_overlaps_reserved(phys, PAGE_SIZE))
		return false;
	return !c || !kho_find_block(c->blocks, c->nr, PHYS_PFN(phys));
}

static bool __init kho_boot_block_ok(phys_addr_t phys, u64 size, void *ctx)
{
	return phys + size <= memblock_end_of_DRAM() &&
	       memblock_is_region_memory(phys, size) &&
	       !kho_scratch_overlap(phys, size);
}

static void *__init kho_boot_map(phys_addr_t phys, void *ctx)
{
	return phys_to_virt(phys);
}

/* Every block must be clear of everything memblock reserved so far. */
static bool __init kho_blocks_clear_of_reserved(const struct kho_block *b,
						unsigned long nr)
{
	struct memblock_type *type = &memblock.reserved;
	unsigned long i, r = 0;

	for (i = 0; i < nr; i++) {
		u64 start = PFN_PHYS(b[i].pfn), end = PFN_PHYS(kho_block_end(&b[i]));

		while (r < type->cnt &&
		       type->regions[r].base + type->regions[r].size <= start)
			r++;
		if (r < type->cnt && type->regions[r].size &&
		    type->regions[r].base < end)
			return false;
	}
	return true;
}

/* The root FDT and every subtree blob must lie inside one preserved block. */
static bool __init kho_blobs_preserved(const struct kho_block *b,
				       unsigned long nr, const void *fdt)
{
	const struct kho_block *blk;
	int off;

	blk = kho_find_block(b, nr, PHYS_PFN(kho_in.fdt_phys));
	if (!blk || blk->pfn != PHYS_PFN(kho_in.fdt_phys) ||
	    kho_in.fdt_phys + fdt_totalsize(fdt) > PFN_PHYS(kho_block_end(blk)))
		return false;

	fdt_for_each_subnode(off, fdt, 0) {
		const u64 *pp = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, NULL);
		const u64 *ps = fdt_getprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME,
					    NULL);
		u64 phys, size;

		/* kho_check_fdt() saw both; never trust that twice. */
		if (!pp || !ps)
			return false;
		phys = get_unaligned(pp);
		size = get_unaligned(ps);
		blk = kho_find_block(b, nr, PHYS_PFN(phys));
		if (!blk || phys + size > PFN_PHYS(kho_block_end(blk)))
			return false;
	}
	return true;
}

/*
 * Is [@start, @end) a small hole of free memory between two preserved
 * blocks: shorter than a pageblock, RAM, outside scratch and clear of
 * everything reserved? @r walks memblock.reserved along with the holes,
 * which come in address order.
 */
static bool __init kho_gap_free(phys_addr_t start, phys_addr_t end,
				unsigned long *r)
{
	struct memblock_type *rsv = &memblock.reserved;

	if (end - start >= PFN_PHYS(pageblock_nr_pages))
		return false;
	while (*r < rsv->cnt &&
	       rsv->regions[*r].base + rsv->regions[*r].size <= start)
		(*r)++;
	if (*r < rsv->cnt && rsv->regions[*r].size &&
	    rsv->regions[*r].base < end)
		return false;
	return memblock_is_region_memory(start, end - start) &&
	       !kho_scratch_overlap(start, end - start) &&
	       early_pfn_to_nid(PHYS_PFN(start)) ==
	       early_pfn_to_nid(PHYS_PFN(end) - 1);
}

static void __init kho_add_range(struct memblock_region *out, unsigned long n,
				 phys_addr_t base, phys_addr_t size)
{
	if (!out)
		return;
	out[n].base = base;
	out[n].size = size;
	out[n].flags = MEMBLOCK_RSRV_NOINIT;
	memblock_set_region_node(&out[n], MAX_NUMNODES);
}

/*
 * The memblock ranges to reserve for the sorted @b: adjacent blocks
 * merged, struct pages left to KHO (MEMBLOCK_RSRV_NOINIT). With @gaps,
 * a bitmap of @nr bits, small free holes between blocks are reserved too
 * (bit i: the hole after block i), merged with the blocks around them;
 * kho_memory_init() makes their pages ordinary reserved pages and a
 * worker gives them to the page allocator after boot. A handover of
 * scattered pages has a one-page hole after almost every block: freeing
 * hundreds of thousands of single pages in deferred struct page init
 * would hold up /init, and as many separate memblock regions would slow
 * down every walk over them. Called once to count (deciding the holes)
 * and once to fill @out. Returns the number of ranges.
 */
static unsigned long __init kho_coalesce(const struct kho_block *b,
					 unsigned long nr, unsigned long *gaps,
					 struct memblock_region *out)
{
	phys_addr_t last_end = 0;
	unsigned long i, n = 0, r = 0;

	for (i = 0; i < nr; i++) {
		phys_addr_t base = PFN_PHYS(b[i].pfn);
		phys_addr_t end = base + PFN_PHYS(1ULL << b[i].order);

		if (i && gaps && !out && base > last_end &&
		    kho_gap_free(last_end, base, &r))
			__set_bit(i - 1, gaps);
		/* A hole kept reserved joins the blocks on both sides. */
		if (i && (last_end == base || (gaps && test_bit(i - 1, gaps)))) {
			if (out)
				out[n - 1].size = end - out[n - 1].base;
		} else {
			kho_add_range(out, n++, base, end - base);
		}
		last_end = end;
	}
	return n;
}

/**
 * kho_memory_init_early - check and reserve preserved memory
 *
 * Called by free_area_init() once memblock knows all memory and the direct
 * map is up, before struct pages are initialized. Allocations still come
 * only from scratch, so nothing preserved has been touched yet.
 */
void __init kho_memory_init_early(void)
{
	struct kho_in_check_ops ops = {
		.node_ok = kho_boot_node_ok,
		.map = kho_boot_map,
	};
	struct kho_block *blocks = NULL, *tmp = NULL;
	struct memblock_region *ranges = NULL;
	unsigned long nbits, *visited, nr_ranges = 0, *gaps = NULL;
	size_t gaps_size = 0;
	struct kho_boot_ctx ctx;
	const char *reason;
	u64 start = kexec_timing_cycles();
	const void *fdt;
	long nr;
	unsigned int i;

	if (!kho_in.fdt_phys)
		return;

	kho_scratch = phys_to_virt(kho_in.scratch_phys);
	kho_scratch_cnt = kho_in.scratch_len / sizeof(*kho_scratch);
	fdt = phys_to_virt(kho_in.fdt_phys);

	/* Both are known only now, after the early parameters. */
	if (kho_refuse_incoming) {
		kho_in_abandon("kho=off is on the command line");
		return;
	}
	if (is_kdump_kernel()) {
		kho_in_abandon("a crash kernel does not take handovers");
		return;
	}

	reason = "the root FDT or the scratch map is not in memory";
	if (!memblock_is_region_memory(kho_in.fdt_phys, kho_in.fdt_len) ||
	    !memblock_is_region_memory(kho_in.scratch_phys, kho_in.scratch_len))
		goto fail;
	reason = "a scratch area is not in memory";
	for (i = 0; i < kho_scratch_cnt; i++)
		if (kho_scratch[i].size &&
		    !memblock_is_region_memory(kho_scratch[i].addr,
					       kho_scratch[i].size))
			goto fail;

	/* Pass 1: check every node once and count the blocks. */
	reason = "no memory to check the handover";
	nbits = PHYS_PFN(memblock_end_of_DRAM());
	visited = memblock_alloc(BITS_TO_LONGS(nbits) * sizeof(long),
				 SMP_CACHE_BYTES);
	if (!visited)
		goto fail;
	nr = kho_check_tree(kho_in.mem_map, visited, nbits, NULL, 0, &ops);
	kho_in.tree_pages = bitmap_weight(visited, nbits);
	memblock_free(visited, BITS_TO_LONGS(nbits) * sizeof(long));
	reason = ops.reason;
	if (nr < 0)
		goto fail;

	reason = "no memory to record the preserved blocks";
	blocks = nr ? memblock_alloc(PAGE_ALIGN(nr * sizeof(*blocks)), PAGE_SIZE) : NULL;
	tmp = nr ? memblock_alloc(nr * sizeof(*tmp), SMP_CACHE_BYTES) : NULL;
	if (nr && (!blocks || !tmp))
		goto fail;

	/*
	 * Pass 2: collect the blocks, sort them, reject overlaps. Each block
	 * is checked here once; pass 1 only counted them.
	 */
	ops.block_ok = kho_boot_block_ok;
	if (nr && kho_check_tree(kho_in.mem_map, NULL, 0, blocks, nr, &ops) != nr) {
		reason = ops.reason ?: "the preserved-memory tree changed while read";
		goto fail;
	}
	reason = "preserved blocks overlap each other";
	if (nr && kho_sort_blocks(blocks, tmp, nr))
		goto fail;
	reason = "a preserved block overlaps the kernel or other reserved memory";
	if (!kho_blocks_clear_of_reserved(blocks, nr))
		goto fail;

	/* Pass 3: no node may lie inside a preserved block. */
	ctx.blocks = blocks;
	ctx.nr = nr;
	ops.ctx = &ctx;
	ops.block_ok = NULL;
	if (kho_check_tree(kho_in.mem_map, NULL, 0, NULL, 0, &ops) < 0) {
		reason = "a tree node lies inside preserved memory";
		goto fail;
	}
	reason = "the root FDT or a subtree blob is not preserved memory";
	if (!kho_blobs_preserved(blocks, nr, fdt))
		goto fail;

	memblock_free(tmp, nr * sizeof(*tmp));
	tmp = NULL;

	/* Without room for the bitmap the holes are freed at boot as ever. */
	gaps_size = PAGE_ALIGN(BITS_TO_LONGS(nr) * sizeof(long));
	gaps = nr > 1 ? memblock_alloc(gaps_size, PAGE_SIZE) : NULL;
	nr_ranges = kho_coalesce(blocks, nr, gaps, NULL);
	reason = "no memory to reserve the preserved blocks";
	ranges = memblock_alloc(nr_ranges * sizeof(*ranges), SMP_CACHE_BYTES);
	if (!ranges)
		goto fail;
	kho_coalesce(blocks, nr, gaps, ranges);
	reason = "cannot reserve the preserved blocks";
	if (memblock_reserve_sorted(ranges, nr_ranges))
		goto fail;
	memblock_free(ranges, nr_ranges * sizeof(*ranges));

	kho_in.blocks = blocks;
	kho_in.nr_blocks = nr;
	kho_in.gaps = gaps;
	for (i = 0; i < nr; i++)
		kho_in.nr_pages += 1UL << blocks[i].order;
	kho_in.check_cycles = kexec_timing_cycles() - start;
	return;

fail:
	if (gaps)
		memblock_free(gaps, gaps_size);
	if (ranges)
		memblock_free(ranges, nr_ranges * sizeof(*ranges));
	if (tmp)
		memblock_free(tmp, nr * sizeof(*tmp));
	if (blocks)
		memblock_free(blocks, PAGE_ALIGN(nr * sizeof(*blocks)));
	kho_in_abandon(reason ?: "the preserved-memory tree is invalid");
}

/**
 * kho_memory_init - mark preserved pages, or reserve scratch on a cold boot
 *
 * Called from mm_core_init() after struct pages are initialized and before
 * memblock hands memory to the buddy allocator.
 */
void __init kho_memory_init(void)
{
	u64 start = kexec_timing_cycles();
	unsigned long i, j;

	if (is_kdump_kernel()) {
		kho_enable = false;
		return;
	}
	if (!kho_in.blocks && !kho_in.fdt_phys) {
		kho_reserve_scratch();
		return;
	}

	for (i = 0; i < kho_in.nr_blocks; i++) {
		const struct kho_block *b = &kho_in.blocks[i];
		union kho_page_info info = {
			.order = b->order,
			.magic = KHO_PAGE_MAGIC,
		};

		if (IS_ENABLED(CONFIG_DEFERRED_STRUCT_PAGE_INIT)) {
			int nid = early_pfn_to_nid(b->pfn);

			for (j = 0; j < (1UL << b->order); j++)
				init_deferred_page(b->pfn + j, nid);
		}
		pfn_to_page(b->pfn)->private = info.page_private;
		/* The hole after it, if kept: reserved pages until freed. */
		if (kho_in.gaps && test_bit(i, kho_in.gaps))
			reserve_bootmem_region(PFN_PHYS(kho_block_end(b)),
					       PFN_PHYS(b[1].pfn),
					       early_pfn_to_nid(b[1].pfn));
	}
	kho_in.mark_cycles = kexec_timing_cycles() - start;
}

/*
 * The check and the marking ran before the kernel knew the cycle
 * counter's frequency (and before any clock ran): report them now.
 */
static void __init kho_in_report(void)
{
	pr_info("handover checked in %llu us, marked in %llu us: %lu preserved blocks, %lu MiB, tracked in %lu KiB\n",
		kexec_timing_cycles_to_us(kho_in.check_cycles),
		kexec_timing_cycles_to_us(kho_in.mark_cycles), kho_in.nr_blocks,
		kho_in.nr_pages >> (20 - PAGE_SHIFT),
		kho_in.tree_pages << (PAGE_SHIFT - 10));
}

/* ---------------------------------------------------------------------- */
/* Boot and kexec                                                          */

static void __init kho_in_metadata(void)
{
	const struct kho_kexec_metadata *md;
	struct folio *folio;
	phys_addr_t phys;
	size_t size;

	if (kho_retrieve_subtree(KHO_METADATA_NODE_NAME, &phys, &size)) {
		pr_info("handover received (no kexec-metadata)\n");
		return;
	}
	md = phys_to_virt(phys);
	if (size < sizeof(md->version) ||
	    md->version != KHO_KEXEC_METADATA_VERSION || size < sizeof(*md)) {
		pr_warn("kexec-metadata: unsupported version or size (%zu bytes)\n",
			size);
		return;
	}
	strscpy(kho_in.previous_release, md->previous_release,
		sizeof(kho_in.previous_release));
	kho_in.kexec_count = md->kexec_count;
	pr_info("exec from: %s (count %u)\n", kho_in.previous_release,
		kho_in.kexec_count);
	/* Copied: the page goes back (cleared) now rather than at the end. */
	folio = kho_restore_folio(phys);
	if (folio) {
		folio_zero_range(folio, 0, folio_size(folio));
		folio_put(folio);
	}
}

static int __init kho_out_metadata(void)
{
	struct kho_kexec_metadata *md;
	int err;

	md = kho_alloc_preserve(sizeof(*md));
	if (IS_ERR(md))
		return PTR_ERR(md);
	md->version = KHO_KEXEC_METADATA_VERSION;
	strscpy(md->previous_release, init_uts_ns.name.release,
		sizeof(md->previous_release));
	md->kexec_count = kho_in.kexec_count + 1;
	err = kho_add_subtree(KHO_METADATA_NODE_NAME, md, sizeof(*md));
	if (err)
		kho_unpreserve_free(md);
	return err;
}

static int __init kho_out_fdt_init(void)
{
	u64 map = virt_to_phys(kho_out.tree.root);
	void *fdt = kho_out.fdt;
	int err;

	err = fdt_create(fdt, PAGE_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", KHO_FDT_COMPATIBLE);
	err |= fdt_property(fdt, KHO_FDT_MEMORY_MAP_PROP_NAME, &map, sizeof(map));
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	return err ? -EINVAL : 0;
}

static void __init kho_release_scratch_to_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = pfn + PHYS_PFN(kho_scratch[i].size);

		for (; pfn < end; pfn += pageblock_nr_pages)
			init_cma_reserved_pageblock(pfn_to_page(pfn));
	}
}

static int __init kho_init(void)
{
	int err;

	if (kho_in.blocks) {
		/* The root FDT is ours for good: subtrees are read any time. */
		if (!kho_claim(kho_in.fdt_phys, 0, true)) {
			pr_warn("root FDT is not a preserved page\n");
		} else {
			kho_init_restored(pfn_to_page(PHYS_PFN(kho_in.fdt_phys)), 0, false);
			kho_in.fdt = phys_to_virt(kho_in.fdt_phys);
		}
	}
	if (kho_enable) {
		/* Before the metadata page is taken back and cleared. */
		err = kho_debugfs_init();
		if (!err && kho_in.fdt)
			kho_in_debugfs_init(&kho_in.dbg, kho_in.fdt);
	}
	if (kho_in.blocks) {
		kho_in_report();
		kho_in_metadata();
	}
	if (!kho_enable)
		return 0;

	err = kho_radix_init_tree(&kho_out.tree, NULL);
	if (err)
		goto fail;
	kho_out.fdt = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(kho_out.fdt)) {
		err = PTR_ERR(kho_out.fdt);
		kho_out.fdt = NULL;
		goto fail_tree;
	}
	err = kho_out_fdt_init();
	if (err)
		goto fail_fdt;
	if (kho_out_debugfs_init(&kho_out.dbg))
		pr_warn("cannot create debugfs files\n");
	err = kho_out_metadata();
	if (err)
		goto fail_fdt;
	if (kho_debugfs_blob_add(&kho_out.dbg, "fdt", kho_out.fdt,
				 fdt_totalsize(kho_out.fdt), true))
		pr_warn("cannot show the root FDT in debugfs\n");

	if (!kho_in.blocks)
		kho_release_scratch_to_cma();
	pr_info("enabled: %u scratch areas\n", kho_scratch_cnt);
	return 0;

fail_fdt:
	kho_unpreserve_free(kho_out.fdt);
	kho_out.fdt = NULL;
fail_tree:
	kho_radix_destroy_tree(&kho_out.tree);
fail:
	pr_warn("cannot initialize (%d); kexec handover disabled\n", err);
	if (!kho_in.blocks) {
		unsigned int i;

		for (i = 0; i < kho_scratch_cnt; i++)
			free_reserved_area(__va(kho_scratch[i].addr),
					   __va(kho_scratch[i].addr + kho_scratch[i].size),
					   -1, NULL);
		kho_scratch_cnt = 0;
	}
	kho_enable = false;
	return err;
}
fs_initcall(kho_init);

/* Free the pages of an array memblock_alloc()ed at boot; memblock is gone. */
static void kho_free_boot_array(const void *start, size_t size)
{
	const void *end = (const void *)PAGE_ALIGN((unsigned long)start + size);
	struct page *page;

	for (page = virt_to_page(start); page < virt_to_page(end); page++)
		free_reserved_page(page);
}

/*
 * Count the incoming preserved memory as managed by the page allocator,
 * all of it at once (restored or not, it is this kernel's memory now):
 * restoring a page then costs no shared counter updates, and freeing what
 * nobody restored does not count it again (kho_free_unclaimed()). Each
 * block counts in its head page's zone, as adjust_managed_page_count()
 * would count it. Runs in the boot-done worker, after /init started;
 * restores and frees before it leave the counts as they were.
 */
static void kho_account_incoming(void)
{
	unsigned long i, nr = 0, total = 0;
	struct zone *zone = NULL, *z;

	for (i = 0; i < kho_in.nr_blocks; i++) {
		const struct kho_block *b = &kho_in.blocks[i];

		z = page_zone(pfn_to_page(b->pfn));
		if (z != zone) {
			if (zone)
				atomic_long_add(nr, &zone->managed_pages);
			total += nr;
			nr = 0;
			zone = z;
		}
		nr += 1UL << b->order;
		if (!(i % 4096))
			cond_resched();
	}
	if (zone)
		atomic_long_add(nr, &zone->managed_pages);
	totalram_pages_add(total + nr);
}

/* free_reserved_page() but not counted again: see kho_account_incoming() */
static void kho_free_unclaimed(struct page *page)
{
	ClearPageReserved(page);
	init_page_count(page);
	__free_page(page);
}

/*
 * Whatever was preserved but not restored by now has no owner. Clear it,
 * so no one else sees its contents, and free it. Runs once, when the last
 * hold on the incoming state is dropped.
 */
static void kho_release_unclaimed(void)
{
	unsigned long i, j, pages = 0;
	struct page *page;

	if (!kho_in.blocks)
		return;
	WRITE_ONCE(kho_in.released, true);
	for (i = 0; i < kho_in.nr_blocks; i++) {
		const struct kho_block *b = &kho_in.blocks[i];

		page = pfn_to_page(b->pfn);
		if (!kho_claim(PFN_PHYS(b->pfn), b->order, true))
			continue;
		for (j = 0; j < (1UL << b->order); j++) {
			clear_highpage(page + j);
			kho_free_unclaimed(page + j);
		}
		pages += 1UL << b->order;
		cond_resched();
	}
	kho_free_boot_array(kho_in.blocks, kho_in.nr_blocks * sizeof(*kho_in.blocks));
	kho_in.blocks = NULL;
	kho_in.nr_blocks = 0;
	if (pages)
		pr_info("freed %lu KiB that was preserved but not restored\n",
			pages << (PAGE_SHIFT - 10));
}

/* Boot holds the incoming state until late_initcall_sync. */
static atomic_t kho_in_holds = ATOMIC_INIT(1);

/**
 * kho_hold_incoming - keep unrestored incoming memory past boot
 *
 * Memory the previous kernel preserved and nobody restored is cleared and
 * freed at the end of boot. A user whose owners restore later (userspace,
 * through the Live Update Orchestrator) takes a hold during boot and drops
 * it with kho_put_incoming() when they are done; the release then happens
 * when the last hold goes.
 *
 * Return: true if the hold was taken, false if there is no incoming state
 * any more.
 */
bool kho_hold_incoming(void)
{
	if (!kho_in.blocks)
		return false;
	return atomic_inc_not_zero(&kho_in_holds);
}
EXPORT_SYMBOL_GPL(kho_hold_incoming);

/**
 * kho_put_incoming - drop a hold taken with kho_hold_incoming()
 *
 * The last one clears and frees every preserved block nobody restored.
 * May sleep.
 */
void kho_put_incoming(void)
{
	might_sleep();
	if (atomic_dec_and_test(&kho_in_holds))
		kho_release_unclaimed();
}
EXPORT_SYMBOL_GPL(kho_put_incoming);

/*
 * Give the small holes between preserved blocks that boot kept reserved
 * (see kho_coalesce()) to the page allocator, then drop the bitmap.
 */
static void kho_free_gaps(void)
{
	unsigned long i, pfn, pages = 0;

	if (!kho_in.gaps)
		return;
	for (i = 0; i + 1 < kho_in.nr_blocks; i++) {
		if (!(i % 1024))
			cond_resched();
		if (!test_bit(i, kho_in.gaps))
			continue;
		for (pfn = kho_block_end(&kho_in.blocks[i]);
		     pfn < kho_in.blocks[i + 1].pfn; pfn++, pages++)
			free_reserved_page(pfn_to_page(pfn));
	}
	kho_free_boot_array(kho_in.gaps, BITS_TO_LONGS(kho_in.nr_blocks) * sizeof(long));
	kho_in.gaps = NULL;
	if (pages)
		pr_info("gave %lu KiB between preserved blocks to the page allocator\n",
			pages << (PAGE_SHIFT - 10));
}

static void kho_boot_done_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(kho_boot_done_wk, kho_boot_done_work);

/*
 * Boot drops its hold in a worker, once init runs: counting the incoming
 * memory, freeing the holes and clearing and freeing what nobody restored
 * take time in proportion to the handover and are not needed to reach
 * /init, so they stay off the path to it (the handover's blackout ends
 * when /init runs) instead of sharing the CPUs with the rest of boot.
 * The memory stays reserved, its contents unreadable, until then.
 */
static void kho_boot_done_work(struct work_struct *work)
{
	if (system_state < SYSTEM_RUNNING) {
		queue_delayed_work(system_unbound_wq, &kho_boot_done_wk, 1);
		return;
	}
	kho_account_incoming();
	kho_free_gaps();
	kho_put_incoming();
}

/**
 * kho_wait_boot_done - wait for what boot left to do with the handover
 *
 * For tests and benchmarks that time work after /init: returns once the
 * boot-done worker (accounting, holes, the boot's hold) has finished.
 * Call it only after init runs.
 */
void kho_wait_boot_done(void)
{
	flush_delayed_work(&kho_boot_done_wk);
}

static int __init kho_boot_done(void)
{
	queue_delayed_work(system_unbound_wq, &kho_boot_done_wk, 0);
	return 0;
}
late_initcall_sync(kho_boot_done);

#ifdef CONFIG_KEXEC_HANDOVER_SELFTEST
static struct kho_scratch *kho_selftest_scratch_map(void);
#else
static struct kho_scratch *kho_selftest_scratch_map(void)
{
	return kho_scratch;
}
#endif

/**
 * kho_fill_kimage - hand the scratch map to the kernel being loaded
 * @image: the image kexec_file_load() is building
 *
 * Return: 0, or the error of placing the scratch map.
 */
int kho_fill_kimage(struct kimage *image)
{
	struct kexec_buf kbuf = {
		.image = image,
		.buffer = kho_selftest_scratch_map(),
		.bufsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.mem = KEXEC_BUF_MEM_UNKNOWN,
		.memsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.buf_align = SZ_64K,
		.buf_max = ULONG_MAX,
		.top_down = true,
	};
	int err;

	if (!kho_enable || !kho_out.fdt || image->type == KEXEC_TYPE_CRASH)
		return 0;

	image->kho.fdt = virt_to_phys(kho_out.fdt);
	err = kexec_add_buffer(&kbuf);
	if (err) {
		pr_err("cannot place the scratch map for the next kernel: %d\n",
		       err);
		image->kho.fdt = 0;
		return err;
	}
	image->kho.scratch = &image->segment[image->nr_segments - 1];
	return 0;
}

/* The index of the scratch area that is @n-th by address, lowest first. */
static unsigned int kho_scratch_by_addr(unsigned int n)
{
	unsigned int i, j, below;

	for (i = 0; i < kho_scratch_cnt; i++) {
		below = 0;
		for (j = 0; j < kho_scratch_cnt; j++)
			if (kho_scratch[j].addr < kho_scratch[i].addr ||
			    (kho_scratch[j].addr == kho_scratch[i].addr && j < i))
				below++;
		if (below == n)
			return i;
	}
	return n;
}

/* A page no boot-time allocation holds (memblock's are PageReserved). */
static bool kho_page_free(unsigned long pfn)
{
	return pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn));
}

/* Offer @func each run of free pages of @area, lowest first. */
static int kho_place_in_free_runs(const struct resource *area,
				  struct kexec_buf *kbuf,
				  int (*func)(struct resource *, void *))
{
	unsigned long pfn = PFN_UP(area->start), end = PFN_DOWN(area->end + 1);
	unsigned long first;
	struct resource run;
	int ret = 0;

	while (pfn < end && ret != 1) {
		while (pfn < end && !kho_page_free(pfn))
			pfn++;
		first = pfn;
		while (pfn < end && kho_page_free(pfn))
			pfn++;
		if (PFN_PHYS(pfn - first) < kbuf->memsz)
			continue;
		run = (struct resource){
			.start = PFN_PHYS(first),
			.end = PFN_PHYS(pfn) - 1,
		};
		ret = func(&run, kbuf);
		cond_resched();
	}
	return ret;
}

/**
 * kho_locate_mem_hole - place a kexec segment inside scratch memory
 * @kbuf: the segment
 * @func: kexec's callback that tries one range
 *
 * Scratch areas above 4 GiB are tried first: the low area is sized for
 * what the next kernel must allocate below 4 GiB (its swiotlb bounce
 * buffer), which the kernel image and initrd would otherwise fill. Each
 * group is tried in the order of addresses the search runs in. A kernel
 * booted by a handover made its boot-time allocations in scratch, the
 * swiotlb bounce buffer among them, which devices write to: segments go
 * into the free pages between those first, and only when that fails
 * over them (purgatory then checks their digest).
 *
 * Return: 1 if KHO is not involved, 0 when placed, -EADDRNOTAVAIL when
 * scratch has no room for the segment.
 */
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *, void *))
{
	unsigned int i, n, pass;
	int ret = 0;

	if (!kho_enable || !kho_out.fdt || kbuf->image->type == KEXEC_TYPE_CRASH)
		return 1;

	/*
	 * Areas by address, lowest first (highest first for a top-down
	 * search): a kernel placed bottom-up leaves the areas above it to
	 * the segments that must lie above it (arm64's initrd and DTB).
	 * Passes 0 and 1: the free pages of the areas above 4 GiB, then
	 * below; 2 and 3: the same areas whole.
	 */
	for (pass = 0; pass < 4 && ret != 1; pass++) {
		for (n = 0; n < kho_scratch_cnt && ret != 1; n++) {
			struct resource res;

			i = kho_scratch_by_addr(kbuf->top_down ?
						kho_scratch_cnt - 1 - n : n);
			res = (struct resource){
				.start = kho_scratch[i].addr,
				.end = kho_scratch[i].addr +
				       kho_scratch[i].size - 1,
			};

			if (!kho_scratch[i].size ||
			    (res.start < SZ_4G) != (pass & 1))
				continue;
			if (pass < 2)
				ret = kho_place_in_free_runs(&res, kbuf, func);
			else
				ret = func(&res, kbuf);
		}
	}
	if (ret == 1)
		return 0;
	pr_err("no room for a %lu byte kexec segment in scratch memory; boot with a larger kho_scratch=\n",
	       kbuf->memsz);
	return -EADDRNOTAVAIL;
}

/* Does [@phys, @phys + @size) lie whole inside one of @nr @areas? */
VISIBLE_IF_KUNIT bool kho_range_in_scratch(const struct kho_scratch *areas,
					   unsigned int nr, phys_addr_t phys,
					   u64 size)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (phys >= areas[i].addr && size <= areas[i].size &&
		    phys - areas[i].addr <= areas[i].size - size)
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(kho_range_in_scratch);

/**
 * kho_segments_in_scratch - does every segment of an image lie in scratch?
 * @image: an image kexec_file_load() has placed
 *
 * Scratch memory holds only boot-time and movable allocations. Of the
 * boot-time ones, some are written by devices (the swiotlb bounce buffer
 * of a kernel booted by a handover); a segment over none of them lies in
 * memory nothing writes to once the devices are shut down, and
 * kexec_file_load() skips purgatory's digest of the segments when this
 * holds for all of them.
 *
 * Return: true for a handover image whose every segment lies whole inside
 * one scratch area and over no boot-time allocation (PageReserved), false
 * otherwise (and for a crash kernel).
 */
bool kho_segments_in_scratch(const struct kimage *image)
{
	unsigned long i;

	if (!kho_enable || !kho_out.fdt || image->type == KEXEC_TYPE_CRASH ||
	    !image->nr_segments)
		return false;
	for (i = 0; i < image->nr_segments; i++) {
		const struct kexec_segment *seg = &image->segment[i];
		unsigned long pfn;

		if (!kho_range_in_scratch(kho_scratch, kho_scratch_cnt,
					  seg->mem, seg->memsz))
			return false;
		for (pfn = PFN_DOWN(seg->mem);
		     pfn < PFN_UP(seg->mem + seg->memsz); pfn++) {
			if (!kho_page_free(pfn)) {
				pr_info("kexec segment at %pa lies over boot-time memory: purgatory checks the digest\n",
					&seg->mem);
				return false;
			}
		}
	}
	return true;
}

#ifdef CONFIG_KEXEC_HANDOVER_SELFTEST
/* Damage to the boot loader's entry or the scratch map, for the next load. */
static enum {
	KHO_TEST_SETUP_NONE,
	KHO_TEST_SETUP_FDT_SIZE,	/* announce a 512 KiB root FDT */
	KHO_TEST_SETUP_NONCANONICAL,	/* scratch map at a non-canonical address */
	KHO_TEST_SETUP_MAXPHYS,		/* scratch map above any physical address */
	KHO_TEST_SCRATCH_NOT_RAM,	/* a scratch area outside RAM */
	KHO_TEST_SETUP_TWICE,		/* a bad second entry after the first */
	KHO_TEST_SETUP_BAD_FIRST,	/* a bad first entry, the real one second */
} kho_test_setup;

/* The names "corrupt" takes for them. */
static const char * const kho_test_setup_names[] = {
	[KHO_TEST_SETUP_NONE]		= "",
	[KHO_TEST_SETUP_FDT_SIZE]	= "setup-fdt-size",
	[KHO_TEST_SETUP_NONCANONICAL]	= "setup-noncanonical",
	[KHO_TEST_SETUP_MAXPHYS]	= "setup-maxphys",
	[KHO_TEST_SCRATCH_NOT_RAM]	= "scratch-not-ram",
	[KHO_TEST_SETUP_TWICE]		= "setup-twice",
	[KHO_TEST_SETUP_BAD_FIRST]	= "setup-bad-first",
};

/**
 * kho_selftest_setup_entries - how many handover entries to write
 *
 * Return: 2 after a "setup-twice" or "setup-bad-first" corruption was
 * asked for (at most %KHO_SETUP_ENTRIES_MAX), else 1.
 */
unsigned int kho_selftest_setup_entries(void)
{
	return kho_test_setup == KHO_TEST_SETUP_TWICE ||
	       kho_test_setup == KHO_TEST_SETUP_BAD_FIRST ? 2 : 1;
}

/**
 * kho_selftest_setup_data - damage a handover entry of the kernel loaded
 * @i: the entry, 0 for the first in the boot loader's list
 * @fdt_size: the root FDT size the entry announces
 * @scratch_addr: the scratch map address it announces
 *
 * Called by the architecture's kexec loader when it writes an entry; does
 * something only after a "setup-*" corruption was asked for. The bad
 * entry of "setup-twice" and "setup-bad-first" announces an empty root
 * FDT.
 */
void kho_selftest_setup_data(unsigned int i, u64 *fdt_size, u64 *scratch_addr)
{
	if ((kho_test_setup == KHO_TEST_SETUP_TWICE && i == 1) ||
	    (kho_test_setup == KHO_TEST_SETUP_BAD_FIRST && i == 0)) {
		*fdt_size = 0;
		return;
	}
	if (i)
		return;
	switch (kho_test_setup) {
	case KHO_TEST_SETUP_FDT_SIZE:
		*fdt_size = SZ_512K;
		break;
	case KHO_TEST_SETUP_NONCANONICAL:
		*scratch_addr = 0xdead000000000000ULL;
		break;
	case KHO_TEST_SETUP_MAXPHYS:
		*scratch_addr = 1ULL << 51;
		break;
	default:
		break;
	}
}

/*
 * The scratch map handed to the next kernel: a damaged copy after the
 * "scratch-not-ram" corruption (area 0 moved into the hole below 4 GiB).
 */
static struct kho_scratch *kho_selftest_scratch_map(void)
{
	static struct kho_scratch *copy;

	if (kho_test_setup != KHO_TEST_SCRATCH_NOT_RAM)
		return kho_scratch;
	kfree(copy);
	copy = kmemdup(kho_scratch, kho_scratch_cnt * sizeof(*kho_scratch),
		       GFP_KERNEL);
	if (!copy)
		return kho_scratch;
	copy[0].addr = SZ_4G - SZ_256M;
	return copy;
}

/*
 * Mutation: at kexec, after every user wrote its state (a reboot notifier
 * that runs last), flip 1 to 4 random bytes of the outgoing handover's
 * metadata: the root FDT, a subtree blob, a node of the preserved-memory
 * tree or a registered metadata area (kho_mutate_pick()). The bytes
 * depend only on the seed, which is logged with every flip so that a
 * failure can be replayed.
 */
static u64 kho_mutate_rng;
static u64 kho_mutate_seed;

static u64 kho_mutate_next(void)
{
	kho_mutate_rng ^= kho_mutate_rng << 13;
	kho_mutate_rng ^= kho_mutate_rng >> 7;
	kho_mutate_rng ^= kho_mutate_rng << 17;
	return kho_mutate_rng;
}

struct kho_mutate_pick {
	unsigned long left;	/* nodes to skip before the one picked */
	phys_addr_t phys;
};

static int kho_mutate_count_node(phys_addr_t phys, void *data)
{
	(*(unsigned long *)data)++;
	return 0;
}

static int kho_mutate_pick_node(phys_addr_t phys, void *data)
{
	struct kho_mutate_pick *p = data;

	if (p->left--)
		return 0;
	p->phys = phys;
	return 1;
}

/* Target number @t: the FDT, then subtrees, tree nodes, metadata areas. */
static void *kho_mutate_target(unsigned long t, unsigned long nr_subtrees,
			       unsigned long nr_nodes, size_t *size,
			       const char **what)
{
	void *fdt = kho_out.fdt;
	struct kho_meta *m;
	int off;

	if (!t--) {
		*what = "root FDT";
		*size = fdt_totalsize(fdt);
		return fdt;
	}
	if (t < nr_subtrees) {
		fdt_for_each_subnode(off, fdt, 0) {
			const u64 *pp, *ps;

			if (t--)
				continue;
			pp = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME, NULL);
			ps = fdt_getprop(fdt, off, KHO_SUB_TREE_SIZE_PROP_NAME, NULL);
			if (!pp || !ps)
				return NULL;
			*what = fdt_get_name(fdt, off, NULL);
			*size = get_unaligned(ps);
			return phys_to_virt(get_unaligned(pp));
		}
		return NULL;
	}
	t -= nr_subtrees;
	if (t < nr_nodes) {
		struct kho_radix_walk_cb cb = { .node = kho_mutate_pick_node };
		struct kho_mutate_pick pick = { .left = t };

		kho_radix_walk_tree(&kho_out.tree, &cb, &pick);
		*what = "tree node";
		*size = PAGE_SIZE;
		return pick.phys ? phys_to_virt(pick.phys) : NULL;
	}
	t -= nr_nodes;
	spin_lock(&kho_meta_lock);
	list_for_each_entry(m, &kho_meta_list, list) {
		if (t--)
			continue;
		*what = "metadata";
		*size = m->size;
		spin_unlock(&kho_meta_lock);
		return m->addr;
	}
	spin_unlock(&kho_meta_lock);
	return NULL;
}

/*
 * A target number: its kind first, the root FDT, a subtree blob, a tree
 * node or a metadata area with equal odds among the kinds there are, then
 * one of that kind. (Picked among all targets at once, the tree's nodes,
 * most of them, drew most flips, and most handovers were refused whole.)
 */
static unsigned long kho_mutate_pick(unsigned long nr_subtrees,
				     unsigned long nr_nodes,
				     unsigned long nr_meta)
{
	const unsigned long nr[] = { 1, nr_subtrees, nr_nodes, nr_meta };
	unsigned long base = 0;
	unsigned int kind, k;

	do {
		kind = kho_mutate_next() % ARRAY_SIZE(nr);
	} while (!nr[kind]);
	for (k = 0; k < kind; k++)
		base += nr[k];
	return base + kho_mutate_next() % nr[kind];
}

static void kho_mutate_now(void)
{
	struct kho_radix_walk_cb cb = { .node = kho_mutate_count_node };
	unsigned long nr_subtrees = 0, nr_nodes = 0, nr_meta = 0, total;
	struct {
		unsigned long t;
		const char *what;
		u8 *p;
		size_t at;
		u8 x;
	} flip[4];
	unsigned int flips, i;
	struct kho_meta *m;
	int off;

	kho_mutate_rng = kho_mutate_seed * 0x9e3779b97f4a7c15ULL + 1;
	fdt_for_each_subnode(off, kho_out.fdt, 0)
		nr_subtrees++;
	kho_radix_walk_tree(&kho_out.tree, &cb, &nr_nodes);
	spin_lock(&kho_meta_lock);
	list_for_each_entry(m, &kho_meta_list, list)
		nr_meta++;
	spin_unlock(&kho_meta_lock);
	total = 1 + nr_subtrees + nr_nodes + nr_meta;
	flips = 1 + kho_mutate_next() % ARRAY_SIZE(flip);
	pr_warn("KHO-MUTATE: seed %llu: %u flips among %lu targets (%lu subtrees, %lu tree nodes, %lu metadata areas)\n",
		kho_mutate_seed, flips, total, nr_subtrees, nr_nodes, nr_meta);
	/* Every byte is found first: a flipped tree node is not walked. */
	for (i = 0; i < flips; i++) {
		size_t size = 0;

		flip[i].t = kho_mutate_pick(nr_subtrees, nr_nodes, nr_meta);
		flip[i].what = "?";
		flip[i].p = kho_mutate_target(flip[i].t, nr_subtrees, nr_nodes,
					      &size, &flip[i].what);
		flip[i].at = size ? kho_mutate_next() % size : 0;
		flip[i].x = 1 + kho_mutate_next() % 255;
		if (!size)
			flip[i].p = NULL;
	}
	for (i = 0; i < flips; i++) {
		u8 *p = flip[i].p, old;

		if (!p)
			continue;
		/*
		 * A vmalloc area is registered by whole pages; KASAN guards the
		 * tail past what was asked for. Damage there is damage too.
		 */
		kasan_disable_current();
		old = p[flip[i].at];
		p[flip[i].at] ^= flip[i].x;
		kasan_enable_current();
		pr_warn("KHO-MUTATE: seed %llu: target %lu (%s) byte %#zx: %#04x -> %#04x\n",
			kho_mutate_seed, flip[i].t, flip[i].what, flip[i].at, old,
			old ^ flip[i].x);
	}
}

static int kho_mutate_reboot(struct notifier_block *nb, unsigned long code,
			     void *unused)
{
	if (code == SYS_RESTART && kexec_in_progress && kho_out_ready())
		kho_mutate_now();
	return NOTIFY_DONE;
}

/* After every other reboot notifier: the state is all written. */
static struct notifier_block kho_mutate_nb = {
	.notifier_call = kho_mutate_reboot,
	.priority = INT_MIN,
};

static int kho_mutate_arm(const char *seed)
{
	static bool registered;
	int err = kstrtoull(seed, 0, &kho_mutate_seed);

	if (err)
		return err;
	if (!registered) {
		err = register_reboot_notifier(&kho_mutate_nb);
		if (err)
			return err;
		registered = true;
	}
	return 0;
}

/* A preserved order-0 page to build overlapping corruptions around. */
static phys_addr_t kho_selftest_some_page(void)
{
	return virt_to_phys(kho_out.fdt);
}

/* Follow the tree down towards @key, returning the node of @stop level. */
static struct kho_radix_node *kho_selftest_node(unsigned long key,
						unsigned int stop)
{
	struct kho_radix_node *node = kho_out.tree.root;
	unsigned int level;

	for (level = KHO_TREE_MAX_DEPTH - 1; level > stop; level--) {
		u64 next = node->table[kho_radix_table_index(key, level)];

		if (!next)
			return NULL;
		node = phys_to_virt(next);
	}
	return node;
}

/**
 * kho_selftest_corrupt - damage the outgoing handover on purpose
 * @what: which corruption (see the list below)
 *
 * For tests of the next kernel's checks only. Each corruption must make
 * the next kernel refuse the whole handover.
 *
 * Return: 0, -EINVAL for an unknown name, -EOPNOTSUPP when KHO is off.
 */
int kho_selftest_corrupt(const char *what)
{
	void *fdt = kho_out.fdt;
	phys_addr_t page = kho_selftest_some_page();
	u64 val;
	int err = 0;

	if (!kho_out_ready() || !fdt)
		return -EOPNOTSUPP;

	if (str_has_prefix(what, "mutate:"))
		return kho_mutate_arm(what + strlen("mutate:"));
	err = match_string(kho_test_setup_names,
			   ARRAY_SIZE(kho_test_setup_names), what);
	if (err > KHO_TEST_SETUP_NONE) {
		kho_test_setup = err;
		return 0;
	}
	err = 0;

	if (!strcmp(what, "subtree-unpreserved")) {
		void *blob = (void *)get_zeroed_page(GFP_KERNEL);

		if (!blob)
			return -ENOMEM;
		return kho_add_subtree("kho-selftest-bad", blob, 64);
	}

	mutex_lock(&kho_out.lock);
	if (!strcmp(what, "fdt-magic")) {
		fdt_set_magic(fdt, 0xdeadbeef);
	} else if (!strcmp(what, "fdt-compatible")) {
		err = fdt_setprop_inplace(fdt, 0, "compatible", "kho-v9", 7);
	} else if (!strcmp(what, "fdt-totalsize")) {
		fdt_set_totalsize(fdt, 2 * PAGE_SIZE);
	} else if (!strcmp(what, "fdt-structure")) {
		/* An FDT_END tag right after the root node's start. */
		*(fdt32_t *)(fdt + fdt_off_dt_struct(fdt) + 8) =
			cpu_to_fdt32(FDT_END);
	} else if (!strcmp(what, "memmap-misaligned")) {
		val = virt_to_phys(kho_out.tree.root) + 8;
		err = fdt_setprop_inplace(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME,
					  &val, sizeof(val));
	} else if (!strcmp(what, "memmap-outside-ram")) {
		val = PFN_PHYS(max_pfn) + SZ_1G;
		err = fdt_setprop_inplace(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME,
					  &val, sizeof(val));
	} else if (!strcmp(what, "block-in-scratch")) {
		err = kho_radix_add_key(&kho_out.tree,
					kho_radix_encode_key(kho_scratch[0].addr, 0));
	} else if (!strcmp(what, "block-outside-ram")) {
		err = kho_radix_add_key(&kho_out.tree,
				kho_radix_encode_key(PFN_PHYS(max_pfn) + SZ_1G, 0));
	} else if (!strcmp(what, "block-overlap")) {
		err = kho_radix_add_key(&kho_out.tree,
				kho_radix_encode_key(ALIGN_DOWN(page, 2 * PAGE_SIZE), 1));
	} else if (!strcmp(what, "block-reserved")) {
		/* Low memory that every x86 kernel reserves for itself. */
		err = kho_radix_add_key(&kho_out.tree,
					kho_radix_encode_key(SZ_512K, 0));
	} else if (!strcmp(what, "tree-cycle")) {
		struct kho_radix_node *n =
			kho_selftest_node(kho_radix_encode_key(page, 0), 1);
		unsigned int i;

		/* Point a free slot of a level-1 node back at the root. */
		err = -ENOSPC;
		for (i = 0; n && i < ARRAY_SIZE(n->table); i++) {
			if (!n->table[i]) {
				n->table[i] = virt_to_phys(kho_out.tree.root);
				err = 0;
				break;
			}
		}
	} else if (!strcmp(what, "tree-garbage")) {
		unsigned long key = kho_radix_encode_key(page, 0);
		struct kho_radix_node *n = kho_selftest_node(key, 2);
		u64 *junk = (u64 *)get_zeroed_page(GFP_KERNEL);
		unsigned int i;

		/* Replace a level-1 table by a page of junk pointers. */
		err = -ENOMEM;
		if (n && junk) {
			for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
				junk[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
			n->table[kho_radix_table_index(key, 2)] =
				virt_to_phys(junk);
			err = 0;
		}
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&kho_out.lock);
	return err;
}
#endif
