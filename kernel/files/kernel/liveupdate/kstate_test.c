// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for KSTATE: round trips of every field kind, version skew
 * in both directions (defaults, skipped fields, subsections), scalar
 * width changes, count fields that disagree with their arrays, bad
 * descriptions, and truncated and randomly damaged streams. Memory
 * fields go through a stand-in for KHO that hands back the same folios,
 * pages and vmalloc areas it was given.
 */

#include <kunit/test.h>
#include <linux/kstate.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kstate_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* ---------------------------------------------------------------------- */
/* A stand-in for KHO                                                     */

#define KT_SLOTS 8

enum { KT_FOLIO, KT_PAGES, KT_VMALLOC };

static struct {
	void *ptr;		/* folio, first page or vmalloc area */
	unsigned long nr;	/* pages; order for a folio */
	int kind;
	bool preserved, taken;
} kt_mem[KT_SLOTS];

static int kt_slot_of(void *ptr)
{
	int i;

	for (i = 0; i < KT_SLOTS; i++)
		if (kt_mem[i].ptr == ptr && kt_mem[i].preserved)
			return i;
	return -1;
}

static int kt_preserve(void *ptr, unsigned long nr, int kind)
{
	int i;

	for (i = 0; i < KT_SLOTS; i++) {
		if (!kt_mem[i].preserved) {
			kt_mem[i].ptr = ptr;
			kt_mem[i].nr = nr;
			kt_mem[i].kind = kind;
			kt_mem[i].preserved = true;
			kt_mem[i].taken = false;
			return 0;
		}
	}
	return -ENOSPC;
}

static void kt_unpreserve(void *ptr)
{
	int i = kt_slot_of(ptr);

	if (i >= 0)
		kt_mem[i].preserved = false;
}

/* The slot of what was preserved at @phys as @kind, not taken yet. */
static int kt_take(phys_addr_t phys, int kind)
{
	int i;

	for (i = 0; i < KT_SLOTS; i++) {
		struct page *p;

		if (!kt_mem[i].preserved || kt_mem[i].taken ||
		    kt_mem[i].kind != kind)
			continue;
		p = kind == KT_FOLIO ? folio_page((struct folio *)kt_mem[i].ptr, 0) :
				       kt_mem[i].ptr;
		if (PFN_PHYS(page_to_pfn(p)) == phys)
			return i;
	}
	return -1;
}

static int kt_preserve_folio(struct folio *folio)
{
	return kt_preserve(folio, folio_order(folio), KT_FOLIO);
}

static void kt_unpreserve_folio(struct folio *folio)
{
	kt_unpreserve(folio);
}

static int kt_preserve_pages(struct page *page, unsigned long nr)
{
	return kt_preserve(page, nr, KT_PAGES);
}

static void kt_unpreserve_pages(struct page *page, unsigned long nr)
{
	kt_unpreserve(page);
}

static int kt_preserve_vmalloc(void *ptr, struct kho_vmalloc *kv)
{
	u64 cookie = (unsigned long)ptr;
	unsigned int pages = 0;

	/* The area's pages, up to the guard page after it. */
	while (vmalloc_to_page(ptr + ((size_t)pages << PAGE_SHIFT)))
		pages++;
	memset(kv, 0, sizeof(*kv));
	memcpy(&kv->first, &cookie, sizeof(cookie));
	kv->total_pages = pages;
	return kt_preserve(ptr, pages, KT_VMALLOC);
}

static void kt_unpreserve_vmalloc(struct kho_vmalloc *kv)
{
	u64 cookie;

	memcpy(&cookie, &kv->first, sizeof(cookie));
	kt_unpreserve((void *)(unsigned long)cookie);
}

static int kt_preserved_order(phys_addr_t phys)
{
	int i = kt_take(phys, KT_FOLIO);

	return i < 0 ? -ENOENT : kt_mem[i].nr;
}

static struct folio *kt_restore_folio(phys_addr_t phys)
{
	int i = kt_take(phys, KT_FOLIO);

	if (i < 0)
		return NULL;
	kt_mem[i].taken = true;
	folio_get(kt_mem[i].ptr);
	return kt_mem[i].ptr;
}

static struct page *kt_restore_pages(phys_addr_t phys, unsigned long nr)
{
	unsigned long j;
	int i = kt_take(phys, KT_PAGES);

	if (i < 0 || kt_mem[i].nr != nr)
		return NULL;
	kt_mem[i].taken = true;
	for (j = 0; j < nr; j++)
		get_page((struct page *)kt_mem[i].ptr + j);
	return kt_mem[i].ptr;
}

static void *kt_restore_vmalloc(const struct kho_vmalloc *kv)
{
	u64 cookie;
	int i;

	memcpy(&cookie, &kv->first, sizeof(cookie));
	i = kt_slot_of((void *)(unsigned long)cookie);
	/* As KHO: the area must be described as it was preserved. */
	if (i < 0 || kt_mem[i].taken || kv->total_pages != kt_mem[i].nr)
		return NULL;
	kt_mem[i].taken = true;
	return kt_mem[i].ptr;
}

static void kt_untake(void *ptr)
{
	int i;

	for (i = 0; i < KT_SLOTS; i++)
		if (kt_mem[i].ptr == ptr && kt_mem[i].taken)
			kt_mem[i].taken = false;
}

static void kt_drop_folio(struct folio *folio)
{
	kt_untake(folio);
	folio_put(folio);
}

static void kt_drop_pages(struct page *page, unsigned long nr)
{
	unsigned long i;

	kt_untake(page);
	for (i = 0; i < nr; i++)
		put_page(page + i);
}

static void kt_restore_vfree(void *ptr, const struct kho_vmalloc *kv)
{
	int i = kt_slot_of(ptr);

	if (i >= 0)
		kt_mem[i].taken = false;
}

static const struct kstate_mem_ops kt_ops = {
	.preserve_folio = kt_preserve_folio,
	.unpreserve_folio = kt_unpreserve_folio,
	.preserve_pages = kt_preserve_pages,
	.unpreserve_pages = kt_unpreserve_pages,
	.preserve_vmalloc = kt_preserve_vmalloc,
	.unpreserve_vmalloc = kt_unpreserve_vmalloc,
	.preserved_order = kt_preserved_order,
	.restore_folio = kt_restore_folio,
	.restore_pages = kt_restore_pages,
	.restore_vmalloc = kt_restore_vmalloc,
	.drop_folio = kt_drop_folio,
	.drop_pages = kt_drop_pages,
	.restore_vfree = kt_restore_vfree,
};

