// SPDX-License-Identifier: GPL-2.0
/*
 * kstate_selftest.c - a built-in KSTATE user for testing roll-forward and
 * roll-back between kernels with different versions of one description
 *
 * Boot with kho=on kstate_selftest=N[,extra][,damage=ID]. At late_initcall
 * this registers N instances (ids 0..N-1) of the description
 * "kstate-selftest", version 1, or version 2 in a kernel built with
 * CONFIG_KSTATE_SELFTEST_V2. Version 2 adds the field "bonus" (default
 * 1234 when the writer did not have it) and the subsection
 * "kstate-selftest-extra", needed (and so written) for odd ids when
 * "extra" is given. Instance 0 also holds a folio, four pages and a
 * vmalloc area, handed over through KHO.
 *
 * Each restored instance is checked field by field, and its memory byte
 * by byte, against what the previous kernel wrote (derived from the id
 * and the generation), then the generation goes up for the next kexec.
 * A version 2 kernel writes bonus = 5000 + generation. "damage=ID"
 * damages the object header of instance ID's record in the outgoing
 * stream. Results are printed as lines starting "KSTATE-SELFTEST:".
 */

#define pr_fmt(fmt) "KSTATE-SELFTEST: " fmt

#include <linux/init.h>
#include <linux/kstate.h>
#include <linux/mm.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kstate_internal.h"

#ifdef CONFIG_KSTATE_SELFTEST_V2
#define KST_VERSION	2
#else
#define KST_VERSION	1
#endif

#define KST_MAX		4096
#define KST_BONUS_DEF	1234
#define KST_AREA_SIZE	(3 * PAGE_SIZE)

struct kst_mem {
	struct folio *folio;
	struct page *pages;
	u32 nr_pages;
	void *area;
};

struct kst_obj {
	u32 id;
	u32 gen;
	u64 stamp;
	char name[24];
	u8 nvals;
	u16 vals[6];
	struct kst_mem *mem;
	/* Version 2. */
	u32 bonus;
	u64 extra;
	bool want_extra;
	/* Not handed over: set by post_load(). */
	u32 from_version;
};

