// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: KSTATE's incoming side, from the kernel's own
 * kernel/liveupdate/kstate.c: kstate_parse_stream() on the input, then
 * kstate_load_record() of every record into a description with every
 * field kind (records alternately read by version 1 and version 2 of it).
 * A record must be refused with a reason or accepted with every count
 * within its room and every string terminated; whatever a refused record
 * allocated or took back must be given back.
 *
 * Memory fields go through a stand-in for KHO: four folios and a page
 * range "preserved" at start-up, named by their physical addresses.
 */
/* The kernel being imitated has KSTATE (the other targets do not). */
#define CONFIG_KSTATE 1
#include "../../../kernel/files/kernel/liveupdate/kstate.c"

#include "kfimg.h"

/* ---------------------------------------------------------------------- */
/* A stand-in for KHO                                                     */

static struct folio *fz_folio[4];
static struct page *fz_pages;
static bool fz_folio_taken[4], fz_pages_taken;
static int fz_areas;

static int fz_slot(phys_addr_t phys)
{
	int i;

	for (i = 0; i < 4; i++)
		if (fz_folio[i] && PFN_PHYS(folio_pfn(fz_folio[i])) == phys)
			return i;
	return -1;
}

static int fz_preserve_folio(struct folio *folio) { return 0; }
static void fz_unpreserve_folio(struct folio *folio) { }
static int fz_preserve_pages(struct page *page, unsigned long nr) { return 0; }
static void fz_unpreserve_pages(struct page *page, unsigned long nr) { }

static int fz_preserve_vmalloc(void *ptr, struct kho_vmalloc *kv)
{
	memset(kv, 0, sizeof(*kv));
	kv->total_pages = find_vm_area(ptr)->nr_pages;
	kv->order = 7;		/* the stand-in's mark */
	return 0;
}

static void fz_unpreserve_vmalloc(struct kho_vmalloc *kv) { }

static int fz_preserved_order(phys_addr_t phys)
{
	int i = fz_slot(phys);

	return i < 0 || fz_folio_taken[i] ? -ENOENT : folio_order(fz_folio[i]);
}

static struct folio *fz_restore_folio(phys_addr_t phys)
{
	int i = fz_slot(phys);

	if (i < 0 || fz_folio_taken[i])
		return NULL;
	fz_folio_taken[i] = true;
	return fz_folio[i];
}

static struct page *fz_restore_pages(phys_addr_t phys, unsigned long nr)
{
	if (fz_pages_taken || PFN_PHYS(page_to_pfn(fz_pages)) != phys || nr != 2)
		return NULL;
	fz_pages_taken = true;
	return fz_pages;
}

/* Areas handed out and not given back yet (the object may hold them). */
#define FZ_AREAS 8
static void *fz_area[FZ_AREAS];

static int fz_area_slot(const void *ptr)
{
	int i;

	for (i = 0; i < FZ_AREAS; i++)
		if (fz_area[i] == ptr)
			return i;
	return -1;
}

static void *fz_restore_vmalloc(const struct kho_vmalloc *kv)
{
	int i = fz_area_slot(NULL);
	void *p;

	/* Up to 9 pages: an in-place array of the 2000 words (16000 bytes). */
	if (kv->order != 7 || !kv->total_pages || kv->total_pages > 9 ||
	    kv->flags || i < 0)
		return NULL;
	p = vzalloc((size_t)kv->total_pages * PAGE_SIZE);
	if (!p)
		return NULL;
	fz_area[i] = p;
	fz_areas++;
	return p;
}

static void fz_drop_folio(struct folio *folio)
{
	int i;

	for (i = 0; i < 4; i++)
		if (fz_folio[i] == folio)
			fz_folio_taken[i] = false;
}

static void fz_drop_pages(struct page *page, unsigned long nr)
{
	fz_pages_taken = false;
}

static void fz_restore_vfree(void *ptr, const struct kho_vmalloc *kv)
{
	int i = fz_area_slot(ptr);

	if (i < 0)
		kf_die("an area given back twice, or not one of ours");
	fz_area[i] = NULL;
	fz_areas--;
	vfree(ptr);
}

static const struct kstate_mem_ops fz_ops = {
	.preserve_folio = fz_preserve_folio,
	.unpreserve_folio = fz_unpreserve_folio,
	.preserve_pages = fz_preserve_pages,
	.unpreserve_pages = fz_unpreserve_pages,
	.preserve_vmalloc = fz_preserve_vmalloc,
	.unpreserve_vmalloc = fz_unpreserve_vmalloc,
	.preserved_order = fz_preserved_order,
	.restore_folio = fz_restore_folio,
	.restore_pages = fz_restore_pages,
	.restore_vmalloc = fz_restore_vmalloc,
	.drop_folio = fz_drop_folio,
	.drop_pages = fz_drop_pages,
	.restore_vfree = fz_restore_vfree,
};

/* ---------------------------------------------------------------------- */
/* The described object                                                   */

struct fz_row {
	u16 a;
	s32 b;
	bool c;
};

struct fz_leaf {
	u32 id;
	char label[6];
};

