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

/*
 * Take back every folio of the table, checking it against the file's
 * size: flags known, index aligned to the folio and inside the file,
 * indices increasing. On failure what was taken is cleared and freed.
 */
static long memfd_luo_take_folios(const struct memfd_luo_ser *ser,
				  const struct memfd_luo_folio_ser *table,
				  struct folio **folios)
{
	pgoff_t pages = DIV_ROUND_UP(ser->size, PAGE_SIZE), next = 0;
	unsigned long i, nr = 0;
	struct folio *folio;

	for (i = 0; i < ser->nr_folios; i++) {
		const struct memfd_luo_folio_ser *e = &table[i];

		if (!e->pfn)
			continue;
		folio = (e->flags & ~(MEMFD_LUO_FOLIO_DIRTY |
				      MEMFD_LUO_FOLIO_UPTODATE)) ? NULL :
			kho_restore_folio(PFN_PHYS(e->pfn));
		if (!folio) {
			pr_warn("folio %lu (pfn %#llx) is not preserved memory\n",
				i, (u64)e->pfn);
			goto fail;
		}
		folios[nr++] = folio;
		if (e->index < next || e->index >= pages ||
		    pages - e->index < folio_nr_pages(folio) ||
		    !IS_ALIGNED(e->index, folio_nr_pages(folio))) {
			pr_warn("folio %lu at page %llu does not fit the file\n",
				i, e->index);
			goto fail;
		}
		folio->index = e->index;
		next = e->index + folio_nr_pages(folio);
	}
	return nr;
fail:
	while (nr--) {
		memfd_luo_scrub(folios[nr]);
		folio_put(folios[nr]);
	}
	return -EINVAL;
}

static int memfd_luo_fill(struct file *file, const struct memfd_luo_ser *ser,
			  const struct memfd_luo_folio_ser *table,
			  struct folio **folios, unsigned long nr)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = inode->i_mapping;
	gfp_t gfp = mapping_gfp_mask(mapping);
	unsigned long i, j = 0, added = 0;
	int err = 0;

	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];
		long npages = folio_nr_pages(folio);

		while (!table[j].pfn)
			j++;
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
		if (table[j].flags & MEMFD_LUO_FOLIO_UPTODATE)
			folio_mark_uptodate(folio);
		if (table[j].flags & MEMFD_LUO_FOLIO_DIRTY)
			folio_mark_dirty(folio);
		j++;
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
	for (j = 0; j < nr; j++) {
		memfd_luo_scrub(folios[j]);
		if (j >= i)
			folio_put(folios[j]);
	}
	return err;
}

static int memfd_luo_retrieve(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *table = NULL;
	struct folio **folios = NULL;
	struct memfd_luo_ser ser;
	struct file *file;
	unsigned long i;
	long nr = 0;
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
		folios = kvmalloc_array(ser.nr_folios, sizeof(*folios),
					GFP_KERNEL);
		if (!folios) {
			err = -ENOMEM;
			goto out;
		}
		nr = memfd_luo_take_folios(&ser, table, folios);
		if (nr < 0) {
			err = nr;
			goto out;
		}
	}

	file = memfd_alloc_file("", MFD_ALLOW_SEALING);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_folios;
	}
	i_size_write(file_inode(file), ser.size);
	err = memfd_luo_fill(file, &ser, table, folios, nr);
	if (err) {
		fput(file);
		goto out;
	}
	err = memfd_add_seals(file, ser.seals);
	if (err) {
		for (i = 0; i < nr; i++)
			memfd_luo_scrub(folios[i]);
		fput(file);
		goto out;
	}
	vfs_setpos(file, ser.pos, MAX_LFS_FILESIZE);
	args->file = file;
	goto out;

out_folios:
	for (i = 0; i < nr; i++) {
		memfd_luo_scrub(folios[i]);
		folio_put(folios[i]);
	}
out:
	kvfree(folios);
	vfree(table);
	return err;
}

static void memfd_luo_finish(struct liveupdate_file_op_args *args)
{
	struct memfd_luo_folio_ser *table;
	struct memfd_luo_ser ser;
	struct folio **folios;
	long i, nr;

	/* Retrieved, or retrieve() failed and cleaned up what it could. */
	if (args->retrieve_status)
		return;
	if (memfd_luo_take_ser(args->serialized_data, &ser) || !ser.nr_folios ||
	    ser.nr_folios > DIV_ROUND_UP(ser.size, PAGE_SIZE))
		return;
	table = kho_restore_vmalloc(&ser.folios);
	if (!table)
		return;
	folios = (u64)ser.folios.total_pages << PAGE_SHIFT >=
		 ser.nr_folios * sizeof(*table) ?
		 kvmalloc_array(ser.nr_folios, sizeof(*folios), GFP_KERNEL) :
		 NULL;
	nr = folios ? memfd_luo_take_folios(&ser, table, folios) : -EINVAL;
	for (i = 0; i < nr; i++) {
		memfd_luo_scrub(folios[i]);
		folio_put(folios[i]);
	}
	kvfree(folios);
	vfree(table);
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