static const struct kstate_field kst_mem_fields[] = {
	KSTATE_FOLIO_FIELD(struct kst_mem, folio),
	KSTATE_UINT(struct kst_mem, nr_pages),
	KSTATE_PAGES_FIELD(struct kst_mem, pages, nr_pages),
	KSTATE_VMALLOC_FIELD(struct kst_mem, area),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kst_mem_desc = {
	.name = "kstate-selftest-mem",
	.version_id = 1,
	.minimum_version_id = 1,
	.size = sizeof(struct kst_mem),
	.fields = kst_mem_fields,
};

static const struct kstate_field kst_fields[] = {
	KSTATE_UINT(struct kst_obj, id),
	KSTATE_UINT(struct kst_obj, gen),
	KSTATE_UINT(struct kst_obj, stamp),
	KSTATE_STRING_BUF(struct kst_obj, name),
	KSTATE_UINT(struct kst_obj, nvals),
	KSTATE_UINT_VARRAY(struct kst_obj, vals, nvals),
	KSTATE_POINTER_FIELD(struct kst_obj, mem, &kst_mem_desc),
#if KST_VERSION >= 2
	KSTATE_UINT_DEF(struct kst_obj, bonus, 2, KST_BONUS_DEF),
#endif
	KSTATE_END_OF_LIST
};

#if KST_VERSION >= 2
static bool kst_extra_needed(const void *obj)
{
	return ((const struct kst_obj *)obj)->want_extra;
}

static const struct kstate_field kst_extra_fields[] = {
	KSTATE_UINT_V(struct kst_obj, extra, 2),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kst_extra_desc = {
	.name = "kstate-selftest-extra",
	.version_id = 2,
	.minimum_version_id = 2,
	.size = sizeof(struct kst_obj),
	.fields = kst_extra_fields,
	.needed = kst_extra_needed,
};

static const struct kstate_description * const kst_subsections[] = {
	&kst_extra_desc, NULL
};
#endif

static int kst_post_load(void *obj, unsigned int version_id)
{
	((struct kst_obj *)obj)->from_version = version_id;
	return 0;
}

static const struct kstate_description kst_desc = {
	.name = "kstate-selftest",
	.post_load = kst_post_load,
	.version_id = KST_VERSION,
	.minimum_version_id = 1,
	.size = sizeof(struct kst_obj),
	.fields = kst_fields,
#if KST_VERSION >= 2
	.subsections = kst_subsections,
#endif
};

static unsigned int kst_count __initdata;
static bool kst_extra __initdata;
static int kst_damage_id __initdata = -1;
static struct kst_obj *kst_objs;

static int __init kst_param(char *p)
{
	char *opt;

	if (kstrtouint(strsep(&p, ","), 0, &kst_count) || kst_count > KST_MAX)
		return -EINVAL;
	while ((opt = strsep(&p, ",")) != NULL) {
		if (!strcmp(opt, "extra"))
			kst_extra = true;
		else if (!strncmp(opt, "damage=", 7) &&
			 kstrtoint(opt + 7, 0, &kst_damage_id))
			return -EINVAL;
	}
	return 0;
}
early_param("kstate_selftest", kst_param);

/* What generation @gen of instance @id holds. */
static u64 kst_stamp(u32 id, u32 gen)
{
	return 0x6b73746174650000ULL ^ ((u64)id << 32) ^ gen;
}

static u8 kst_byte(u32 gen, size_t i)
{
	return (u8)(gen * 31 + i * 7 + (i >> 12));
}

static void kst_fill(struct kst_obj *o, u32 id, u32 gen)
{
	unsigned int i;

	o->id = id;
	o->gen = gen;
	o->stamp = kst_stamp(id, gen);
	snprintf(o->name, sizeof(o->name), "inst-%u-gen-%u", id, gen);
	o->nvals = 1 + (id + gen) % ARRAY_SIZE(o->vals);
	memset(o->vals, 0, sizeof(o->vals));
	for (i = 0; i < o->nvals; i++)
		o->vals[i] = id * 10 + gen + i;
	o->extra = kst_stamp(gen, id);
}

static bool kst_check(const struct kst_obj *o, u32 id, u32 gen)
{
	struct kst_obj want = {};

	kst_fill(&want, id, gen);
	return o->id == id && o->gen == gen && o->stamp == want.stamp &&
	       !strcmp(o->name, want.name) && o->nvals == want.nvals &&
	       !memcmp(o->vals, want.vals, sizeof(want.vals));
}

static void kst_fill_bytes(u8 *p, size_t len, u32 gen)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = kst_byte(gen, i);
}

static size_t kst_bad_bytes(const u8 *p, size_t len, u32 gen)
{
	size_t i, bad = 0;

	for (i = 0; i < len; i++)
		bad += p[i] != kst_byte(gen, i);
	return bad;
}

/* The memory of instance 0, filled for generation @gen. */
static int kst_mem_new(struct kst_obj *o, u32 gen)
{
	struct kst_mem *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->folio = folio_alloc(GFP_KERNEL, 2);
	m->pages = alloc_pages(GFP_KERNEL, 2);
	m->area = vmalloc(KST_AREA_SIZE);
	if (!m->folio || !m->pages || !m->area) {
		if (m->folio)
			folio_put(m->folio);
		if (m->pages)
			__free_pages(m->pages, 2);
		vfree(m->area);
		kfree(m);
		return -ENOMEM;
	}
	split_page(m->pages, 2);
	m->nr_pages = 4;
	o->mem = m;
	return 0;
}

static void kst_mem_fill(struct kst_mem *m, u32 gen)
{
	unsigned int i;

	kst_fill_bytes(folio_address(m->folio), folio_size(m->folio), gen);
	for (i = 0; i < m->nr_pages; i++)
		kst_fill_bytes(page_address(m->pages + i), PAGE_SIZE, gen + i);
	kst_fill_bytes(m->area, KST_AREA_SIZE, gen ^ 0x55);
}

static size_t kst_mem_bad(const struct kst_mem *m, u32 gen)
{
	size_t bad;
	unsigned int i;

	if (!m->folio || folio_order(m->folio) != 2 || !m->pages ||
	    m->nr_pages != 4 || !m->area)
		return SIZE_MAX;
	bad = kst_bad_bytes(folio_address(m->folio), folio_size(m->folio), gen);
	for (i = 0; i < m->nr_pages; i++)
		bad += kst_bad_bytes(page_address(m->pages + i), PAGE_SIZE,
				     gen + i);
	return bad + kst_bad_bytes(m->area, KST_AREA_SIZE, gen ^ 0x55);
}

static int __init kstate_selftest_init(void)
{
	unsigned int restored = 0, nothing = 0, refused = 0, bad = 0, i;
	u64 start = local_clock();
	int ret;

	if (!kst_count)
		return 0;
	kst_objs = kcalloc(kst_count, sizeof(*kst_objs), GFP_KERNEL);
	if (!kst_objs)
		return -ENOMEM;
	for (i = 0; i < kst_count; i++) {
		struct kst_obj *o = &kst_objs[i];
		u32 gen;

		ret = kstate_register(&kst_desc, o, i);
		if (ret < 0) {
			pr_err("FAIL register %u: %d\n", i, ret);
			bad++;
			continue;
		}
		if (ret == KSTATE_RESTORED) {
			gen = o->gen;
			if (!kst_check(o, i, gen) || (i == 0) != !!o->mem) {
				pr_err("FAIL instance %u: restored generation %u differs\n",
				       i, gen);
				bad++;
			} else if (o->mem && kst_mem_bad(o->mem, gen)) {
				pr_err("FAIL instance %u: %zu bad bytes in its memory\n",
				       i, kst_mem_bad(o->mem, gen));
				bad++;
			}
			restored++;
			if (i < 2)
				pr_info("instance %u: from version %u, generation %u, %s, bonus=%u extra=%#llx\n",
					i, o->from_version, gen, o->name,
					o->bonus, o->extra);
		} else {
			if (ret == KSTATE_REFUSED)
				refused++;
			else
				nothing++;
			memset(o, 0, sizeof(*o));
			o->bonus = KST_BONUS_DEF;
			gen = 0;
		}
		/* The next kernel gets the next generation. */
		kst_fill(o, i, gen + 1);
		o->want_extra = kst_extra && (i & 1);
		if (KST_VERSION >= 2)
			o->bonus = 5000 + gen + 1;
		if (i == 0) {
			if (!o->mem && kst_mem_new(o, gen + 1)) {
				pr_err("FAIL no memory for instance 0\n");
				bad++;
				continue;
			}
			kst_mem_fill(o->mem, gen + 1);
		}
	}
	if (kst_damage_id >= 0)
		kstate_selftest_damage(kst_desc.name, kst_damage_id);
	pr_info("%s version %u: %u instances: restored=%u nothing=%u refused=%u bad=%u, registered in %llu us\n",
		bad ? "FAIL" : "PASS", KST_VERSION, kst_count, restored, nothing,
		refused, bad, div_u64(local_clock() - start, NSEC_PER_USEC));
	return 0;
}
late_initcall(kstate_selftest_init);