/* Everything taken back is "preserved" again, for the next load. */
static void kt_untake_all(void)
{
	int i;

	for (i = 0; i < KT_SLOTS; i++)
		kt_mem[i].taken = false;
}

static int kt_nr_taken(void)
{
	int i, n = 0;

	for (i = 0; i < KT_SLOTS; i++)
		n += kt_mem[i].preserved && kt_mem[i].taken;
	return n;
}

/* ---------------------------------------------------------------------- */
/* An object with every kind of field                                     */

struct kt_inner {
	u32 a;
	char tag[8];
};

struct kt_node {
	u64 v;
};

/* Scalars only: arrays of these are written as rows. */
struct kt_pt {
	u32 x;
	s16 y;
	bool z;
};

struct kt_obj {
	u8 u8v;
	u16 u16v;
	u32 u32v;
	u64 u64v;
	s8 s8v;
	s16 s16v;
	s32 s32v;
	s64 s64v;
	bool flag;
	char name[16];
	u32 fixed[4];
	u16 nvals;
	u32 vals[8];
	struct kt_inner inner;
	struct kt_inner inners[2];
	struct kt_node *ptr;
	struct kt_node *none;
	u8 nnodes;
	struct kt_node *nodes[4];
	struct folio *folio;
	struct page *pages;
	u32 nr_pages;
	void *area;
	u32 custom;
	u16 ndyn;
	u32 *dyn;
	u8 nsubs;
	struct kt_inner *subs;
	u8 npts;
	struct kt_pt *pts;
};

static const struct kstate_field kt_inner_fields[] = {
	KSTATE_UINT(struct kt_inner, a),
	KSTATE_STRING_BUF(struct kt_inner, tag),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_inner_desc = {
	.name = "kt-inner", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_inner), .fields = kt_inner_fields,
};

static const struct kstate_field kt_node_fields[] = {
	KSTATE_UINT(struct kt_node, v),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_node_desc = {
	.name = "kt-node", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_node), .fields = kt_node_fields,
};

static const struct kstate_field kt_pt_fields[] = {
	KSTATE_UINT(struct kt_pt, x),
	KSTATE_INT(struct kt_pt, y),
	KSTATE_BOOLEAN(struct kt_pt, z),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_pt_desc = {
	.name = "kt-pt", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_pt), .fields = kt_pt_fields,
};

static int kt_custom_save(struct kstate_writer *w, const void *field)
{
	u32 v = *(const u32 *)field ^ 0xa5a5a5a5;

	return kstate_write_bytes(w, &v, sizeof(v));
}

static int kt_custom_restore(void *field, const void *bytes, size_t len)
{
	u32 v;

	if (len != sizeof(v))
		return -EINVAL;
	memcpy(&v, bytes, sizeof(v));
	*(u32 *)field = v ^ 0xa5a5a5a5;
	return 0;
}

static const struct kstate_field kt_obj_fields[] = {
	KSTATE_UINT(struct kt_obj, u8v),
	KSTATE_UINT(struct kt_obj, u16v),
	KSTATE_UINT(struct kt_obj, u32v),
	KSTATE_UINT(struct kt_obj, u64v),
	KSTATE_INT(struct kt_obj, s8v),
	KSTATE_INT(struct kt_obj, s16v),
	KSTATE_INT(struct kt_obj, s32v),
	KSTATE_INT(struct kt_obj, s64v),
	KSTATE_BOOLEAN(struct kt_obj, flag),
	KSTATE_STRING_BUF(struct kt_obj, name),
	KSTATE_UINT_ARRAY(struct kt_obj, fixed),
	KSTATE_UINT(struct kt_obj, nvals),
	KSTATE_UINT_VARRAY(struct kt_obj, vals, nvals),
	KSTATE_STRUCT_FIELD(struct kt_obj, inner, &kt_inner_desc),
	KSTATE_STRUCT_ARRAY(struct kt_obj, inners, &kt_inner_desc),
	KSTATE_POINTER_FIELD(struct kt_obj, ptr, &kt_node_desc),
	KSTATE_POINTER_FIELD(struct kt_obj, none, &kt_node_desc),
	KSTATE_UINT(struct kt_obj, nnodes),
	KSTATE_PTR_VARRAY(struct kt_obj, nodes, nnodes, &kt_node_desc),
	KSTATE_FOLIO_FIELD(struct kt_obj, folio),
	KSTATE_UINT(struct kt_obj, nr_pages),
	KSTATE_PAGES_FIELD(struct kt_obj, pages, nr_pages),
	KSTATE_VMALLOC_FIELD(struct kt_obj, area),
	KSTATE_CUSTOM_FIELD(struct kt_obj, custom, kt_custom_save,
			    kt_custom_restore),
	KSTATE_UINT(struct kt_obj, ndyn),
	KSTATE_UINT_ALLOC(struct kt_obj, dyn, ndyn, 1000),
	KSTATE_UINT(struct kt_obj, nsubs),
	KSTATE_STRUCT_ALLOC(struct kt_obj, subs, nsubs, &kt_inner_desc, 16),
	KSTATE_UINT(struct kt_obj, npts),
	KSTATE_STRUCT_ALLOC(struct kt_obj, pts, npts, &kt_pt_desc, 64),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_obj_desc = {
	.name = "kt-obj", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_obj), .fields = kt_obj_fields,
};

struct kt_ctx {
	struct kt_obj src;
	struct kt_node nodes[3], ptr;
	struct folio *folio;
	struct page *pages;
	void *area;
	struct kstate_writer w;
};

static void kt_ctx_free(void *data)
{
	struct kt_ctx *c = data;
	int i;

	kstate_writer_done(&c->w);
	if (c->folio)
		folio_put(c->folio);
	for (i = 0; c->pages && i < 4; i++)
		__free_page(c->pages + i);
	vfree(c->area);
	memset(kt_mem, 0, sizeof(kt_mem));
}