struct fz_obj {
	u8 small;
	s64 big;
	bool flag;
	char name[10];
	u16 fixed[3];
	u8 nv;
	u32 v[5];
	struct fz_leaf leaf;
	struct fz_leaf *ptr;
	u8 nptrs;
	struct fz_leaf *ptrs[3];
	u16 nrows;
	struct fz_row *rows;
	u32 nwords;
	u64 *words;
	struct folio *folio;
	u32 nr_pages;
	struct page *pages;
	void *area;
	u32 custom;
	/* Version 2. */
	u32 added;
	u64 extra;
};

static const struct kstate_field fz_row_fields[] = {
	KSTATE_UINT(struct fz_row, a),
	KSTATE_INT(struct fz_row, b),
	KSTATE_BOOLEAN(struct fz_row, c),
	KSTATE_END_OF_LIST
};

static const struct kstate_description fz_row_desc = {
	.name = "fz-row", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct fz_row), .fields = fz_row_fields,
};

static const struct kstate_field fz_leaf_fields[] = {
	KSTATE_UINT(struct fz_leaf, id),
	KSTATE_STRING_BUF(struct fz_leaf, label),
	KSTATE_END_OF_LIST
};

static const struct kstate_description fz_leaf_desc = {
	.name = "fz-leaf", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct fz_leaf), .fields = fz_leaf_fields,
};

static int fz_custom_save(struct kstate_writer *w, const void *field)
{
	return kstate_write_bytes(w, field, sizeof(u32));
}

static int fz_custom_restore(void *field, const void *bytes, size_t len)
{
	if (len != sizeof(u32))
		return -EINVAL;
	memcpy(field, bytes, len);
	return 0;
}

#define FZ_FIELDS							\
	KSTATE_UINT(struct fz_obj, small),				\
	KSTATE_INT(struct fz_obj, big),					\
	KSTATE_BOOLEAN(struct fz_obj, flag),				\
	KSTATE_STRING_BUF(struct fz_obj, name),				\
	KSTATE_UINT_ARRAY(struct fz_obj, fixed),			\
	KSTATE_UINT(struct fz_obj, nv),					\
	KSTATE_UINT_VARRAY(struct fz_obj, v, nv),			\
	KSTATE_STRUCT_FIELD(struct fz_obj, leaf, &fz_leaf_desc),	\
	KSTATE_POINTER_FIELD(struct fz_obj, ptr, &fz_leaf_desc),	\
	KSTATE_UINT(struct fz_obj, nptrs),				\
	KSTATE_PTR_VARRAY(struct fz_obj, ptrs, nptrs, &fz_leaf_desc),	\
	KSTATE_UINT(struct fz_obj, nrows),				\
	KSTATE_STRUCT_ALLOC(struct fz_obj, rows, nrows, &fz_row_desc, 100), \
	KSTATE_UINT(struct fz_obj, nwords),				\
	KSTATE_UINT_ALLOC(struct fz_obj, words, nwords, 2000),		\
	KSTATE_FOLIO_FIELD(struct fz_obj, folio),			\
	KSTATE_UINT(struct fz_obj, nr_pages),				\
	KSTATE_PAGES_FIELD(struct fz_obj, pages, nr_pages),		\
	KSTATE_VMALLOC_FIELD(struct fz_obj, area),			\
	KSTATE_CUSTOM_FIELD(struct fz_obj, custom, fz_custom_save,	\
			    fz_custom_restore)

static const struct kstate_field fz_v1_fields[] = {
	FZ_FIELDS,
	KSTATE_END_OF_LIST
};

static const struct kstate_field fz_v2_fields[] = {
	FZ_FIELDS,
	KSTATE_UINT_DEF(struct fz_obj, added, 2, 5),
	KSTATE_END_OF_LIST
};

static bool fz_extra_needed(const void *obj)
{
	return ((const struct fz_obj *)obj)->flag;
}

static const struct kstate_field fz_extra_fields[] = {
	KSTATE_UINT_V(struct fz_obj, extra, 2),
	KSTATE_END_OF_LIST
};

static const struct kstate_description fz_extra_desc = {
	.name = "fz-extra", .version_id = 2, .minimum_version_id = 2,
	.size = sizeof(struct fz_obj), .fields = fz_extra_fields,
	.needed = fz_extra_needed,
};

static const struct kstate_description * const fz_subs[] = {
	&fz_extra_desc, NULL
};

static const struct kstate_description fz_v1 = {
	.name = "fz-obj", .version_id = 1, .minimum_version_id = 1,
	.size = sizeof(struct fz_obj), .fields = fz_v1_fields,
};

static const struct kstate_description fz_v2 = {
	.name = "fz-obj", .version_id = 2, .minimum_version_id = 1,
	.size = sizeof(struct fz_obj), .fields = fz_v2_fields,
	.subsections = fz_subs,
};

static void fz_init(void)
{
	int i;

	if (fz_pages)
		return;
	kfimg_gen_begin(512);	/* an arena of free pages */
	for (i = 0; i < 4; i++)
		fz_folio[i] = folio_alloc(GFP_KERNEL | __GFP_ZERO, i % 3);
	fz_pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!fz_pages || !fz_folio[3])
		kf_die("no memory for the stand-in");
}

