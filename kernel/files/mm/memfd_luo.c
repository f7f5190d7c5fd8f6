// SPDX-License-Identifier: GPL-2.0
/*
 * memfd live update: hand a memfd's pages over to the next kernel in
 * place.
 *
 * preserve() pins every page of the file (allocating holes, which also
 * moves pages out of CMA and so out of KHO scratch memory), preserves each
 * folio and a table of them, and freezes the file's size: no truncation,
 * growth or hole punching until the kexec or until it is unpreserved.
 * freeze() records the final file position. In the next kernel retrieve()
 * takes every folio back and builds a new memfd around them; finish()
 * frees the folios of a memfd nobody retrieved.
 *
 * The wire format is that of upstream Linux ("memfd-v2",
 * include/linux/kho/abi/memfd.h). Everything in it is checked before use;
 * folios that cannot be given back to their owner are cleared before they
 * are freed. hugetlb memfds are not handled (preserving one fails with
 * ENOENT).
 */

#define pr_fmt(fmt) "memfd-luo: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/memfd.h>
#include <linux/liveupdate.h>
#include <linux/memcontrol.h>
#include <linux/memfd.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <uapi/linux/fcntl.h>
#include <uapi/linux/memfd.h>

#include "internal.h"

/**
 * struct memfd_luo_out - what this kernel keeps about a preserved memfd
 * @ser:       the preserved description
 * @folios:    the pinned folios
 * @table:     the preserved folio table (vmalloc)
 * @nr_folios: entries in @folios and @table
 */
struct memfd_luo_out {
	struct memfd_luo_ser *ser;
	struct folio **folios;
	struct memfd_luo_folio_ser *table;
	unsigned long nr_folios;
};

static void memfd_luo_release_out(struct memfd_luo_out *out, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		kho_unpreserve_folio(out->folios[i]);
	unpin_folios(out->folios, out->nr_folios);
	vfree(out->table);
	kvfree(out->folios);
}

static int memfd_luo_pin(struct file *file, struct memfd_luo_out *out)
{
	loff_t size = i_size_read(file_inode(file));
	unsigned long max = DIV_ROUND_UP(size, PAGE_SIZE), i = 0;
	struct memfd_luo_folio_ser *e;
	pgoff_t offset;
	long nr;
	int err;

	if (!size)
		return 0;
	if (max > UINT_MAX)
		return -EFBIG;
	out->folios = kvmalloc_array(max, sizeof(*out->folios), GFP_KERNEL);
	if (!out->folios)
		return -ENOMEM;
	nr = memfd_pin_folios(file, 0, size - 1, out->folios, max, &offset);
	if (nr < 0) {
		kvfree(out->folios);
		return nr;
	}
	out->nr_folios = nr;
	out->table = vcalloc(nr, sizeof(*out->table));
	if (!out->table) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < nr; i++) {
		struct folio *folio = out->folios[i];

		err = kho_preserve_folio(folio);
		if (err)
			goto fail;
		folio_lock(folio);
		/*
		 * Whether a folio holds data may still change (through a
		 * mapping) until the kexec, so every folio goes over dirty.
		 * Never-written folios are zeroed now, as shmem would have on
		 * first use, so all go over up to date.
		 */
		if (!folio_test_uptodate(folio)) {
			folio_zero_range(folio, 0, folio_size(folio));
			flush_dcache_folio(folio);
			folio_mark_uptodate(folio);
		}
		folio_mark_dirty(folio);
		folio_unlock(folio);
		e = &out->table[i];
		e->pfn = folio_pfn(folio);
		e->flags = MEMFD_LUO_FOLIO_DIRTY | MEMFD_LUO_FOLIO_UPTODATE;
		e->index = folio->index;
	}
	err = kho_preserve_vmalloc(out->table, &out->ser->folios);
	if (err)
		goto fail;
	out->ser->nr_folios = nr;
	return 0;
fail:
	memfd_luo_release_out(out, i);
	return err;
}