static struct kt_ctx *kt_ctx_new(struct kunit *test)
{
	struct kt_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct kt_obj *o;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	memset(kt_mem, 0, sizeof(kt_mem));
	c->folio = folio_alloc(GFP_KERNEL, 1);
	c->pages = alloc_pages(GFP_KERNEL, 2);
	if (c->pages)
		split_page(c->pages, 2);
	c->area = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kt_ctx_free, c));
	KUNIT_ASSERT_TRUE(test, c->folio && c->pages && c->area);
	o = &c->src;
	o->u8v = 0xf1;
	o->u16v = 0xf123;
	o->u32v = 0xdeadbeef;
	o->u64v = 0x0123456789abcdefULL;
	o->s8v = -7;
	o->s16v = -30000;
	o->s32v = -2000000000;
	o->s64v = S64_MIN + 3;
	o->flag = true;
	strscpy(o->name, "kstate-test", sizeof(o->name));
	for (i = 0; i < 4; i++)
		o->fixed[i] = 100 + i;
	o->nvals = 5;
	for (i = 0; i < 5; i++)
		o->vals[i] = i * i;
	o->inner.a = 42;
	strscpy(o->inner.tag, "in", sizeof(o->inner.tag));
	o->inners[0].a = 1;
	o->inners[1].a = 2;
	strscpy(o->inners[1].tag, "second", sizeof(o->inners[1].tag));
	c->ptr.v = 99;
	o->ptr = &c->ptr;
	o->nnodes = 3;
	for (i = 0; i < 3; i++) {
		c->nodes[i].v = 1000 + i;
		o->nodes[i] = &c->nodes[i];
	}
	o->folio = c->folio;
	o->pages = c->pages;
	o->nr_pages = 4;
	o->area = c->area;
	o->custom = 0x12345678;
	o->ndyn = 100;
	o->dyn = kunit_kcalloc(test, o->ndyn, sizeof(*o->dyn), GFP_KERNEL);
	o->nsubs = 3;
	o->subs = kunit_kcalloc(test, o->nsubs, sizeof(*o->subs), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, o->dyn && o->subs);
	for (i = 0; i < o->ndyn; i++)
		o->dyn[i] = 7 * i + 1;
	for (i = 0; i < o->nsubs; i++) {
		o->subs[i].a = 500 + i;
		snprintf(o->subs[i].tag, sizeof(o->subs[i].tag), "s%d", i);
	}
	o->npts = 5;
	o->pts = kunit_kcalloc(test, o->npts, sizeof(*o->pts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o->pts);
	for (i = 0; i < o->npts; i++) {
		o->pts[i].x = 0x10000 + i;
		o->pts[i].y = -i;
		o->pts[i].z = i & 1;
	}
	kstate_writer_init(&c->w, &kt_ops);
	return c;
}

static void kt_kvfree(void *p)
{
	kvfree(p);
}

/* Save one record of @d from @obj; parse the stream; the record. */
static struct kstate_in_rec *kt_save(struct kunit *test, struct kt_ctx *c,
				     const struct kstate_description *d,
				     const void *obj)
{
	struct kstate_in_rec *recs;
	char why[KSTATE_WHY_LEN];
	u32 nr;

	kstate_writer_done(&c->w);
	memset(kt_mem, 0, sizeof(kt_mem));
	kstate_writer_init(&c->w, &kt_ops);
	KUNIT_ASSERT_EQ(test, 0, kstate_check_description(d, why));
	KUNIT_ASSERT_EQ(test, 0, kstate_write_stream_hdr(&c->w, 1));
	KUNIT_ASSERT_EQ(test, 0, kstate_save_record(&c->w, d, obj, 7));
	KUNIT_ASSERT_EQ_MSG(test, 0, kstate_parse_stream(c->w.buf, c->w.len,
							 &recs, &nr, why),
			    "%s", why);
	KUNIT_ASSERT_EQ(test, nr, 1);
	KUNIT_EXPECT_EQ(test, recs[0].instance_id, 7);
	KUNIT_EXPECT_STREQ(test, recs[0].name, d->name);
	kunit_add_action(test, kt_kvfree, recs);
	return recs;
}

/* Free what a successful load of a kt_obj allocated and took. */
static void kt_obj_release(struct kt_obj *o)
{
	int i;

	kfree(o->ptr);
	kfree(o->none);
	for (i = 0; i < min_t(int, o->nnodes, 4); i++)
		kfree(o->nodes[i]);
	if (o->folio)
		folio_put(o->folio);
	for (i = 0; o->pages && i < o->nr_pages; i++)
		put_page(o->pages + i);
	kvfree(o->dyn);
	kvfree(o->subs);
	kvfree(o->pts);
	kt_untake_all();
	memset(o, 0, sizeof(*o));
}

