// SPDX-License-Identifier: GPL-2.0
/*
 * kfmemblock.c - memblock for the shim: memory is the arena, the reserved
 * list is kept sorted and merged as the kernel's is, and allocations in
 * scratch-only mode come from the areas marked as KHO scratch (as they
 * must at the point KHO checks the handover).
 */
#include "kshim.h"

static struct memblock_region kf_mem_regions[KF_MEMBLOCK_MAX];
static struct memblock_region kf_rsv_regions[KF_MEMBLOCK_MAX];
struct memblock memblock = {
	.memory = { .regions = kf_mem_regions, .max = KF_MEMBLOCK_MAX },
	.reserved = { .regions = kf_rsv_regions, .max = KF_MEMBLOCK_MAX },
};
static struct memblock_region kf_scratch[64];
static unsigned int kf_nr_scratch;
static bool kf_scratch_only;

void kf_memblock_reset(void)
{
	memblock.memory.cnt = 1;
	kf_mem_regions[0].base = KF_PHYS_BASE;
	kf_mem_regions[0].size = kf_npages * PAGE_SIZE;
	kf_mem_regions[0].flags = 0;
	memblock.reserved.cnt = 0;
	kf_nr_scratch = 0;
	kf_scratch_only = false;
}

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &kf_mem_regions[i];

		if (base >= r->base && base + size > base &&
		    base + size <= r->base + r->size)
			return true;
	}
	return false;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long i;
	phys_addr_t end = 0;

	for (i = 0; i < memblock.memory.cnt; i++)
		end = max(end, kf_mem_regions[i].base + kf_mem_regions[i].size);
	return end;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	if (!size || memblock_is_region_memory(base, size))
		return 0;
	if (!kf_phys_in_arena(base, size))
		kf_die("memblock_add(%#llx, %#llx) outside the machine's RAM",
		       (unsigned long long)base, (unsigned long long)size);
	return 0;
}

/* Remove [base, base + size) from the reserved list. */
static void kf_rsv_remove(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *t = &memblock.reserved;
	phys_addr_t end = base + size;
	unsigned long i;

	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &kf_rsv_regions[i];
		phys_addr_t rend = r->base + r->size;

		if (rend <= base || r->base >= end)
			continue;
		if (r->base < base && rend > end) {
			/* Split in two. */
			if (t->cnt == t->max)
				kf_die("memblock: too many regions");
			memmove(r + 2, r + 1, (t->cnt - i - 1) * sizeof(*r));
			t->cnt++;
			r[1] = *r;
			r->size = base - r->base;
			r[1].base = end;
			r[1].size = rend - end;
			return;
		}
		if (r->base < base) {
			r->size = base - r->base;
		} else if (rend > end) {
			r->size = rend - end;
			r->base = end;
		} else {
			memmove(r, r + 1, (t->cnt - i - 1) * sizeof(*r));
			t->cnt--;
			i--;
		}
	}
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *t = &memblock.reserved;
	phys_addr_t end = base + size;
	unsigned long i, j;

	if (!size)
		return 0;
	/* Swallow every region it overlaps or touches, then insert. */
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &kf_rsv_regions[i];

		if (r->base + r->size < base || r->base > end)
			continue;
		base = min(base, r->base);
		end = max(end, r->base + r->size);
	}
	kf_rsv_remove(base, end - base);
	for (i = 0; i < t->cnt && kf_rsv_regions[i].base < base; i++)
		;
	if (t->cnt == t->max)
		return -ENOMEM;
	for (j = t->cnt; j > i; j--)
		kf_rsv_regions[j] = kf_rsv_regions[j - 1];
	kf_rsv_regions[i] = (struct memblock_region){ .base = base,
						      .size = end - base };
	t->cnt++;
	return 0;
}

int memblock_reserve_sorted(struct memblock_region *r, unsigned long nr)
{
	unsigned long i;
	int err;

	for (i = 0; i < nr; i++) {
		if (i && r[i].base < r[i - 1].base + r[i - 1].size)
			kf_die("memblock_reserve_sorted: ranges not sorted/disjoint");
		err = memblock_reserve(r[i].base, r[i].size);
		if (err)
			return err;
	}
	return 0;
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	kf_rsv_remove(base, size);
	return 0;
}

int memblock_mark_kho_scratch(phys_addr_t base, phys_addr_t size)
{
	if (kf_nr_scratch == ARRAY_SIZE(kf_scratch))
		return -ENOMEM;
	if (size)
		kf_scratch[kf_nr_scratch++] = (struct memblock_region){
			.base = base, .size = size };
	return 0;
}

int memblock_clear_kho_scratch(phys_addr_t base, phys_addr_t size)
{
	unsigned int i;

	for (i = 0; i < kf_nr_scratch; i++)
		if (kf_scratch[i].base == base && kf_scratch[i].size == size) {
			kf_scratch[i] = kf_scratch[--kf_nr_scratch];
			break;
		}
	return 0;
}

void memblock_set_kho_scratch_only(void)
{
	kf_scratch_only = true;
}

void memblock_clear_kho_scratch_only(void)
{
	kf_scratch_only = false;
}

phys_addr_t memblock_reserved_kern_size(phys_addr_t limit, int nid)
{
	return 0;
}

static bool kf_rsv_overlaps(phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	for (i = 0; i < memblock.reserved.cnt; i++)
		if (kf_rsv_regions[i].base < base + size &&
		    base < kf_rsv_regions[i].base + kf_rsv_regions[i].size)
			return true;
	return false;
}

/* First fit, in scratch areas when scratch-only, else anywhere in RAM. */
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid)
{
	struct memblock_region whole = {
		.base = KF_PHYS_BASE, .size = kf_npages * PAGE_SIZE };
	struct memblock_region *areas = kf_scratch_only ? kf_scratch : &whole;
	unsigned int n = kf_scratch_only ? kf_nr_scratch : 1, i;
	phys_addr_t p;

	if (!size)
		return 0;
	align = max_t(phys_addr_t, align, PAGE_SIZE);
	size = PAGE_ALIGN(size);
	for (i = 0; i < n; i++) {
		phys_addr_t lo = areas[i].base, hi = areas[i].base + areas[i].size;

		if (!kf_phys_in_arena(lo, areas[i].size))
			continue;
		for (p = ALIGN(lo, align); p + size <= hi && p + size > p;
		     p += align) {
			if (kf_rsv_overlaps(p, size))
				continue;
			memblock_reserve(p, size);
			return p;
		}
	}
	return 0;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE,
					false);
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0,
					 MEMBLOCK_ALLOC_ANYWHERE);
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t p = memblock_phys_alloc(size, align);
	void *v;

	if (!p)
		return NULL;
	v = phys_to_virt(p);
	memset(v, 0, size);
	return v;
}

void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		kf_rsv_remove(virt_to_phys(ptr), PAGE_ALIGN(size));
}

phys_addr_t memblock_phys_mem_size(void)
{
	unsigned long i;
	phys_addr_t total = 0;

	for (i = 0; i < memblock.memory.cnt; i++)
		total += kf_mem_regions[i].size;
	return total;
}