static int memfd_luo_preserve(struct liveupdate_file_op_args *args)
{
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_out *out;
	int seals, err;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	inode_lock(inode);
	seals = memfd_get_seals(args->file);
	err = seals < 0 ? seals : 0;
	if (!err && (seals & ~MEMFD_LUO_ALL_SEALS))
		err = -EOPNOTSUPP;
	if (err)
		goto fail;
	out->ser = kho_alloc_preserve(sizeof(*out->ser));
	if (IS_ERR(out->ser)) {
		err = PTR_ERR(out->ser);
		goto fail;
	}
	out->ser->size = i_size_read(inode);
	out->ser->seals = seals;
	out->ser->pos = args->file->f_pos;
	err = memfd_luo_pin(args->file, out);
	if (err) {
		kho_unpreserve_free(out->ser);
		goto fail;
	}
	shmem_freeze(inode, true);
	inode_unlock(inode);
	args->serialized_data = virt_to_phys(out->ser);
	args->private_data = out;
	return 0;
fail:
	inode_unlock(inode);
	kfree(out);
	return err;
}

static int memfd_luo_freeze(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_out *out = args->private_data;

	/* Only the position can have changed since preserve(). */
	out->ser->pos = args->file->f_pos;
	return 0;
}

static void memfd_luo_unpreserve(struct liveupdate_file_op_args *args)
{
	struct inode *inode = file_inode(args->file);
	struct memfd_luo_out *out = args->private_data;

	inode_lock(inode);
	if (out->nr_folios)
		kho_unpreserve_vmalloc(&out->ser->folios);
	memfd_luo_release_out(out, out->nr_folios);
	kho_unpreserve_free(out->ser);
	shmem_freeze(inode, false);
	inode_unlock(inode);
	kfree(out);
}

/* Take back the description; it is copied and its page freed. */
static int memfd_luo_take_ser(u64 phys, struct memfd_luo_ser *ser)
{
	struct folio *folio;

	folio = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!folio) {
		pr_warn("description at %#llx is not preserved memory\n", phys);
		return -EINVAL;
	}
	memcpy(ser, folio_address(folio), sizeof(*ser));
	folio_zero_range(folio, 0, folio_size(folio));
	folio_put(folio);
	return 0;
}

static void memfd_luo_scrub(struct folio *folio)
{
	folio_zero_range(folio, 0, folio_size(folio));
}

/**
 * struct memfd_luo_in - a folio taken back from the previous kernel
 * @folio: the folio, with one reference; its index is set
 * @flags: MEMFD_LUO_FOLIO_* of the table entry it came from
 */
struct memfd_luo_in {
	struct folio *folio;
	unsigned int flags;
};

static void memfd_luo_drop(struct memfd_luo_in *in, unsigned long nr)
{
	while (nr--) {
		memfd_luo_scrub(in[nr].folio);
		folio_put(in[nr].folio);
	}
}

/*
 * Take back one table entry, a block of 2^@order pages: whole as one folio
 * when this kernel's page cache takes folios of that order, otherwise as
 * order-0 folios, of which those past the end of the file (@pages long)
 * are cleared and freed at once. A sender with shmem (m)THP on preserves
 * large folios, which may reach past the end of the file as shmem's own
 * do, and a kernel without THP must never see one in a memfd.
 */
static long memfd_luo_take_entry(const struct memfd_luo_folio_ser *e,
				 int order, unsigned int max_order,
				 pgoff_t pages, struct memfd_luo_in *in)
{
	unsigned long k, n = 0, npages = 1UL << order;
	struct folio *folio;
	struct page *page;

	if (order <= max_order) {
		folio = kho_restore_folio(PFN_PHYS(e->pfn));
		if (!folio)
			return -EINVAL;
		if (folio_order(folio) != order) {
			folio_put(folio);
			return -EINVAL;
		}
		if (order)
			folio_set_large_rmappable(folio);
		folio->index = e->index;
		in->folio = folio;
		in->flags = e->flags;
		return 1;
	}
	page = kho_restore_pages(PFN_PHYS(e->pfn), npages);
	if (!page)
		return -EINVAL;
	for (k = 0; k < npages; k++) {
		folio = page_folio(page + k);
		if (e->index + k >= pages) {
			memfd_luo_scrub(folio);
			folio_put(folio);
			continue;
		}
		folio->index = e->index + k;
		in[n].folio = folio;
		in[n++].flags = e->flags;
	}
	return n;
}

/* How many folios a block of 2^@order pages at page @index becomes. */
static unsigned long memfd_luo_entry_folios(int order, unsigned int max_order,
					    pgoff_t index, pgoff_t pages)
{
	if (order <= max_order)
		return 1;
	return min_t(unsigned long, 1UL << order, pages - index);
}