static void kstate_test_roundtrip(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_obj *in = &c->src, *out;
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];
	int i;

	out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	rec = kt_save(test, c, &kt_obj_desc, in);
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 0);
	KUNIT_ASSERT_EQ_MSG(test, 0, kstate_load_record(&kt_ops, rec,
							&kt_obj_desc, out, why),
			    "%s", why);
	KUNIT_EXPECT_EQ(test, out->u8v, in->u8v);
	KUNIT_EXPECT_EQ(test, out->u16v, in->u16v);
	KUNIT_EXPECT_EQ(test, out->u32v, in->u32v);
	KUNIT_EXPECT_EQ(test, out->u64v, in->u64v);
	KUNIT_EXPECT_EQ(test, out->s8v, in->s8v);
	KUNIT_EXPECT_EQ(test, out->s16v, in->s16v);
	KUNIT_EXPECT_EQ(test, out->s32v, in->s32v);
	KUNIT_EXPECT_EQ(test, out->s64v, in->s64v);
	KUNIT_EXPECT_TRUE(test, out->flag);
	KUNIT_EXPECT_STREQ(test, out->name, "kstate-test");
	KUNIT_EXPECT_EQ(test, 0, memcmp(out->fixed, in->fixed, sizeof(in->fixed)));
	KUNIT_EXPECT_EQ(test, out->nvals, 5);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out->vals, in->vals, sizeof(in->vals)));
	KUNIT_EXPECT_EQ(test, out->inner.a, 42);
	KUNIT_EXPECT_STREQ(test, out->inner.tag, "in");
	KUNIT_EXPECT_EQ(test, out->inners[1].a, 2);
	KUNIT_EXPECT_STREQ(test, out->inners[1].tag, "second");
	KUNIT_ASSERT_NOT_NULL(test, out->ptr);
	KUNIT_EXPECT_PTR_NE(test, out->ptr, in->ptr);
	KUNIT_EXPECT_EQ(test, out->ptr->v, 99);
	KUNIT_EXPECT_NULL(test, out->none);
	KUNIT_EXPECT_EQ(test, out->nnodes, 3);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_NOT_NULL(test, out->nodes[i]);
		KUNIT_EXPECT_EQ(test, out->nodes[i]->v, 1000 + i);
	}
	KUNIT_EXPECT_NULL(test, out->nodes[3]);
	KUNIT_EXPECT_PTR_EQ(test, out->folio, c->folio);
	KUNIT_EXPECT_PTR_EQ(test, out->pages, c->pages);
	KUNIT_EXPECT_EQ(test, out->nr_pages, 4);
	KUNIT_EXPECT_PTR_EQ(test, out->area, c->area);
	KUNIT_EXPECT_EQ(test, out->custom, 0x12345678);
	KUNIT_EXPECT_EQ(test, out->ndyn, 100);
	KUNIT_ASSERT_NOT_NULL(test, out->dyn);
	KUNIT_EXPECT_PTR_NE(test, out->dyn, in->dyn);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out->dyn, in->dyn, 100 * sizeof(u32)));
	KUNIT_EXPECT_EQ(test, out->nsubs, 3);
	KUNIT_ASSERT_NOT_NULL(test, out->subs);
	KUNIT_EXPECT_EQ(test, out->subs[2].a, 502);
	KUNIT_EXPECT_STREQ(test, out->subs[2].tag, "s2");
	KUNIT_EXPECT_EQ(test, out->npts, 5);
	KUNIT_ASSERT_NOT_NULL(test, out->pts);
	KUNIT_EXPECT_EQ(test, 0, memcmp(out->pts, in->pts, 5 * sizeof(*in->pts)));
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 3);
	kt_obj_release(out);
}

/* A refused record leaves the object alone and gives everything back. */
static void kstate_test_truncated(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kstate_in_rec *rec, cut;
	char why[KSTATE_WHY_LEN];
	struct kt_obj *out;
	u32 len;

	out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	rec = kt_save(test, c, &kt_obj_desc, &c->src);
	for (len = 0; len < rec->bytes; len++) {
		cut = *rec;
		cut.bytes = len;
		memset(out, 0x5a, sizeof(*out));
		out->ptr = NULL;
		out->none = NULL;
		memset(out->nodes, 0, sizeof(out->nodes));
		out->folio = NULL;
		out->pages = NULL;
		out->area = NULL;
		out->dyn = NULL;
		out->subs = NULL;
		out->pts = NULL;
		KUNIT_ASSERT_NE_MSG(test, 0, kstate_load_record(&kt_ops, &cut,
								&kt_obj_desc,
								out, why),
				    "a record cut at %u of %u was accepted",
				    len, rec->bytes);
		KUNIT_ASSERT_NE(test, why[0], 0);
		KUNIT_ASSERT_EQ(test, out->u32v, 0x5a5a5a5a);
		KUNIT_ASSERT_NULL(test, out->ptr);
		KUNIT_ASSERT_EQ_MSG(test, kt_nr_taken(), 0,
				    "memory not given back after a cut at %u",
				    len);
	}
	/* A stream cut anywhere is refused as a whole. */
	for (len = 0; len < c->w.len; len++) {
		struct kstate_in_rec *recs;
		u32 nr;

		KUNIT_EXPECT_NE(test, 0, kstate_parse_stream(c->w.buf, len,
							     &recs, &nr, why));
	}
}

/* Random damage: refused or accepted, never out of bounds. */
static void kstate_test_damaged(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct rnd_state rnd;
	struct kstate_in_rec *recs;
	char why[KSTATE_WHY_LEN];
	unsigned int i, k, ok = 0;
	struct kt_obj *out;
	u8 *copy;
	u32 nr;

	out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	kt_save(test, c, &kt_obj_desc, &c->src);
	copy = kunit_kmalloc(test, c->w.len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	prandom_seed_state(&rnd, 0x6b7374617465ULL);
	for (i = 0; i < 3000; i++) {
		memcpy(copy, c->w.buf, c->w.len);
		for (k = 0; k < 1 + prandom_u32_state(&rnd) % 4; k++)
			copy[prandom_u32_state(&rnd) % c->w.len] ^=
				1 + prandom_u32_state(&rnd) % 255;
		if (kstate_parse_stream(copy, c->w.len, &recs, &nr, why))
			continue;
		for (k = 0; k < nr; k++) {
			memset(out, 0, sizeof(*out));
			if (kstate_load_record(&kt_ops, &recs[k], &kt_obj_desc,
					       out, why)) {
				KUNIT_ASSERT_EQ(test, kt_nr_taken(), 0);
				continue;
			}
			ok++;
			KUNIT_ASSERT_LE(test, out->nvals, 8);
			KUNIT_ASSERT_LE(test, out->nnodes, 4);
			KUNIT_ASSERT_LE(test, out->ndyn, 1000);
			KUNIT_ASSERT_TRUE(test, !out->ndyn || out->dyn);
			KUNIT_ASSERT_TRUE(test, !out->nsubs || out->subs);
			KUNIT_ASSERT_TRUE(test, !out->npts || out->pts);
			KUNIT_ASSERT_LE(test, out->npts, 64);
			KUNIT_ASSERT_LT(test, strnlen(out->name, 16), 16);
			KUNIT_ASSERT_LT(test, strnlen(out->inner.tag, 8), 8);
			kt_obj_release(out);
		}
		kvfree(recs);
	}
	kunit_info(test, "3000 damaged streams, %u records still accepted", ok);
}

/* ---------------------------------------------------------------------- */
/* Versions                                                               */

struct kt_ver {
	u32 a;
	u32 b;
	u64 extra;
	bool want_extra;
};

static const struct kstate_field kt_v1_fields[] = {
	KSTATE_UINT(struct kt_ver, a),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_v1 = {
	.name = "kt-ver", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_ver), .fields = kt_v1_fields,
};

static bool kt_extra_needed(const void *obj)
{
	return ((const struct kt_ver *)obj)->want_extra;
}

static const struct kstate_field kt_sub_fields[] = {
	KSTATE_UINT_V(struct kt_ver, extra, 2),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_sub = {
	.name = "kt-ver-extra", .version_id = 2, .minimum_version_id = 2,
	.size = sizeof(struct kt_ver), .fields = kt_sub_fields,
	.needed = kt_extra_needed,
};

static const struct kstate_description * const kt_v2_subs[] = {
	&kt_sub, NULL
};

static const struct kstate_field kt_v2_fields[] = {
	KSTATE_UINT(struct kt_ver, a),
	KSTATE_UINT_DEF(struct kt_ver, b, 2, 77),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_v2 = {
	.name = "kt-ver", .version_id = 2, .minimum_version_id = 1,
	.size = sizeof(struct kt_ver), .fields = kt_v2_fields,
	.subsections = kt_v2_subs,
};

static const struct kstate_description kt_v3_min2 = {
	.name = "kt-ver", .version_id = 3, .minimum_version_id = 2,
	.size = sizeof(struct kt_ver), .fields = kt_v2_fields,
	.subsections = kt_v2_subs,
};

static void kstate_test_versions(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_ver in = { .a = 5, .b = 6, .extra = 0xfeed };
	struct kt_ver out;
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];

	/* v1 -> v2: the new field gets its default. */
	rec = kt_save(test, c, &kt_v1, &in);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &kt_v2, &out, why));
	KUNIT_EXPECT_EQ(test, out.a, 5);
	KUNIT_EXPECT_EQ(test, out.b, 77);
	KUNIT_EXPECT_EQ(test, out.extra, 0);

	/* v1 -> a kernel that reads v2 and later only: refused. */
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_v3_min2,
						    &out, why));
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "older"));
	KUNIT_EXPECT_EQ(test, out.a, 0);

	/* v2 -> v1, subsection not needed: accepted, b ignored. */
	rec = kt_save(test, c, &kt_v2, &in);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &kt_v1, &out, why));
	KUNIT_EXPECT_EQ(test, out.a, 5);
	KUNIT_EXPECT_EQ(test, out.b, 0);

	/* v2 -> v1, subsection needed: refused, named; object untouched. */
	in.want_extra = true;
	rec = kt_save(test, c, &kt_v2, &in);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_v1, &out, why));
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "kt-ver-extra"));
	KUNIT_EXPECT_EQ(test, out.a, 0);

	/* v2 -> v2 with the subsection. */
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &kt_v2, &out, why));
	KUNIT_EXPECT_EQ(test, out.a, 5);
	KUNIT_EXPECT_EQ(test, out.b, 6);
	KUNIT_EXPECT_EQ(test, out.extra, 0xfeed);
}