/* Give back what an accepted record made; check what it claims. */
static void fz_release(struct fz_obj *o)
{
	int i;

	if (o->nv > 5 || o->nptrs > 3 || o->nrows > 100 || o->nwords > 2000)
		kf_die("accepted counts beyond their room");
	if ((o->nrows && !o->rows) || (o->nwords && !o->words) ||
	    (o->pages && o->nr_pages != 2))
		kf_die("accepted a count without its memory");
	if (strnlen(o->name, sizeof(o->name)) == sizeof(o->name) ||
	    strnlen(o->leaf.label, sizeof(o->leaf.label)) == sizeof(o->leaf.label))
		kf_die("accepted an unterminated string");
	kfree(o->ptr);
	for (i = 0; i < o->nptrs; i++)
		kfree(o->ptrs[i]);
	kvfree(o->rows);
	/* An in-place array is one of the stand-in's areas. */
	if (o->words && fz_area_slot(o->words) >= 0)
		fz_restore_vfree(o->words, NULL);
	else
		kvfree(o->words);
	if (o->folio)
		fz_drop_folio(o->folio);
	if (o->pages)
		fz_drop_pages(o->pages, o->nr_pages);
	if (o->area)
		fz_restore_vfree(o->area, NULL);
}

static void fz_all_back(const char *when)
{
	int i;

	for (i = 0; i < 4; i++)
		if (fz_folio_taken[i])
			kf_die("a folio was not given back %s", when);
	if (fz_pages_taken || fz_areas)
		kf_die("pages or a vmalloc area were not given back %s", when);
}

#ifndef KF_GEN
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char why[KSTATE_WHY_LEN];
	struct kstate_in_rec *recs;
	u32 nr, i;
	void *copy;

	fz_init();
	if (size > KSTATE_MAX_STREAM)
		return 0;
	copy = malloc(size ?: 1);
	memcpy(copy, data, size);
	if (kstate_parse_stream(copy, size, &recs, &nr, why)) {
		if (!why[0])
			kf_die("stream refused without a reason");
		free(copy);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		struct fz_obj o = {};

		if (kstate_load_record(&fz_ops, &recs[i], i & 1 ? &fz_v2 : &fz_v1,
				       &o, why)) {
			if (!why[0])
				kf_die("record refused without a reason");
			fz_all_back("after a refusal");
			continue;
		}
		fz_release(&o);
		fz_all_back("after a release");
	}
	kvfree(recs);
	free(copy);
	return 0;
}
#else
/* ---------------------------------------------------------------------- */
/* Seeds: streams written by the kernel's own writer                      */

static struct fz_leaf fz_l1 = { 1, "one" }, fz_l2 = { 2, "two" };

static void fz_gen(const char *dir, const char *name, int nrec, bool v2,
		   bool extra)
{
	struct fz_row rows[4] = { { 1, -1, true }, { 2, -2 }, { 3, 3, true } };
	u64 words[6] = { 1, 2, 3, 5, 8, 13 };
	struct kstate_writer w;
	char path[512];
	FILE *f;
	int i;

	fz_init();
	kstate_writer_init(&w, &fz_ops);
	if (kstate_write_stream_hdr(&w, nrec))
		kf_die("generator: stream header");
	for (i = 0; i < nrec; i++) {
		struct fz_obj o = {
			.small = 7, .big = -(1LL << 40), .flag = extra,
			.name = "fuzz", .fixed = { 1, 2, 3 }, .nv = 2,
			.v = { 10, 20 }, .leaf = { 9, "leaf" }, .ptr = &fz_l1,
			.nptrs = 2, .ptrs = { &fz_l1, &fz_l2 }, .nrows = 3,
			.rows = rows, .nwords = 6, .words = words,
			.folio = fz_folio[i % 4], .nr_pages = 2,
			.pages = i ? NULL : fz_pages, .custom = 0xc0ffee,
			.added = 6, .extra = 0xe7,
		};

		if (!o.pages)
			o.nr_pages = 0;
		o.area = i == 1 ? vzalloc(PAGE_SIZE) : NULL;
		if (i == 2) {
			/* Large enough to be handed over in place. */
			o.nwords = 1200;
			o.words = vmalloc(o.nwords * sizeof(u64));
			if (!o.words)
				kf_die("generator: no memory");
			for (int j = 0; j < o.nwords; j++)
				o.words[j] = j * 7;
		}
		if (kstate_save_record(&w, v2 ? &fz_v2 : &fz_v1, &o, i))
			kf_die("generator: record %d", i);
		vfree(o.area);
		if (i == 2)
			vfree(o.words);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(w.buf, 1, w.len, f) != w.len || fclose(f))
		kf_die("cannot save %s", path);
	kstate_writer_done(&w);
}

int main(int argc, char **argv)
{
	fz_gen(argv[1], "v1-one", 1, false, false);
	fz_gen(argv[1], "v1-three", 3, false, false);
	fz_gen(argv[1], "v2-three", 3, true, false);
	fz_gen(argv[1], "v2-extra", 2, true, true);
	return 0;
}
#endif /* KF_GEN */