/*
 * Take back every folio of the table, checking it against the file's
 * size first, before anything is taken: flags known, each entry the start
 * of a preserved block, aligned to it and starting inside the file, no
 * overlaps. Blocks larger than 2^@max_order pages are split into pages.
 * On failure what was taken is cleared and freed.
 *
 * Return: the folios (*@nrp of them), NULL for none, or an ERR_PTR().
 */
static struct memfd_luo_in *
memfd_luo_take_folios(const struct memfd_luo_ser *ser,
		      const struct memfd_luo_folio_ser *table,
		      unsigned int max_order, unsigned long *nrp)
{
	pgoff_t pages = DIV_ROUND_UP(ser->size, PAGE_SIZE), next = 0;
	unsigned long i, count = 0, nr = 0;
	struct memfd_luo_in *in;
	int order;
	long got;

	for (i = 0; i < ser->nr_folios; i++) {
		const struct memfd_luo_folio_ser *e = &table[i];
		unsigned long npages;

		if (!e->pfn)
			continue;
		order = (e->flags & ~(MEMFD_LUO_FOLIO_DIRTY |
				      MEMFD_LUO_FOLIO_UPTODATE)) ? -EINVAL :
			kho_preserved_order(PFN_PHYS(e->pfn));
		if (order < 0) {
			pr_warn("folio %lu (pfn %#llx) is not preserved memory\n",
				i, (u64)e->pfn);
			return ERR_PTR(-EINVAL);
		}
		npages = 1UL << order;
		if (e->index < next || e->index >= pages ||
		    !IS_ALIGNED(e->index, npages)) {
			pr_warn("folio %lu at page %llu does not fit the file\n",
				i, e->index);
			return ERR_PTR(-EINVAL);
		}
		next = e->index + npages;
		count += memfd_luo_entry_folios(order, max_order, e->index,
						pages);
	}
	*nrp = 0;
	if (!count)
		return NULL;
	/* count <= pages: the entries start inside the file, apart. */
	in = kvmalloc_array(count, sizeof(*in), GFP_KERNEL);
	if (!in)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < ser->nr_folios; i++) {
		const struct memfd_luo_folio_ser *e = &table[i];

		if (!e->pfn)
			continue;
		/* The same block twice, or taken since it was looked at. */
		order = kho_preserved_order(PFN_PHYS(e->pfn));
		got = order < 0 || count - nr < memfd_luo_entry_folios(order,
						max_order, e->index, pages) ?
		      -EINVAL :
		      memfd_luo_take_entry(e, order, max_order, pages, in + nr);
		if (got < 0) {
			pr_warn("folio %lu (pfn %#llx) cannot be taken back\n",
				i, (u64)e->pfn);
			memfd_luo_drop(in, nr);
			kvfree(in);
			return ERR_PTR(-EINVAL);
		}
		nr += got;
	}
	*nrp = nr;
	return in;
}

static int memfd_luo_fill(struct file *file, struct memfd_luo_in *in,
			  unsigned long nr)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = inode->i_mapping;
	gfp_t gfp = mapping_gfp_mask(mapping);
	unsigned long i, j, added = 0;
	int err = 0;

	for (i = 0; i < nr; i++) {
		struct folio *folio = in[i].folio;
		long npages = folio_nr_pages(folio);

		__folio_set_locked(folio);
		__folio_set_swapbacked(folio);
		err = mem_cgroup_charge(folio, NULL, gfp);
		if (!err)
			err = shmem_add_to_page_cache(folio, mapping,
						      folio->index, NULL, gfp);
		if (!err) {
			err = shmem_inode_acct_blocks(inode, npages);
			if (err)
				filemap_remove_folio(folio);
		}
		if (err) {
			folio_unlock(folio);
			break;
		}
		if (in[i].flags & MEMFD_LUO_FOLIO_UPTODATE)
			folio_mark_uptodate(folio);
		if (in[i].flags & MEMFD_LUO_FOLIO_DIRTY)
			folio_mark_dirty(folio);
		added += npages;
		folio_add_lru(folio);
		folio_unlock(folio);
		/* The page cache holds it now. */
		folio_put(folio);
	}
	shmem_recalc_inode(inode, added, 0);
	if (!err)
		return 0;
	pr_warn("cannot rebuild the file: %pe\n", ERR_PTR(err));
	/* Those in the file go with it, the others now; none with data. */
	for (j = 0; j < i; j++)
		memfd_luo_scrub(in[j].folio);
	memfd_luo_drop(in + i, nr - i);
	return err;
}