/* ---------------------------------------------------------------------- */
/* Widths and counts                                                      */

struct kt_w32 {
	u32 x;
	s32 y;
};

struct kt_w8 {
	u16 x;
	s8 y;
};

static const struct kstate_field kt_w32_fields[] = {
	KSTATE_UINT(struct kt_w32, x),
	KSTATE_INT(struct kt_w32, y),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_w8_fields[] = {
	KSTATE_UINT(struct kt_w8, x),
	KSTATE_INT(struct kt_w8, y),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_w32_desc = {
	.name = "kt-w", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_w32), .fields = kt_w32_fields,
};

static const struct kstate_description kt_w8_desc = {
	.name = "kt-w", .version_id = 2, .minimum_version_id = 1,
	.size = sizeof(struct kt_w8), .fields = kt_w8_fields,
};

static void kstate_test_widths(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_w32 in = { .x = 7, .y = -5 };
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];
	struct kt_w8 out = {};

	rec = kt_save(test, c, &kt_w32_desc, &in);
	KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &kt_w8_desc, &out, why));
	KUNIT_EXPECT_EQ(test, out.x, 7);
	KUNIT_EXPECT_EQ(test, out.y, -5);

	in.x = 70000;
	rec = kt_save(test, c, &kt_w32_desc, &in);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_w8_desc, &out, why));
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "does not fit"));

	in.x = 1;
	in.y = -129;
	rec = kt_save(test, c, &kt_w32_desc, &in);
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_w8_desc, &out, why));
	KUNIT_EXPECT_EQ(test, out.x, 0);
}

/* A writer whose array and count disagree, count first or array first. */
struct kt_cnt {
	u32 n;
	u32 v[8];
};

static const struct kstate_field kt_cnt_fixed_fields[] = {
	KSTATE_UINT(struct kt_cnt, n),
	{ .name = "v", .kind = KSTATE_UNSIGNED, .offset = offsetof(struct kt_cnt, v),
	  .size = sizeof(u32), .count = 2 },
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_cnt_fixed_rev_fields[] = {
	{ .name = "v", .kind = KSTATE_UNSIGNED, .offset = offsetof(struct kt_cnt, v),
	  .size = sizeof(u32), .count = 2 },
	KSTATE_UINT(struct kt_cnt, n),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_cnt_var_fields[] = {
	KSTATE_UINT(struct kt_cnt, n),
	KSTATE_UINT_VARRAY(struct kt_cnt, v, n),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_cnt_fixed = {
	.name = "kt-cnt", .version_id = 1, .size = sizeof(struct kt_cnt),
	.fields = kt_cnt_fixed_fields,
};

static const struct kstate_description kt_cnt_fixed_rev = {
	.name = "kt-cnt", .version_id = 1, .size = sizeof(struct kt_cnt),
	.fields = kt_cnt_fixed_rev_fields,
};

static const struct kstate_description kt_cnt_var = {
	.name = "kt-cnt", .version_id = 1, .size = sizeof(struct kt_cnt),
	.fields = kt_cnt_var_fields,
};

static void kstate_test_counts(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_cnt in = { .n = 3, .v = { 1, 2, 3 } }, out;
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];

	rec = kt_save(test, c, &kt_cnt_fixed, &in);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_cnt_var, &out, why));
	KUNIT_EXPECT_EQ(test, out.n, 0);
	rec = kt_save(test, c, &kt_cnt_fixed_rev, &in);
	KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &kt_cnt_var, &out, why));
	KUNIT_EXPECT_EQ(test, out.n, 0);
	/* When they agree, it is accepted. */
	in.n = 2;
	rec = kt_save(test, c, &kt_cnt_fixed_rev, &in);
	KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &kt_cnt_var, &out, why));
	KUNIT_EXPECT_EQ(test, out.n, 2);
	KUNIT_EXPECT_EQ(test, out.v[1], 2);
	/* An allocated array longer than this kernel accepts. */
	{
		struct kt_obj *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
		static const struct kstate_field small_fields[] = {
			KSTATE_UINT(struct kt_obj, ndyn),
			KSTATE_UINT_ALLOC(struct kt_obj, dyn, ndyn, 10),
			KSTATE_END_OF_LIST
		};
		static const struct kstate_field big_fields[] = {
			KSTATE_UINT(struct kt_obj, ndyn),
			KSTATE_UINT_ALLOC(struct kt_obj, dyn, ndyn, 1000),
			KSTATE_END_OF_LIST
		};
		const struct kstate_description small = {
			.name = "kt-dyn", .version_id = 1,
			.size = sizeof(struct kt_obj), .fields = small_fields,
		};
		const struct kstate_description big = {
			.name = "kt-dyn", .version_id = 1,
			.size = sizeof(struct kt_obj), .fields = big_fields,
		};

		KUNIT_ASSERT_NOT_NULL(test, o);
		rec = kt_save(test, c, &big, &c->src);
		KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, rec, &small, o, why));
		KUNIT_EXPECT_NOT_NULL(test, strstr(why, "room for 10"));
		KUNIT_EXPECT_NULL(test, o->dyn);
		KUNIT_EXPECT_EQ(test, 0, kstate_load_record(&kt_ops, rec, &big, o, why));
		KUNIT_EXPECT_EQ(test, o->ndyn, 100);
		kvfree(o->dyn);
	}
	/* The writer refuses a count beyond its array. */
	in.n = 9;
	kstate_writer_done(&c->w);
	kstate_writer_init(&c->w, &kt_ops);
	KUNIT_EXPECT_EQ(test, 0, kstate_write_stream_hdr(&c->w, 1));
	KUNIT_EXPECT_EQ(test, -EOVERFLOW, kstate_save_record(&c->w, &kt_cnt_var, &in, 1));
}

