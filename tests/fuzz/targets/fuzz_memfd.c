// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the memfd live update handler's incoming side, from the
 * kernel's own mm/memfd_luo.c: retrieve() (or finish() of a memfd nobody
 * retrieved) on a memfd_luo_ser the previous kernel left.
 *
 * The input is a memory image (kfimg.h); blob_phys is the handler's
 * serialized_data, as LUO passes it on. knob:
 *   bits 0-1  largest folio order of this kernel's page cache: 0, 2, 9, 10
 *   bit  2    finish() without retrieve()
 *   bit  3    memfd_add_seals() fails
 *   bit  4    the page cache refuses a folio (charge fails) ...
 *   bits 8-15 ... the Nth one
 */
#include "../../../kernel/files/mm/memfd_luo.c"

#include "kfimg.h"
#include "kho_glue.h"

static u32 kf_knob;
static unsigned int kf_charges;

struct file *memfd_alloc_file(const char *name, unsigned int flags)
{
	static const unsigned int orders[] = { 0, 2, 9, 10 };
	struct file *file = calloc(1, sizeof(*file));
	struct inode *inode = calloc(1, sizeof(*inode));

	inode->i_mode = S_IFREG | 0600;
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	inode->i_data.max_order = orders[kf_knob & 3];
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	return file;
}

void fput(struct file *file)
{
	kf_cache_release(file->f_mapping, false);
	free(file->f_inode);
	free(file);
}

int mem_cgroup_charge(struct folio *folio, void *mm, gfp_t gfp)
{
	if (kf_knob & 0x10 && kf_charges++ == ((kf_knob >> 8) & 0xff))
		return -ENOMEM;
	return 0;
}

int shmem_add_to_page_cache(struct folio *folio, struct address_space *m,
			    pgoff_t index, void *expected, gfp_t gfp)
{
	if (!(folio->flags & KF_PG_LOCKED))
		kf_die("shmem_add_to_page_cache() of an unlocked folio");
	return kf_cache_add(m, folio, index);
}

int shmem_inode_acct_blocks(struct inode *inode, long pages)
{
	return 0;
}

void filemap_remove_folio(struct folio *folio)
{
	kf_die("filemap_remove_folio() not expected");
}

void folio_add_lru(struct folio *folio)
{
}

void shmem_recalc_inode(struct inode *inode, long alloced, long swapped)
{
}

int memfd_add_seals(struct file *file, unsigned int seals)
{
	if (kf_knob & 8)
		return -EPERM;
	file->f_seals |= seals;
	return 0;
}

loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize)
{
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/* The outgoing side, not fuzzed here */
int memfd_get_seals(struct file *file)
{
	return file->f_seals;
}

long memfd_pin_folios(struct file *file, loff_t start, loff_t end,
		      struct folio **folios, unsigned int max,
		      pgoff_t *offset)
{
	return -EOPNOTSUPP;
}

void unpin_folios(struct folio **folios, unsigned long nr)
{
}

void shmem_freeze(struct inode *inode, bool freeze)
{
}

bool shmem_file(struct file *file)
{
	return true;
}

int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return 0;
}

/* What retrieve() gave back must be what the description said. */
static void kf_check_file(struct file *file)
{
	struct address_space *m = file->f_mapping;
	pgoff_t pages = DIV_ROUND_UP(file->f_inode->i_size, PAGE_SIZE);
	unsigned long i;

	if (file->f_inode->i_size > MAX_LFS_FILESIZE ||
	    file->f_pos > MAX_LFS_FILESIZE)
		kf_die("retrieved a memfd of size %lld at %lld",
		       file->f_inode->i_size, file->f_pos);
	for (i = 0; i < m->nr; i++)
		if (m->ents[i].index >= pages)
			kf_die("a folio at page %lu of a memfd of %lu pages",
			       m->ents[i].index, pages);
	if (m->nrpages > pages + MAX_ORDER_NR_PAGES)
		kf_die("%lu pages in a memfd of %lu", m->nrpages, pages);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct liveupdate_file_op_args args = {};
	struct kfimg img;

	if (kfimg_load(data, size, NULL, &img) == 0) {
		kf_knob = img.hdr.knob;
		kf_charges = 0;
		args.serialized_data = img.hdr.blob_phys;
		if (kf_knob & 4) {
			memfd_luo_ops.finish(&args);
		} else if (!memfd_luo_ops.retrieve(&args)) {
			kf_check_file(args.file);
			fput(args.file);
		}
	}
	kfimg_end_of_boot(&img);
	return 0;
}

#ifdef KF_GEN
/* ---------------------------------------------------------------------- */
/* Seeds: a description, table and folios as preserve() leaves them       */

static void kf_gen(const char *dir, const char *name, const int *orders,
		   unsigned int nr, u64 size, u32 seals, u32 knob)
{
	struct memfd_luo_folio_ser *table;
	struct memfd_luo_ser *ser;
	char path[512];
	pgoff_t index = 0;
	unsigned int i;

	kfimg_gen_begin(256);
	ser = kho_alloc_preserve(sizeof(*ser));
	table = vcalloc(nr, sizeof(*table));
	if (IS_ERR(ser) || !table)
		kf_die("generator: no memory");
	for (i = 0; i < nr; i++) {
		struct folio *folio;

		if (orders[i] < 0) {		/* a hole */
			index++;
			continue;
		}
		folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, orders[i]);
		if (!folio || kho_preserve_folio(folio))
			kf_die("generator: no folio");
		index = ALIGN(index, 1UL << orders[i]);
		memset(folio_address(folio), 'A' + i, 100);
		table[i].pfn = folio_pfn(folio);
		table[i].flags = MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE;
		table[i].index = index;
		index += 1UL << orders[i];
	}
	if (kho_preserve_vmalloc(table, &ser->folios))
		kf_die("generator: kho_preserve_vmalloc");
	ser->size = size;
	ser->pos = size / 2;
	ser->seals = seals;
	ser->nr_folios = nr;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kfimg_gen_save(path, virt_to_phys(ser), sizeof(*ser), knob))
		kf_die("cannot save %s", path);
}

int main(int argc, char **argv)
{
	static const int small[] = { 0, -1, 0 };
	static const int large[] = { 2, 0, 0, 1 };

	kf_gen(argv[1], "small", small, 3, 3 * PAGE_SIZE - 100, 0, 0);
	kf_gen(argv[1], "small-sealed", small, 3, 3 * PAGE_SIZE,
	       F_SEAL_SEAL | F_SEAL_GROW, 0);
	kf_gen(argv[1], "large-split", large, 4, 10 * PAGE_SIZE, 0, 0);
	kf_gen(argv[1], "large-thp", large, 4, 9 * PAGE_SIZE + 1, 0, 1);
	kf_gen(argv[1], "large-past-eof", large, 1, PAGE_SIZE + 1, 0, 0);
	kf_gen(argv[1], "finish", large, 4, 10 * PAGE_SIZE, 0, 4);
	kf_gen(argv[1], "charge-fails", large, 4, 10 * PAGE_SIZE, 0,
	       0x10 | 2 << 8 | 1);
	kf_gen(argv[1], "seals-fail", small, 3, 3 * PAGE_SIZE, F_SEAL_SEAL, 8);
	return 0;
}
#endif /* KF_GEN */