static int memfd_luo_retrieve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *table = NULL;
	struct memfd_luo_in *in = NULL;
	struct memfd_luo_ser ser;
	unsigned long i, nr = 0;
	struct file *file;
	int err;

	err = memfd_luo_take_ser(args->serialized_data, &ser);
	if (err)
		return err;
	if (ser.flags || ser.size > MAX_LFS_FILESIZE ||
	    ser.pos > MAX_LFS_FILESIZE ||
	    ser.nr_folios > DIV_ROUND_UP(ser.size, PAGE_SIZE)) {
		pr_warn("malformed description (size %llu, %llu folios)\n",
			ser.size, ser.nr_folios);
		return -EINVAL;
	}
	if (ser.seals & ~MEMFD_LUO_ALL_SEALS)
		return -EOPNOTSUPP;
	if (ser.nr_folios) {
		table = kho_restore_vmalloc(&ser.folios);
		if (!table || (u64)ser.folios.total_pages << PAGE_SHIFT <
			      ser.nr_folios * sizeof(*table)) {
			pr_warn("folio table is not preserved memory or too small\n");
			err = -EINVAL;
			goto out;
		}
	}

	/* Created first: its page cache decides which folio orders fit. */
	file = memfd_alloc_file("", MFD_ALLOW_SEALING);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out;
	}
	if (table) {
		in = memfd_luo_take_folios(&ser, table,
				mapping_max_folio_order(file->f_mapping), &nr);
		if (IS_ERR(in)) {
			err = PTR_ERR(in);
			in = NULL;
			fput(file);
			goto out;
		}
	}
	i_size_write(file_inode(file), ser.size);
	err = memfd_luo_fill(file, in, nr);
	if (err) {
		fput(file);
		goto out;
	}
	err = memfd_add_seals(file, ser.seals);
	if (err) {
		for (i = 0; i < nr; i++)
			memfd_luo_scrub(in[i].folio);
		fput(file);
		goto out;
	}
	vfs_setpos(file, ser.pos, MAX_LFS_FILESIZE);
	args->file = file;
out:
	kvfree(in);
	kho_restore_vfree(table, &ser.folios);
	return err;
}

static void memfd_luo_finish(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *table;
	struct memfd_luo_in *in;
	struct memfd_luo_ser ser;
	unsigned long nr;

	/* Retrieved, or retrieve() failed and cleaned up what it could. */
	if (args->retrieve_status)
		return;
	if (memfd_luo_take_ser(args->serialized_data, &ser) || !ser.nr_folios ||
	    ser.nr_folios > DIV_ROUND_UP(ser.size, PAGE_SIZE))
		return;
	table = kho_restore_vmalloc(&ser.folios);
	if (!table)
		return;
	/* Only to be cleared and freed: every block is taken whole. */
	in = (u64)ser.folios.total_pages << PAGE_SHIFT >=
	     ser.nr_folios * sizeof(*table) ?
	     memfd_luo_take_folios(&ser, table, MAX_PAGE_ORDER, &nr) : NULL;
	if (!IS_ERR_OR_NULL(in)) {
		memfd_luo_drop(in, nr);
		kvfree(in);
	}
	kho_restore_vfree(table, &ser.folios);
}

static bool memfd_luo_can_preserve(struct liveupdate_file_handler *handler,
				   struct file *file)
{
	return shmem_file(file) && !file_inode(file)->i_nlink;
}

static unsigned long memfd_luo_get_id(struct file *file)
{
	return (unsigned long)file_inode(file);
}

static const struct liveupdate_file_ops memfd_luo_ops = {
	.can_preserve	= memfd_luo_can_preserve,
	.preserve	= memfd_luo_preserve,
	.unpreserve	= memfd_luo_unpreserve,
	.freeze		= memfd_luo_freeze,
	.retrieve	= memfd_luo_retrieve,
	.finish		= memfd_luo_finish,
	.get_id		= memfd_luo_get_id,
	.owner		= THIS_MODULE,
};

static struct liveupdate_file_handler memfd_luo_handler = {
	.ops		= &memfd_luo_ops,
	.compatible	= MEMFD_LUO_FH_COMPATIBLE,
};

static int __init memfd_luo_init(void)
{
	int err = liveupdate_register_file_handler(&memfd_luo_handler);

	if (err && err != -EOPNOTSUPP)
		pr_err("cannot register: %pe\n", ERR_PTR(err));
	return 0;
}
late_initcall(memfd_luo_init);