/* ---------------------------------------------------------------------- */
/* Descriptions                                                           */

static const struct kstate_field kt_dup_fields[] = {
	KSTATE_UINT(struct kt_cnt, n),
	{ .name = "n", .kind = KSTATE_UNSIGNED, .offset = 4, .size = 4, .count = 1 },
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_outside_fields[] = {
	{ .name = "x", .kind = KSTATE_UNSIGNED, .offset = sizeof(struct kt_cnt) - 2,
	  .size = 4, .count = 1 },
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_nocount_fields[] = {
	{ .name = "v", .kind = KSTATE_UNSIGNED, .flags = KSTATE_F_VARRAY,
	  .offset = offsetof(struct kt_cnt, v), .size = 4, .count = 8,
	  .count_offset = 0, .count_size = 4 },
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_width_fields[] = {
	{ .name = "x", .kind = KSTATE_UNSIGNED, .offset = 0, .size = 3, .count = 1 },
	KSTATE_END_OF_LIST
};

static void kstate_test_bad_descriptions(struct kunit *test)
{
	static const struct kstate_field *const bad[] = {
		kt_dup_fields, kt_outside_fields, kt_nocount_fields,
		kt_width_fields,
	};
	struct kstate_description d = {
		.name = "kt-bad", .version_id = 1, .size = sizeof(struct kt_cnt),
	};
	char why[KSTATE_WHY_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		d.fields = bad[i];
		KUNIT_EXPECT_EQ(test, -EBADMSG, kstate_check_description(&d, why));
		KUNIT_EXPECT_NE(test, why[0], 0);
	}
	d.fields = kt_cnt_var_fields;
	d.minimum_version_id = 2;
	KUNIT_EXPECT_EQ(test, -EBADMSG, kstate_check_description(&d, why));
	KUNIT_EXPECT_EQ(test, 0, kstate_check_description(&kt_obj_desc, why));
	KUNIT_EXPECT_EQ(test, 0, kstate_check_description(&kt_v2, why));
}

/* Nine structures nested in each other: deeper than KSTATE_MAX_DEPTH. */
struct kt_deep {
	u32 v;
};

static const struct kstate_description kt_deep[KSTATE_MAX_DEPTH + 1];

#define KT_DEEP_FIELDS(n) { \
	KSTATE_UINT(struct kt_deep, v), \
	{ .name = "in", .kind = KSTATE_STRUCT, .offset = 0, \
	  .size = sizeof(struct kt_deep), .count = 1, .desc = &kt_deep[(n) + 1] }, \
	KSTATE_END_OF_LIST }

static const struct kstate_field kt_deep_fields[KSTATE_MAX_DEPTH + 1][3] = {
	KT_DEEP_FIELDS(0), KT_DEEP_FIELDS(1), KT_DEEP_FIELDS(2),
	KT_DEEP_FIELDS(3), KT_DEEP_FIELDS(4), KT_DEEP_FIELDS(5),
	KT_DEEP_FIELDS(6), KT_DEEP_FIELDS(7),
	{ KSTATE_UINT(struct kt_deep, v), KSTATE_END_OF_LIST },
};

#define KT_DEEP(n) { .name = "kt-deep", .version_id = 1, \
	.size = sizeof(struct kt_deep), .fields = kt_deep_fields[n] }

static const struct kstate_description kt_deep[KSTATE_MAX_DEPTH + 1] = {
	KT_DEEP(0), KT_DEEP(1), KT_DEEP(2), KT_DEEP(3), KT_DEEP(4),
	KT_DEEP(5), KT_DEEP(6), KT_DEEP(7), KT_DEEP(8),
};

static void kstate_test_depth(struct kunit *test)
{
	char why[KSTATE_WHY_LEN];

	KUNIT_EXPECT_EQ(test, -EBADMSG, kstate_check_description(&kt_deep[0], why));
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "nested"));
	KUNIT_EXPECT_EQ(test, 0, kstate_check_description(&kt_deep[1], why));
}

/* Rows written by one version of a structure, read by another. */
struct kt_pt2 {
	u64 x;
	bool z;
	u32 w;
};

struct kt_rows1 {
	u8 n;
	struct kt_pt *p;
};

struct kt_rows2 {
	u8 n;
	struct kt_pt2 *p;
};

