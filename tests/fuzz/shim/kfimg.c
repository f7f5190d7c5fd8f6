// SPDX-License-Identifier: GPL-2.0
/*
 * kfimg.c - load a fuzzer input into the arena and hand it to KHO as an
 * accepted handover (see kfimg.h); and save an arena built by the kernel's
 * writers as such an input, for the seed corpora.
 */
#include "kfimg.h"

#include <linux/libfdt.h>

#include "../../../kernel/files/kernel/liveupdate/kexec_handover_internal.h"
#include "kho_glue.h"

static int kfimg_cmp_block(const void *a, const void *b)
{
	const struct kho_block *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* A root FDT with one subtree, as a previous kernel would have written. */
static void *kfimg_fdt(const char *name, u64 phys, u64 size)
{
	u64 map = KF_PHYS_BASE;
	void *fdt = malloc(PAGE_SIZE);
	int err;

	err = fdt_create(fdt, PAGE_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", KHO_FDT_COMPATIBLE);
	err |= fdt_property(fdt, KHO_FDT_MEMORY_MAP_PROP_NAME, &map, sizeof(map));
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property(fdt, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
	err |= fdt_property(fdt, KHO_SUB_TREE_SIZE_PROP_NAME, &size, sizeof(size));
	err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err)
		kf_die("cannot build the root FDT");
	return fdt;
}

static int kfimg_parse(const u8 *data, size_t size, const char *subtree,
		       struct kfimg *img, bool raw)
{
	const struct kfimg_block *b;
	unsigned long i, n, npages;
	struct kho_block *blk;
	struct kfimg_patch p;

	memset(img, 0, sizeof(*img));
	if (size < sizeof(img->hdr))
		return -EINVAL;
	memcpy(&img->hdr, data, sizeof(img->hdr));
	data += sizeof(img->hdr);
	size -= sizeof(img->hdr);
	npages = img->hdr.nr_pages;
	if (!npages || npages > KFIMG_MAX_PAGES ||
	    img->hdr.nr_blocks > KFIMG_MAX_BLOCKS ||
	    size < img->hdr.nr_blocks * sizeof(*b))
		return -EINVAL;

	kf_mem_setup(npages);
	kf_memblock_reset();
	kf_kho_reset();

	/* Blocks: as KHO's checks leave them (in RAM, aligned, disjoint). */
	b = (const void *)data;
	blk = calloc(img->hdr.nr_blocks + 1, sizeof(*blk));
	for (i = n = 0; i < img->hdr.nr_blocks; i++) {
		unsigned long pg = b[i].page, o = b[i].order;

		if (o > MAX_PAGE_ORDER || pg % (1UL << o) ||
		    pg + (1UL << o) > npages)
			continue;
		blk[n].pfn = KF_PFN_BASE + pg;
		blk[n++].order = o;
	}
	qsort(blk, n, sizeof(*blk), kfimg_cmp_block);
	for (i = 1; i < n && !raw; i++)
		if (kho_block_end(&blk[i - 1]) > blk[i].pfn) {
			free(blk);
			return -EINVAL;
		}
	data += img->hdr.nr_blocks * sizeof(*b);
	size -= img->hdr.nr_blocks * sizeof(*b);

	/* Contents */
	while (size >= sizeof(p)) {
		memcpy(&p, data, sizeof(p));
		data += sizeof(p);
		size -= sizeof(p);
		p.off %= PAGE_SIZE;
		p.len = min_t(size_t, min_t(size_t, p.len, size),
			      PAGE_SIZE - p.off);
		if (p.page < npages)
			memcpy(kf_mem + p.page * PAGE_SIZE + p.off, data, p.len);
		data += p.len;
		size -= p.len;
	}

	if (raw) {
		img->blocks = blk;
		img->nr_blocks = n;
		return 0;
	}
	/* KHO checked that the blob lies in one preserved block. */
	if (subtree) {
		u64 bp = img->hdr.blob_phys, bs = img->hdr.blob_size;

		for (i = 0; i < n; i++)
			if (PHYS_PFN(bp) >= blk[i].pfn &&
			    PHYS_PFN(bp) < kho_block_end(&blk[i]))
				break;
		if (i == n || !bs || bp + bs < bp ||
		    bp + bs > PFN_PHYS(kho_block_end(&blk[i]))) {
			free(blk);
			return -EINVAL;
		}
		img->fdt = kfimg_fdt(subtree, bp, bs);
	}
	img->blocks = blk;
	img->nr_blocks = n;
	kf_kho_incoming(blk, n, img->fdt);
	return 0;
}

int kfimg_load(const u8 *data, size_t size, const char *subtree,
	       struct kfimg *img)
{
	return kfimg_parse(data, size, subtree, img, false);
}

int kfimg_load_raw(const u8 *data, size_t size, struct kfimg *img)
{
	return kfimg_parse(data, size, NULL, img, true);
}

void kfimg_end_of_boot(struct kfimg *img)
{
	kf_kho_end_of_boot();
	kf_vm_reset();
	free(img->blocks);
	free(img->fdt);
	img->blocks = NULL;
	img->fdt = NULL;
}

/* ---------------------------------------------------------------------- */
/* Generators                                                              */

void kfimg_gen_begin(unsigned long nr_pages)
{
	unsigned long i;

	kf_mem_setup(nr_pages);
	for (i = 0; i < nr_pages; i++)
		kf_pages[i].flags = KF_PG_FREE;
	kf_memblock_reset();
	kf_kho_reset();
	if (kf_kho_out_init())
		kf_die("kho_init() failed in the generator");
}

struct kfimg_gen {
	struct kfimg_block b[KFIMG_MAX_BLOCKS];
	unsigned int n;
};

static int kfimg_gen_leaf(unsigned long key, void *data)
{
	struct kfimg_gen *g = data;
	unsigned int order;
	phys_addr_t phys = kho_radix_decode_key(key, &order);

	if (g->n == KFIMG_MAX_BLOCKS)
		return -ENOSPC;
	g->b[g->n].page = PHYS_PFN(phys) - KF_PFN_BASE;
	g->b[g->n++].order = order;
	return 0;
}

static void kfimg_put_page(FILE *f, unsigned long pg)
{
	const u8 *m = kf_mem + pg * PAGE_SIZE;
	unsigned int s = 0, e;

	/* Runs of non-zero bytes, joined across short gaps. */
	while (s < PAGE_SIZE) {
		struct kfimg_patch p;
		unsigned int zeros = 0;

		while (s < PAGE_SIZE && !m[s])
			s++;
		if (s == PAGE_SIZE)
			break;
		for (e = s; e < PAGE_SIZE && zeros < 16; e++)
			zeros = m[e] ? 0 : zeros + 1;
		e -= zeros;
		p.page = pg;
		p.off = s;
		p.len = e - s;
		fwrite(&p, sizeof(p), 1, f);
		fwrite(m + s, 1, e - s, f);
		s = e;
	}
}

int kfimg_gen_save_all(const char *path, const struct kfimg_hdr *hdr,
		       const struct kfimg_block *b, unsigned int nr)
{
	struct kfimg_hdr h = *hdr;
	unsigned long pg;
	FILE *f = fopen(path, "wb");

	if (!f)
		return -EIO;
	h.nr_blocks = nr;
	fwrite(&h, sizeof(h), 1, f);
	fwrite(b, sizeof(*b), nr, f);
	for (pg = 0; pg < h.nr_pages; pg++)
		kfimg_put_page(f, pg);
	fclose(f);
	return 0;
}

/* Save the preserved blocks and their non-zero bytes as an input. */
int kfimg_gen_save(const char *path, u64 blob_phys, u64 blob_size, u32 knob)
{
	struct kfimg_hdr hdr = {
		.knob = knob, .blob_phys = blob_phys, .blob_size = blob_size,
	};
	static struct kfimg_gen g;
	unsigned long i, pg, last = 0;
	FILE *f;

	g.n = 0;
	if (kf_kho_out_walk(kfimg_gen_leaf, &g))
		return -ENOSPC;
	for (i = 0; i < g.n; i++)
		last = max(last, (unsigned long)g.b[i].page + (1UL << g.b[i].order));
	hdr.nr_pages = last;
	hdr.nr_blocks = g.n;
	f = fopen(path, "wb");
	if (!f)
		return -EIO;
	fwrite(&hdr, sizeof(hdr), 1, f);
	fwrite(g.b, sizeof(g.b[0]), g.n, f);
	for (i = 0; i < g.n; i++) {
		for (pg = g.b[i].page; pg < g.b[i].page + (1UL << g.b[i].order); pg++)
			kfimg_put_page(f, pg);
	}
	fclose(f);
	return 0;
}