static const struct kstate_field kt_pt2_fields[] = {
	KSTATE_UINT(struct kt_pt2, x),
	KSTATE_BOOLEAN(struct kt_pt2, z),
	KSTATE_UINT_DEF(struct kt_pt2, w, 2, 9),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_pt2_desc = {
	.name = "kt-pt", .version_id = 2, .minimum_version_id = 1,
	.size = sizeof(struct kt_pt2), .fields = kt_pt2_fields,
};

static const struct kstate_field kt_rows1_fields[] = {
	KSTATE_UINT(struct kt_rows1, n),
	KSTATE_STRUCT_ALLOC(struct kt_rows1, p, n, &kt_pt_desc, 8),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_rows2_fields[] = {
	KSTATE_UINT(struct kt_rows2, n),
	KSTATE_STRUCT_ALLOC(struct kt_rows2, p, n, &kt_pt2_desc, 8),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_rows1 = {
	.name = "kt-rows", .version_id = 1, .size = sizeof(struct kt_rows1),
	.fields = kt_rows1_fields,
};

static const struct kstate_description kt_rows2 = {
	.name = "kt-rows", .version_id = 1, .size = sizeof(struct kt_rows2),
	.fields = kt_rows2_fields,
};

static void kstate_test_rows(struct kunit *test)
{
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_pt pts[3] = { { 1, -1, true }, { 2, -2, false }, { 3, -3, true } };
	struct kt_rows1 in = { .n = 3, .p = pts };
	struct kt_rows2 out = {};
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];
	u32 i;

	rec = kt_save(test, c, &kt_rows1, &in);
	KUNIT_ASSERT_EQ_MSG(test, 0, kstate_load_record(&kt_ops, rec, &kt_rows2,
							&out, why), "%s", why);
	KUNIT_ASSERT_EQ(test, out.n, 3);
	KUNIT_ASSERT_NOT_NULL(test, out.p);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, out.p[i].x, i + 1);
		KUNIT_EXPECT_EQ(test, out.p[i].z, pts[i].z);
		KUNIT_EXPECT_EQ(test, out.p[i].w, 9);
	}
	kvfree(out.p);
	/* Every cut of the record is refused. */
	for (i = 0; i < rec->bytes; i++) {
		struct kstate_in_rec cut = *rec;

		memset(&out, 0, sizeof(out));
		cut.bytes = i;
		KUNIT_EXPECT_NE(test, 0, kstate_load_record(&kt_ops, &cut,
							    &kt_rows2, &out, why));
		KUNIT_EXPECT_NULL(test, out.p);
	}
}

/*
 * Rows copied a run of fields at a time: a run ends at a gap in the
 * structure (@pad, not described) and at a column the reader does not
 * know (@c, for kt_gap_some).
 */
struct kt_gap {
	u32 a;
	u16 b;
	u16 pad;
	u64 c;
	u32 d;
	s32 e;
};

struct kt_gaps {
	u8 n;
	struct kt_gap *p;
};

static const struct kstate_field kt_gap_all_fields[] = {
	KSTATE_UINT(struct kt_gap, a),
	KSTATE_UINT(struct kt_gap, b),
	KSTATE_UINT(struct kt_gap, c),
	KSTATE_UINT(struct kt_gap, d),
	KSTATE_INT(struct kt_gap, e),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_gap_some_fields[] = {
	KSTATE_UINT(struct kt_gap, a),
	KSTATE_UINT(struct kt_gap, b),
	KSTATE_UINT(struct kt_gap, d),
	KSTATE_INT(struct kt_gap, e),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_gap_all = {
	.name = "kt-gap", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_gap), .fields = kt_gap_all_fields,
};

static const struct kstate_description kt_gap_some = {
	.name = "kt-gap", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct kt_gap), .fields = kt_gap_some_fields,
};

static const struct kstate_field kt_gaps_all_fields[] = {
	KSTATE_UINT(struct kt_gaps, n),
	KSTATE_STRUCT_ALLOC(struct kt_gaps, p, n, &kt_gap_all, 8),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_gaps_some_fields[] = {
	KSTATE_UINT(struct kt_gaps, n),
	KSTATE_STRUCT_ALLOC(struct kt_gaps, p, n, &kt_gap_some, 8),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_gaps_all = {
	.name = "kt-gaps", .version_id = 1, .size = sizeof(struct kt_gaps),
	.fields = kt_gaps_all_fields,
};

static const struct kstate_description kt_gaps_some = {
	.name = "kt-gaps", .version_id = 1, .size = sizeof(struct kt_gaps),
	.fields = kt_gaps_some_fields,
};

static void kstate_test_row_runs(struct kunit *test)
{
	const struct kstate_description *readers[] = { &kt_gaps_all, &kt_gaps_some };
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_gap rows[5];
	struct kt_gaps in = { .n = ARRAY_SIZE(rows), .p = rows }, out;
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];
	u32 i, r;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		rows[i] = (struct kt_gap){
			.a = 0x11110000 + i, .b = 0x2200 + i, .pad = 0xffff,
			.c = 0x3333333300000000ULL + i, .d = 0x44440000 + i,
			.e = -5 - (s32)i,
		};
	rec = kt_save(test, c, &kt_gaps_all, &in);
	/* Rows of 22 bytes (the writer leaves the gap out), read by both. */
	for (r = 0; r < ARRAY_SIZE(readers); r++) {
		memset(&out, 0, sizeof(out));
		KUNIT_ASSERT_EQ_MSG(test, 0, kstate_load_record(&kt_ops, rec, readers[r],
								&out, why), "%s", why);
		KUNIT_ASSERT_EQ(test, out.n, ARRAY_SIZE(rows));
		KUNIT_ASSERT_NOT_NULL(test, out.p);
		for (i = 0; i < ARRAY_SIZE(rows); i++) {
			KUNIT_EXPECT_EQ(test, out.p[i].a, rows[i].a);
			KUNIT_EXPECT_EQ(test, out.p[i].b, rows[i].b);
			KUNIT_EXPECT_EQ(test, out.p[i].pad, 0);
			KUNIT_EXPECT_EQ(test, out.p[i].c, r ? 0 : rows[i].c);
			KUNIT_EXPECT_EQ(test, out.p[i].d, rows[i].d);
			KUNIT_EXPECT_EQ(test, out.p[i].e, rows[i].e);
		}
		kvfree(out.p);
	}
}

/* Integer arrays of the object's own vmalloc memory: handed over in place. */
struct kt_words {
	u32 n;
	u64 *w;
};

struct kt_words32 {
	u32 n;
	u32 *w;
};

static const struct kstate_field kt_words_fields[] = {
	KSTATE_UINT(struct kt_words, n),
	KSTATE_UINT_ALLOC(struct kt_words, w, n, 100000),
	KSTATE_END_OF_LIST
};

static const struct kstate_field kt_words32_fields[] = {
	KSTATE_UINT(struct kt_words32, n),
	KSTATE_UINT_ALLOC(struct kt_words32, w, n, 100000),
	KSTATE_END_OF_LIST
};

static const struct kstate_description kt_words = {
	.name = "kt-words", .version_id = 1, .size = sizeof(struct kt_words),
	.fields = kt_words_fields,
};

static const struct kstate_description kt_words32 = {
	.name = "kt-words", .version_id = 1, .size = sizeof(struct kt_words32),
	.fields = kt_words32_fields,
};

/* The stand-in's description of @ptr's area in the record, or NULL. */
static struct kho_vmalloc *kt_find_kv(const struct kstate_in_rec *rec,
				      const void *ptr)
{
	u64 cookie = (unsigned long)ptr;
	u32 i;

	for (i = 0; i + sizeof(struct kho_vmalloc) <= rec->bytes; i++)
		if (!memcmp(rec->body + i, &cookie, sizeof(cookie)))
			return (struct kho_vmalloc *)(rec->body + i);
	return NULL;
}

static void kstate_test_inplace(struct kunit *test)
{
	static const unsigned int bad_pages[] = { 1, 18, 0 };
	struct kt_ctx *c = kt_ctx_new(test);
	struct kt_words in = { .n = 4000 }, out = {};
	struct kt_words32 out32 = {};
	struct kstate_in_rec *rec;
	char why[KSTATE_WHY_LEN];
	struct kho_vmalloc *kv;
	unsigned int pages;
	u64 *kbuf;
	u32 i;

	in.w = vmalloc(array_size(in.n, sizeof(*in.w)));
	KUNIT_ASSERT_NOT_NULL(test, in.w);
	kunit_add_action(test, kt_kvfree, in.w);
	for (i = 0; i < in.n; i++)
		in.w[i] = 3ULL * i + 1;
	rec = kt_save(test, c, &kt_words, &in);
	/* 32000 bytes of elements, none in the stream: the area is named. */
	KUNIT_EXPECT_LT(test, rec->bytes, 256);
	kv = kt_find_kv(rec, in.w);
	KUNIT_ASSERT_NOT_NULL(test, kv);
	pages = kv->total_pages;
	KUNIT_EXPECT_EQ(test, pages, DIV_ROUND_UP(32000, PAGE_SIZE));

	/* Same width: the area is the array. */
	KUNIT_ASSERT_EQ_MSG(test, 0, kstate_load_record(&kt_ops, rec, &kt_words,
							&out, why), "%s", why);
	KUNIT_EXPECT_EQ(test, out.n, in.n);
	KUNIT_EXPECT_PTR_EQ(test, out.w, in.w);
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 1);
	kt_untake_all();

	/* Narrower integers: converted into an array of the reader's. */
	why[0] = 0;
	KUNIT_ASSERT_EQ_MSG(test, 0, kstate_load_record(&kt_ops, rec, &kt_words32,
							&out32, why), "%s", why);
	KUNIT_ASSERT_NOT_NULL(test, out32.w);
	KUNIT_EXPECT_PTR_NE(test, (void *)out32.w, (void *)in.w);
	for (i = 0; i < in.n; i++)
		if (out32.w[i] != in.w[i])
			break;
	KUNIT_EXPECT_EQ(test, i, in.n);
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 0);
	kvfree(out32.w);

	/* A value that does not fit: refused, the area given back. */
	in.w[1234] = 1ULL << 40;
	memset(&out32, 0, sizeof(out32));
	why[0] = 0;
	KUNIT_EXPECT_EQ(test, -EBADMSG, kstate_load_record(&kt_ops, rec, &kt_words32,
							   &out32, why));
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "does not fit"));
	KUNIT_EXPECT_NULL(test, out32.w);
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 0);

	/* An area too small or far too large for the count: refused. */
	for (i = 0; i < ARRAY_SIZE(bad_pages); i++) {
		kv->total_pages = bad_pages[i];
		memset(&out, 0, sizeof(out));
		why[0] = 0;
		KUNIT_EXPECT_EQ(test, -EBADMSG,
				kstate_load_record(&kt_ops, rec, &kt_words, &out, why));
		KUNIT_EXPECT_NOT_NULL(test, strstr(why, "in an area of"));
		KUNIT_EXPECT_EQ(test, kt_nr_taken(), 0);
	}
	kv->total_pages = pages;

	/* Small arrays, and large ones not in vmalloc memory: copied. */
	in.n = 100;
	rec = kt_save(test, c, &kt_words, &in);
	KUNIT_EXPECT_GT(test, rec->bytes, 800);
	KUNIT_EXPECT_NULL(test, kt_find_kv(rec, in.w));
	kbuf = kunit_kcalloc(test, 4000, sizeof(*kbuf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kbuf);
	in.n = 4000;
	in.w = kbuf;
	rec = kt_save(test, c, &kt_words, &in);
	KUNIT_EXPECT_GT(test, rec->bytes, 32000);
	KUNIT_EXPECT_EQ(test, kt_nr_taken(), 0);
}

static struct kunit_case kstate_test_cases[] = {
	KUNIT_CASE(kstate_test_roundtrip),
	KUNIT_CASE(kstate_test_versions),
	KUNIT_CASE(kstate_test_widths),
	KUNIT_CASE(kstate_test_counts),
	KUNIT_CASE(kstate_test_rows),
	KUNIT_CASE(kstate_test_row_runs),
	KUNIT_CASE(kstate_test_inplace),
	KUNIT_CASE(kstate_test_bad_descriptions),
	KUNIT_CASE(kstate_test_depth),
	KUNIT_CASE(kstate_test_truncated),
	KUNIT_CASE(kstate_test_damaged),
	{}
};

static struct kunit_suite kstate_test_suite = {
	.name = "kstate",
	.test_cases = kstate_test_cases,
};
kunit_test_suite(kstate_test_suite);

MODULE_DESCRIPTION("KUnit tests for KSTATE");
MODULE_LICENSE("GPL");
