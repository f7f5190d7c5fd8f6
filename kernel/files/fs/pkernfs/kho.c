// SPDX-License-Identifier: GPL-2.0
/*
 * pkernfs across kexec: every instance is written into the KHO handover
 * when the kernel kexecs (pkernfs_kexec_prepare(), called by
 * kernel_kexec(); a failure aborts the kexec), its folios preserved where
 * they are. The next kernel checks each instance's stream completely
 * before it takes any memory (pkernfs_check_stream()); an instance that
 * fails is refused with a one-line reason and its memory, never taken, is
 * cleared and freed by KHO at the end of boot. Good instances are rebuilt
 * at boot and kept unmounted until mounted or discarded.
 *
 * The wire format is described in include/linux/kho/abi/pkernfs.h.
 */

#define pr_fmt(fmt) "pkernfs: " fmt

#include <kunit/visibility.h>
#include <linux/kexec_handover.h>
#include <linux/kstate.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/pkernfs.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "internal.h"

/*
 * pkernfs-v2: an instance as a KSTATE record. The arrays point into the
 * v1 stream this kernel built (outgoing) or were allocated by KSTATE
 * (incoming).
 */
struct pkernfs_kst {
	char name[PKERNFS_NAME_MAX + 1];
	u64 size_limit;
	s32 node;
	u32 flags;
	u32 nr_inodes;
	struct pkernfs_kho_inode *inodes;
	u64 nr_extents;
	u64 *extents;
	u64 names_bytes;
	u8 *names;
};

static const struct kstate_field pkernfs_kst_inode_fields[] = {
	KSTATE_UINT(struct pkernfs_kho_inode, parent),
	KSTATE_UINT(struct pkernfs_kho_inode, mode),
	KSTATE_UINT(struct pkernfs_kho_inode, uid),
	KSTATE_UINT(struct pkernfs_kho_inode, gid),
	KSTATE_UINT(struct pkernfs_kho_inode, name_len),
	KSTATE_UINT(struct pkernfs_kho_inode, name_off),
	KSTATE_UINT(struct pkernfs_kho_inode, size),
	KSTATE_INT(struct pkernfs_kho_inode, atime),
	KSTATE_INT(struct pkernfs_kho_inode, mtime),
	KSTATE_INT(struct pkernfs_kho_inode, ctime),
	KSTATE_UINT(struct pkernfs_kho_inode, atime_nsec),
	KSTATE_UINT(struct pkernfs_kho_inode, mtime_nsec),
	KSTATE_UINT(struct pkernfs_kho_inode, ctime_nsec),
	KSTATE_UINT(struct pkernfs_kho_inode, first_extent),
	KSTATE_UINT(struct pkernfs_kho_inode, nr_extents),
	KSTATE_END_OF_LIST
};

static const struct kstate_description pkernfs_kst_inode_desc = {
	.name = "pkernfs-inode",
	.version_id = 1,
	.minimum_version_id = 1,
	.size = sizeof(struct pkernfs_kho_inode),
	.fields = pkernfs_kst_inode_fields,
};

#define PKERNFS_KST_MAX_BYTES	KSTATE_MAX_STREAM

static const struct kstate_field pkernfs_kst_fields[] = {
	KSTATE_STRING_BUF(struct pkernfs_kst, name),
	KSTATE_UINT(struct pkernfs_kst, size_limit),
	KSTATE_INT(struct pkernfs_kst, node),
	KSTATE_UINT(struct pkernfs_kst, flags),
	KSTATE_UINT(struct pkernfs_kst, nr_inodes),
	KSTATE_STRUCT_ALLOC(struct pkernfs_kst, inodes, nr_inodes,
			    &pkernfs_kst_inode_desc, PKERNFS_KHO_MAX_INODES),
	KSTATE_UINT(struct pkernfs_kst, nr_extents),
	KSTATE_UINT_ALLOC(struct pkernfs_kst, extents, nr_extents,
			  PKERNFS_KST_MAX_BYTES / sizeof(u64)),
	KSTATE_UINT(struct pkernfs_kst, names_bytes),
	KSTATE_UINT_ALLOC(struct pkernfs_kst, names, names_bytes,
			  PKERNFS_KST_MAX_BYTES),
	KSTATE_END_OF_LIST
};

static const struct kstate_description pkernfs_kst_desc = {
	.name = PKERNFS_KSTATE_NAME,
	.version_id = 1,
	.minimum_version_id = 1,
	.size = sizeof(struct pkernfs_kst),
	.fields = pkernfs_kst_fields,
};

static void pkernfs_kst_free(struct pkernfs_kst *k)
{
	if (!k)
		return;
	kvfree(k->inodes);
	kvfree(k->extents);
	kvfree(k->names);
	kfree(k);
}

/* Pointers into a stream that passed the header checks. */
struct pkernfs_view {
	const struct pkernfs_kho_header *h;
	const u8 *inodes;
	const u64 *extents;
	const char *names;
};

/**
 * struct pkernfs_in - an instance's checked handover
 * @v: its header and arrays: in its stream (pkernfs-v1, a restored
 *     vmalloc area) or in the arrays KSTATE decoded (pkernfs-v2)
 * @h: pkernfs-v2: the header @v points to, made from the record
 */
struct pkernfs_in {
	struct pkernfs_view v;
	struct pkernfs_kho_header h;
};

static const struct pkernfs_kho_inode *
pkernfs_view_inode(const struct pkernfs_view *v, u32 i)
{
	return (const void *)(v->inodes + (size_t)i * v->h->inode_bytes);
}

static int pkernfs_view(const void *stream, u64 bytes, struct pkernfs_view *v,
			const char **reason)
{
	const struct pkernfs_kho_header *h = stream;
	u64 off, len;

	if (bytes < sizeof(*h)) {
		*reason = "stream shorter than its header";
		return -EINVAL;
	}
	if (h->magic != PKERNFS_KHO_MAGIC) {
		*reason = "bad magic";
		return -EINVAL;
	}
	if (h->version != PKERNFS_KHO_VERSION) {
		*reason = "unknown version";
		return -EPROTO;
	}
	if (h->header_bytes < sizeof(*h) || h->header_bytes > PAGE_SIZE ||
	    !IS_ALIGNED(h->header_bytes, 8) ||
	    h->inode_bytes < sizeof(struct pkernfs_kho_inode) ||
	    h->inode_bytes > PAGE_SIZE || !IS_ALIGNED(h->inode_bytes, 8)) {
		*reason = "bad record sizes";
		return -EINVAL;
	}
	if (h->bytes != bytes || h->flags & ~PKERNFS_KHO_FLAGS ||
	    h->reserved || h->reserved2) {
		*reason = "bad header";
		return -EINVAL;
	}
	if (!h->nr_inodes || h->nr_inodes > PKERNFS_KHO_MAX_INODES ||
	    h->nr_extents > bytes / sizeof(u64) || h->names_bytes > bytes) {
		*reason = "absurd counts";
		return -EINVAL;
	}
	off = h->header_bytes;
	v->inodes = (const u8 *)stream + off;
	off += (u64)h->nr_inodes * h->inode_bytes;
	v->extents = (const u64 *)((const u8 *)stream + off);
	off += h->nr_extents * sizeof(u64);
	v->names = (const char *)stream + off;
	if (check_add_overflow(off, h->names_bytes, &len) || len != bytes) {
		*reason = "counts do not add up to the stream's length";
		return -EINVAL;
	}
	v->h = h;
	return 0;
}

static int pkernfs_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a & PKERNFS_EXTENT_PFN_MASK;
	u64 y = *(const u64 *)b & PKERNFS_EXTENT_PFN_MASK;

	return x < y ? -1 : x > y;
}

/* (parent, name) of two inodes, for finding duplicate names. */
static int pkernfs_cmp_entry(const void *a, const void *b, const void *priv)
{
	const struct pkernfs_view *v = priv;
	const struct pkernfs_kho_inode *x = pkernfs_view_inode(v, *(const u32 *)a);
	const struct pkernfs_kho_inode *y = pkernfs_view_inode(v, *(const u32 *)b);
	int c;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	c = memcmp(v->names + x->name_off, v->names + y->name_off,
		   min(x->name_len, y->name_len));
	return c ?: (int)x->name_len - (int)y->name_len;
}

static bool pkernfs_bad_name(const char *name, unsigned int len)
{
	if (!len || len > NAME_MAX || memchr(name, '/', len) ||
	    memchr(name, '\0', len))
		return true;
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

/* One file's extents: aligned, inside the file, in order. */
static int pkernfs_check_extents(const struct pkernfs_view *v,
				 const struct pkernfs_kho_inode *ino,
				 u64 *folios, u64 *nr_folios,
				 const char **reason)
{
	u64 i, pages = DIV_ROUND_UP(ino->size, PAGE_SIZE), cursor = 0;

	for (i = ino->first_extent; i < ino->first_extent + ino->nr_extents;
	     i++) {
		u64 e = v->extents[i], n = e & PKERNFS_EXTENT_PFN_MASK;
		unsigned int order;

		if (e & PKERNFS_EXTENT_HOLE) {
			if (!n || e & ~(PKERNFS_EXTENT_HOLE |
					PKERNFS_EXTENT_PFN_MASK) ||
			    check_add_overflow(cursor, n, &cursor)) {
				*reason = "bad hole";
				return -EINVAL;
			}
			continue;
		}
		order = (e >> PKERNFS_EXTENT_ORDER_SHIFT) &
			PKERNFS_EXTENT_ORDER_MASK;
		if (!n || e & PKERNFS_EXTENT_RESERVED || order > MAX_PAGE_ORDER ||
		    n & ((1ULL << order) - 1)) {
			*reason = "bad extent";
			return -EINVAL;
		}
		if (cursor >= pages || !IS_ALIGNED(cursor, 1ULL << order)) {
			*reason = "extent outside its file";
			return -EINVAL;
		}
		folios[(*nr_folios)++] = e;
		cursor += 1ULL << order;
	}
	return 0;
}

/*
 * Everything of an instance's arrays (@v: sized by its header) but the
 * header's own fields; see pkernfs_check_stream().
 */
static int pkernfs_check_view(const struct pkernfs_view *vp,
			      pkernfs_preserved_fn preserved, void *ctx,
			      const char **reason)
{
	u64 i, next_extent = 0, nr_folios = 0, *folios = NULL;
	const struct pkernfs_view v = *vp;
	const struct pkernfs_kho_inode *ino;
	u32 *order = NULL;
	int err;

	if (!v.h->nr_inodes || v.h->nr_inodes > PKERNFS_KHO_MAX_INODES) {
		*reason = "absurd counts";
		return -EINVAL;
	}
	ino = pkernfs_view_inode(&v, 0);
	if (!S_ISDIR(ino->mode) || ino->parent || ino->name_len) {
		*reason = "bad root";
		return -EINVAL;
	}
	err = -ENOMEM;
	folios = kvmalloc_array(max_t(u64, v.h->nr_extents, 1), sizeof(u64),
				GFP_KERNEL);
	order = kvmalloc_array(v.h->nr_inodes, sizeof(u32), GFP_KERNEL);
	if (!folios || !order)
		goto out;
	err = -EINVAL;
	for (i = 0; i < v.h->nr_inodes; i++) {
		ino = pkernfs_view_inode(&v, i);
		order[i] = i;
		if (ino->mode & ~(S_IFMT | 07777) ||
		    (!S_ISDIR(ino->mode) && !S_ISREG(ino->mode)) ||
		    ino->reserved || ino->reserved2 ||
		    ino->atime_nsec >= NSEC_PER_SEC ||
		    ino->mtime_nsec >= NSEC_PER_SEC ||
		    ino->ctime_nsec >= NSEC_PER_SEC ||
		    ino->size > MAX_LFS_FILESIZE ||
		    !uid_valid(make_kuid(&init_user_ns, ino->uid)) ||
		    !gid_valid(make_kgid(&init_user_ns, ino->gid))) {
			*reason = "bad inode record";
			goto out;
		}
		if (i && (ino->parent >= i ||
			  !S_ISDIR(pkernfs_view_inode(&v, ino->parent)->mode))) {
			*reason = "parent is not an earlier directory (a cycle?)";
			goto out;
		}
		if (i && (ino->name_off > v.h->names_bytes ||
			  ino->name_len > v.h->names_bytes - ino->name_off ||
			  pkernfs_bad_name(v.names + ino->name_off,
					   ino->name_len))) {
			*reason = "bad name";
			goto out;
		}
		if (S_ISDIR(ino->mode)) {
			if (ino->nr_extents || ino->size) {
				*reason = "directory with data";
				goto out;
			}
			continue;
		}
		if (ino->first_extent != next_extent ||
		    ino->nr_extents > v.h->nr_extents - next_extent) {
			*reason = "extents not in file order";
			goto out;
		}
		next_extent += ino->nr_extents;
		if (pkernfs_check_extents(&v, ino, folios, &nr_folios, reason))
			goto out;
	}
	if (next_extent != v.h->nr_extents) {
		*reason = "extents no file owns";
		goto out;
	}

	/* No two entries of a directory with the same name. */
	sort_r(order + 1, v.h->nr_inodes - 1, sizeof(u32), pkernfs_cmp_entry,
	       NULL, &v);
	for (i = 2; i < v.h->nr_inodes; i++) {
		if (!pkernfs_cmp_entry(&order[i - 1], &order[i], &v)) {
			*reason = "duplicate name in a directory";
			goto out;
		}
	}

	/* No memory twice, and all of it preserved as said. */
	sort(folios, nr_folios, sizeof(u64), pkernfs_cmp_u64, NULL);
	for (i = 0; i < nr_folios; i++) {
		u64 pfn = folios[i] & PKERNFS_EXTENT_PFN_MASK;
		unsigned int o = (folios[i] >> PKERNFS_EXTENT_ORDER_SHIFT) &
				 PKERNFS_EXTENT_ORDER_MASK;

		if (i + 1 < nr_folios &&
		    pfn + (1ULL << o) > (folios[i + 1] & PKERNFS_EXTENT_PFN_MASK)) {
			*reason = "folios shared or overlapping";
			goto out;
		}
		if (!preserved(pfn, o, ctx)) {
			*reason = "extent outside preserved memory";
			goto out;
		}
	}
	err = 0;
out:
	kvfree(order);
	kvfree(folios);
	if (err == -ENOMEM)
		*reason = "out of memory";
	return err;
}

/**
 * pkernfs_check_stream - check an instance's stream from the previous kernel
 * @stream:    the stream
 * @bytes:     its length
 * @preserved: says whether a folio of the stream is preserved memory
 * @ctx:       passed to @preserved
 * @reason:    set to a one-line reason on failure
 *
 * Everything is checked before anything is used: sizes and counts, every
 * record and name, the tree (parents before children, only directories as
 * parents, no duplicate names), each file's extents (in order, aligned,
 * starting inside the file), that no two folios overlap, and that each
 * folio is preserved memory of exactly its order.
 *
 * Return: 0, -EPROTO for an unknown version, -ENOMEM, or -EINVAL.
 */
int pkernfs_check_stream(const void *stream, u64 bytes,
			 pkernfs_preserved_fn preserved, void *ctx,
			 const char **reason)
{
	struct pkernfs_view v;
	int err;

	err = pkernfs_view(stream, bytes, &v, reason);
	return err ?: pkernfs_check_view(&v, preserved, ctx, reason);
}
EXPORT_SYMBOL_IF_KUNIT(pkernfs_check_stream);

/* ---------------------------------------------------------------------- */
/* Incoming                                                                */

static bool pkernfs_kho_preserved(u64 pfn, unsigned int order, void *ctx)
{
	return kho_preserved_order(PFN_PHYS(pfn)) == (int)order;
}

/* Take one folio extent of a file back into its page cache. */
static int pkernfs_take_extent(struct inode *inode, u64 e, pgoff_t index)
{
	unsigned int order = (e >> PKERNFS_EXTENT_ORDER_SHIFT) &
			     PKERNFS_EXTENT_ORDER_MASK;
	phys_addr_t phys = PFN_PHYS(e & PKERNFS_EXTENT_PFN_MASK);
	pgoff_t k, pages = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
	struct pkernfs_sb *sbi = PKERNFS_SB(inode->i_sb);
	struct folio *folio;
	struct page *page;
	int err = 0;

	if (order <= mapping_max_folio_order(inode->i_mapping)) {
		folio = kho_restore_folio(phys);
		if (!folio)
			return -EINVAL;
		if (order)
			folio_set_large_rmappable(folio);
		err = pkernfs_add_folio(inode, folio, index);
		if (err)
			folio_zero_range(folio, 0, folio_size(folio));
		else
			pkernfs_charge_restored(sbi, 1UL << order);
		folio_put(folio);
		return err;
	}
	/* No large folios here: page by page; what lies past the end goes. */
	page = kho_restore_pages(phys, 1UL << order);
	if (!page)
		return -EINVAL;
	for (k = 0; k < (1UL << order); k++) {
		folio = page_folio(page + k);
		if (!err && index + k < pages)
			err = pkernfs_add_folio(inode, folio, index + k);
		else
			folio_zero_range(folio, 0, folio_size(folio));
		if (!err && index + k < pages)
			pkernfs_charge_restored(sbi, 1);
		folio_put(folio);
	}
	return err;
}

static void pkernfs_set_times(struct inode *inode,
			      const struct pkernfs_kho_inode *r)
{
	inode_set_atime(inode, r->atime, r->atime_nsec);
	inode_set_mtime(inode, r->mtime, r->mtime_nsec);
	inode_set_ctime(inode, r->ctime, r->ctime_nsec);
}

/**
 * pkernfs_build_incoming - fill a new super block from a checked handover
 * @sb: the instance's super block
 * @in: its handover, passed by pkernfs_check_view()
 *
 * Builds the tree first, then takes every folio into its file. On failure
 * the caller kills the super block; what was taken is cleared first.
 *
 * Return: 0 or a negative errno.
 */
int pkernfs_build_incoming(struct super_block *sb, struct pkernfs_in *in)
{
	const struct pkernfs_view v = in->v;
	struct pkernfs_sb *sbi = PKERNFS_SB(sb);
	const struct pkernfs_kho_inode *r;
	struct inode **inodes, *inode;
	struct dentry *dentry, *parent;
	struct qstr name;
	u64 i, k;
	int err = 0;

	sbi->max_pages = DIV_ROUND_UP(v.h->size_limit, PAGE_SIZE);
	sbi->nid = v.h->node >= 0 && v.h->node < MAX_NUMNODES &&
		   node_state(v.h->node, N_MEMORY) ? v.h->node : NUMA_NO_NODE;
	sbi->secret = v.h->flags & PKERNFS_KHO_SECRET;
	/* Whatever fails from here on, nothing of the files stays readable. */
	sbi->scrub = true;
	inodes = kvcalloc(v.h->nr_inodes, sizeof(*inodes), GFP_KERNEL);
	if (!inodes)
		return -ENOMEM;

	mutex_lock(&sbi->tree_lock);
	for (i = 0; i < v.h->nr_inodes; i++) {
		r = pkernfs_view_inode(&v, i);
		inode = pkernfs_new_inode(sb, NULL, r->mode);
		if (!inode) {
			err = -ENOMEM;
			goto out;
		}
		inode->i_uid = make_kuid(&init_user_ns, r->uid);
		inode->i_gid = make_kgid(&init_user_ns, r->gid);
		if (S_ISREG(r->mode))
			i_size_write(inode, r->size);
		pkernfs_set_times(inode, r);
		if (!i) {
			sb->s_root = d_make_root(inode);
			if (!sb->s_root) {
				err = -ENOMEM;
				goto out;
			}
			PKERNFS_I(inode)->dentry = sb->s_root;
			sbi->nr_inodes = 1;
			inodes[0] = inode;
			continue;
		}
		parent = PKERNFS_I(inodes[r->parent])->dentry;
		/* Names may hold any byte but '/' and NUL. */
		name = (struct qstr)QSTR_INIT(v.names + r->name_off,
					      r->name_len);
		name.hash = full_name_hash(parent, name.name, name.len);
		dentry = d_alloc(parent, &name);
		if (!dentry) {
			iput(inode);
			err = -ENOMEM;
			goto out;
		}
		pkernfs_link(inodes[r->parent], dentry, inode);
		d_rehash(dentry);
		/* pkernfs_link() pinned it; the allocation's reference goes. */
		dput(dentry);
		inodes[i] = inode;
	}
	/* Linking touched the directories' times: put them back. */
	for (i = 0; i < v.h->nr_inodes; i++)
		pkernfs_set_times(inodes[i], pkernfs_view_inode(&v, i));

	for (i = 1; i < v.h->nr_inodes; i++) {
		pgoff_t index = 0;

		r = pkernfs_view_inode(&v, i);
		for (k = r->first_extent; k < r->first_extent + r->nr_extents;
		     k++) {
			u64 e = v.extents[k];

			if (e & PKERNFS_EXTENT_HOLE) {
				index += e & PKERNFS_EXTENT_PFN_MASK;
				continue;
			}
			err = pkernfs_take_extent(inodes[i], e, index);
			if (err)
				goto out;
			index += 1UL << ((e >> PKERNFS_EXTENT_ORDER_SHIFT) &
					 PKERNFS_EXTENT_ORDER_MASK);
		}
		cond_resched();
	}
	sbi->scrub = false;
out:
	mutex_unlock(&sbi->tree_lock);
	kvfree(inodes);
	return err;
}

/* Check an instance's arrays (@in->v) and make it an instance. */
static int pkernfs_in_check(const char *name, struct pkernfs_in *in,
			    const char *format)
{
	const char *reason = NULL;
	int err;

	err = pkernfs_check_view(&in->v, pkernfs_kho_preserved, NULL, &reason);
	if (!err) {
		err = pkernfs_create_incoming(name, in);
		if (err)
			reason = "cannot rebuild it";
	}
	if (err)
		pr_warn("instance %s refused: %s (%pe)\n", name, reason,
			ERR_PTR(err));
	else
		pr_info("instance %s handed over as %s (%u inodes, %llu bytes of metadata), not mounted yet\n",
			name, format, in->v.h->nr_inodes, in->v.h->bytes);
	return err;
}

static int pkernfs_in_instance(const struct pkernfs_kho_ref *ref)
{
	const char *reason = NULL;
	struct pkernfs_in in;
	void *stream;
	int err;

	stream = kho_restore_vmalloc(&ref->stream);
	if (!stream) {
		pr_warn("instance %s refused: stream is not preserved memory\n",
			ref->name);
		return -EINVAL;
	}
	if ((u64)ref->stream.total_pages << PAGE_SHIFT < ref->bytes) {
		pr_warn("instance %s refused: stream longer than its memory\n",
			ref->name);
		err = -EINVAL;
	} else {
		err = pkernfs_view(stream, ref->bytes, &in.v, &reason);
		if (err)
			pr_warn("instance %s refused: %s (%pe)\n", ref->name,
				reason, ERR_PTR(err));
		else
			err = pkernfs_in_check(ref->name, &in,
					       PKERNFS_KHO_COMPATIBLE);
	}
	vfree(stream);
	return err;
}

/*
 * pkernfs-v2: the KSTATE record of instance @i, checked and built from the
 * arrays KSTATE decoded, as a v1 stream would be.
 */
static int pkernfs_in_instance_v2(const struct pkernfs_kho_ref *ref, u32 i)
{
	struct pkernfs_kho_header *h;
	struct pkernfs_kst *k;
	struct pkernfs_in in;
	int ret;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	ret = kstate_restore(&pkernfs_kst_desc, k, i);
	if (ret != KSTATE_RESTORED) {
		pr_warn("instance %s refused: its record %s\n", ref->name,
			ret == KSTATE_NOTHING ? "did not come" : "was refused");
		ret = -EINVAL;
		goto out;
	}
	ret = -EINVAL;
	if (strncmp(k->name, ref->name, sizeof(k->name))) {
		pr_warn("instance %s refused: its record is for %s\n",
			ref->name, k->name);
		goto out;
	}
	if (k->flags & ~PKERNFS_KHO_FLAGS) {
		pr_warn("instance %s refused: bad header\n", ref->name);
		goto out;
	}
	/*
	 * KSTATE allocated each array with exactly the count it carries (and
	 * capped each count): what the arrays hold is what the header says.
	 */
	h = &in.h;
	memset(h, 0, sizeof(*h));
	h->magic = PKERNFS_KHO_MAGIC;
	h->version = PKERNFS_KHO_VERSION;
	h->header_bytes = sizeof(*h);
	h->inode_bytes = sizeof(*k->inodes);
	h->bytes = sizeof(*h) + (u64)k->nr_inodes * sizeof(*k->inodes) +
		   k->nr_extents * sizeof(u64) + k->names_bytes;
	h->size_limit = k->size_limit;
	h->node = k->node;
	h->flags = k->flags;
	h->nr_inodes = k->nr_inodes;
	h->nr_extents = k->nr_extents;
	h->names_bytes = k->names_bytes;
	in.v.h = h;
	in.v.inodes = (const u8 *)k->inodes;
	in.v.extents = k->extents;
	in.v.names = k->names;
	ret = pkernfs_in_check(ref->name, &in, PKERNFS_KHO_COMPATIBLE_V2);
out:
	pkernfs_kst_free(k);
	return ret;
}

static int __init pkernfs_kho_in(void)
{
	const struct pkernfs_kho_root *root;
	struct folio *folio;
	u64 start = local_clock();
	phys_addr_t phys;
	bool v2 = false;
	size_t size;
	u32 i, j, max;

	if (kho_retrieve_subtree(PKERNFS_KHO_NODE, &phys, &size))
		return 0;
	folio = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!folio) {
		pr_warn("handover refused: its root is not preserved memory\n");
		return 0;
	}
	root = folio_address(folio);
	if (size >= sizeof(*root) && size <= folio_size(folio))
		v2 = !strncmp(root->compatible, PKERNFS_KHO_COMPATIBLE_V2,
			      sizeof(root->compatible));
	if (size < sizeof(*root) || size > folio_size(folio) ||
	    (!v2 && strncmp(root->compatible, PKERNFS_KHO_COMPATIBLE,
			    sizeof(root->compatible))) || root->reserved) {
		pr_warn("handover refused: not %s or %s\n",
			PKERNFS_KHO_COMPATIBLE, PKERNFS_KHO_COMPATIBLE_V2);
		goto out;
	}
	max = min_t(size_t, PKERNFS_KHO_MAX_INSTANCES,
		    (size - sizeof(*root)) / sizeof(root->inst[0]));
	if (root->nr_instances > max) {
		pr_warn("handover refused: %u instances\n", root->nr_instances);
		goto out;
	}
	for (i = 0; i < root->nr_instances; i++) {
		const struct pkernfs_kho_ref *ref = &root->inst[i];

		if (strnlen(ref->name, sizeof(ref->name)) == sizeof(ref->name) ||
		    !pkernfs_valid_name(ref->name)) {
			pr_warn("instance %u refused: bad name\n", i);
			continue;
		}
		for (j = 0; j < i; j++)
			if (!strncmp(root->inst[j].name, ref->name,
				     sizeof(ref->name)))
				break;
		if (j < i) {
			pr_warn("instance %s refused: its name is taken\n",
				ref->name);
			continue;
		}
		if (v2)
			pkernfs_in_instance_v2(ref, i);
		else
			pkernfs_in_instance(ref);
	}
	pr_info("%s handover of %u instances taken in %llu us\n",
		v2 ? PKERNFS_KHO_COMPATIBLE_V2 : PKERNFS_KHO_COMPATIBLE,
		root->nr_instances, div_u64(local_clock() - start, NSEC_PER_USEC));
out:
	folio_zero_range(folio, 0, folio_size(folio));
	folio_put(folio);
	return 0;
}
late_initcall(pkernfs_kho_in);

/* ---------------------------------------------------------------------- */
/* Outgoing                                                                */

/*
 * A growing array; @vm: once large, in vmalloc memory of its own, which
 * KSTATE hands over in place instead of copying it (pkernfs-v2's extents
 * and names).
 */
struct pkernfs_buf {
	void *p;
	size_t len;
	size_t cap;
	bool vm;
};

static void *pkernfs_buf_add(struct pkernfs_buf *b, size_t n)
{
	void *p;

	if (b->len + n > b->cap) {
		size_t cap = max3(b->cap * 2, b->len + n, (size_t)PAGE_SIZE);

		bool vm = b->vm && cap >= KSTATE_INPLACE_MIN;

		if (vm && is_vmalloc_addr(b->p)) {
			p = vrealloc(b->p, cap, GFP_KERNEL);
			if (!p)
				return NULL;
		} else {
			p = vm ? vmalloc(cap) : kvmalloc(cap, GFP_KERNEL);
			if (!p)
				return NULL;
			if (b->len)
				memcpy(p, b->p, b->len);
			kvfree(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

/**
 * struct pkernfs_out_inst - an instance's outgoing header and arrays
 * @h:       the header; pkernfs-v1: the start of the stream (vmalloc),
 *           which holds the arrays after it
 * @inodes:  inode records, @h->nr_inodes of them
 * @extents: extents, @h->nr_extents
 * @names:   names, @h->names_bytes
 *
 * pkernfs-v2 copies nothing into a stream: @h is kmalloc()ed and the
 * arrays are the ones the tree walk filled, which the KSTATE record
 * points to.
 */
struct pkernfs_out_inst {
	struct pkernfs_kho_header *h;
	struct pkernfs_kho_inode *inodes;
	u64 *extents;
	char *names;
};

/**
 * struct pkernfs_out - what this kernel hands over
 * @root:   the subtree's blob
 * @size:   its size
 * @meta_bytes: root and streams, in bytes
 * @data_pages: pages of the files' folios
 * @inst:   each instance's header and arrays
 * @kst:    pkernfs-v2: each instance's KSTATE record, pointing into @inst
 * @v2:     written as pkernfs-v2
 */
struct pkernfs_out {
	struct pkernfs_kho_root *root;
	size_t size;
	u64 meta_bytes;
	u64 data_pages;
	struct pkernfs_out_inst inst[PKERNFS_KHO_MAX_INSTANCES];
	struct pkernfs_kst *kst[PKERNFS_KHO_MAX_INSTANCES];
	bool v2;
};

static struct pkernfs_out *pkernfs_out;

static char pkernfs_corrupt[96];
module_param_string(corrupt, pkernfs_corrupt, sizeof(pkernfs_corrupt), 0600);
MODULE_PARM_DESC(corrupt,
		 "test only: INSTANCE:WHAT damages that instance's handover");

static unsigned int pkernfs_format = 2;
module_param_named(format, pkernfs_format, uint, 0600);
MODULE_PARM_DESC(format,
		 "handover format written: 2 (pkernfs-v2, on KSTATE, default) or 1");

/**
 * pkernfs_kho_init - check the pkernfs-v2 description at boot
 *
 * KSTATE checks it once per boot anyway; now, not at the kexec. Should it
 * be refused (a bug), this kernel hands its instances over as pkernfs-v1.
 */
void __init pkernfs_kho_init(void)
{
	if (kstate_check(&pkernfs_kst_desc))
		pkernfs_format = 1;
}

/* The damage asked for instance @name (pkernfs.corrupt), or NULL. */
static const char *pkernfs_corrupt_what(const char *name)
{
	char *what = strchr(pkernfs_corrupt, ':');

	if (!what || strncmp(pkernfs_corrupt, name, what - pkernfs_corrupt) ||
	    name[what - pkernfs_corrupt])
		return NULL;
	return strim(what + 1);
}

static void pkernfs_out_inst_free(struct pkernfs_out_inst *oi, bool v2)
{
	if (v2) {
		kvfree(oi->inodes);
		kvfree(oi->extents);
		kvfree(oi->names);
		kfree(oi->h);
	} else {
		vfree(oi->h);
	}
	memset(oi, 0, sizeof(*oi));
}

/*
 * Let go of the first @nr extents' folios of an instance: unpreserve them
 * and drop our references.
 */
static void pkernfs_release_folios(const struct pkernfs_out_inst *oi, u64 nr)
{
	const u64 *ext = oi->extents;
	u64 i;

	for (i = 0; i < nr; i++) {
		struct folio *folio;

		if (ext[i] & PKERNFS_EXTENT_HOLE)
			continue;
		folio = pfn_folio(ext[i] & PKERNFS_EXTENT_PFN_MASK);
		kho_unpreserve_folio(folio);
		folio_put(folio);
	}
}

/* Record one file's folios; each keeps a reference until the kexec. */
static int pkernfs_out_file(struct inode *inode, struct pkernfs_buf *ext,
			    struct pkernfs_kho_inode *r)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t index = 0, cursor = 0, pages;
	struct folio_batch fbatch;
	unsigned int i;
	int err = 0;
	u64 *e;

	filemap_invalidate_lock(mapping);
	r->size = i_size_read(inode);
	pages = DIV_ROUND_UP(r->size, PAGE_SIZE);
	r->first_extent = ext->len / sizeof(u64);
	folio_batch_init(&fbatch);
	while (!err && index < pages &&
	       filemap_get_folios(mapping, &index, pages - 1, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			if (err || folio->index >= pages) {
				folio_put(folio);
				continue;
			}
			if (folio->index > cursor) {
				e = pkernfs_buf_add(ext, sizeof(u64));
				if (e)
					*e = PKERNFS_EXTENT_HOLE |
					     (folio->index - cursor);
			}
			e = pkernfs_buf_add(ext, sizeof(u64));
			if (!e) {
				err = -ENOMEM;
				folio_put(folio);
				continue;
			}
			*e = folio_pfn(folio) |
			     (u64)folio_order(folio) << PKERNFS_EXTENT_ORDER_SHIFT;
			cursor = folio_next_index(folio);
			/* The batch's reference is kept until the kexec. */
		}
		/* Not folio_batch_release(): the references are ours now. */
		folio_batch_reinit(&fbatch);
	}
	r->nr_extents = ext->len / sizeof(u64) - r->first_extent;
	filemap_invalidate_unlock(mapping);
	return err;
}

static void pkernfs_times(struct inode *inode, struct pkernfs_kho_inode *r)
{
	struct timespec64 t;

	t = inode_get_atime(inode);
	r->atime = t.tv_sec;
	r->atime_nsec = t.tv_nsec;
	t = inode_get_mtime(inode);
	r->mtime = t.tv_sec;
	r->mtime_nsec = t.tv_nsec;
	t = inode_get_ctime(inode);
	r->ctime = t.tv_sec;
	r->ctime_nsec = t.tv_nsec;
}

/*
 * Fault injection for the tests: damage a stream the way @what says. The
 * victims are the first directory below the root (@d), the first regular
 * file (@a) and the inode after it (@b).
 */
static void pkernfs_damage(const struct pkernfs_out_inst *oi,
			   const char *what)
{
	struct pkernfs_kho_inode *r, *a = NULL, *b = NULL, *d = NULL;
	struct pkernfs_kho_header *h = oi->h;
	u64 *ext = oi->extents;
	char *names = oi->names;
	u32 i;

	for (i = 1; i < h->nr_inodes; i++) {
		r = &oi->inodes[i];
		if (!d && S_ISDIR(r->mode))
			d = r;
		if (a && !b)
			b = r;
		if (!a && S_ISREG(r->mode))
			a = r;
	}
	if (!strcmp(what, "version"))
		h->version = 99;
	else if (!strcmp(what, "count"))
		h->nr_inodes = U32_MAX;
	else if (!strcmp(what, "extent-outside") && h->nr_extents)
		ext[h->nr_extents - 1] = PHYS_PFN(__pa_symbol(&pkernfs_fs_type));
	else if (!strcmp(what, "extent-shared") && h->nr_extents > 1)
		ext[h->nr_extents - 1] = ext[0];
	else if (!strcmp(what, "size") && a)
		a->size = 0;
	else if (!strcmp(what, "cycle") && d)
		d->parent = h->nr_inodes - 1;
	else if (!strcmp(what, "name-slash") && a)
		names[a->name_off] = '/';
	else if (!strcmp(what, "name-nul") && a)
		names[a->name_off] = '\0';
	else if (!strcmp(what, "kstate"))
		;	/* the record, not the stream: pkernfs_kexec_prepare() */
	else if (!strcmp(what, "name-long") && a)
		a->name_len = NAME_MAX + 1;
	else if (!strcmp(what, "dup-name") && a && b && a->parent == b->parent &&
		 a->name_len == b->name_len)
		memcpy(names + b->name_off, names + a->name_off, a->name_len);
	else
		pr_warn("corrupt=%s: nothing to damage\n", what);
}

/* An inode waiting to be written, and the index of its parent. */
struct pkernfs_qent {
	struct pkernfs_inode *pi;
	u32 parent;
};

/* Write one instance's stream; its folios get preserved. */
static int pkernfs_out_instance(struct pkernfs_sb *sbi,
				struct pkernfs_kho_ref *ref,
				struct pkernfs_out_inst *oi,
				u64 *data_pages, bool v2)
{
	struct pkernfs_buf inodes = {}, ext = {}, names = {}, order = {};
	struct pkernfs_qent *q;
	struct pkernfs_inode *child;
	struct pkernfs_kho_header *h;
	struct pkernfs_kho_inode *r;
	size_t i, n, bytes;
	const char *what;
	int err = -ENOMEM;

	ext.vm = v2;
	names.vm = v2;
	mutex_lock(&sbi->tree_lock);
	/* Breadth first: every parent is written before its children. */
	q = pkernfs_buf_add(&order, sizeof(*q));
	if (!q)
		goto out;
	q->pi = PKERNFS_I(d_inode(sbi->sb->s_root));
	q->parent = 0;
	for (n = 0; n < order.len / sizeof(*q); n++) {
		struct pkernfs_qent cur = ((struct pkernfs_qent *)order.p)[n];
		struct pkernfs_inode *pi = cur.pi;

		r = pkernfs_buf_add(&inodes, sizeof(*r));
		if (!r)
			goto out_folios;
		memset(r, 0, sizeof(*r));
		r->mode = pi->vfs.i_mode;
		r->uid = from_kuid(&init_user_ns, pi->vfs.i_uid);
		r->gid = from_kgid(&init_user_ns, pi->vfs.i_gid);
		r->parent = cur.parent;
		pkernfs_times(&pi->vfs, r);
		if (n) {
			const struct qstr *d = &pi->dentry->d_name;
			char *name = pkernfs_buf_add(&names, d->len);

			if (!name)
				goto out_folios;
			memcpy(name, d->name, d->len);
			r->name_off = names.len - d->len;
			r->name_len = d->len;
		}
		if (S_ISREG(pi->vfs.i_mode)) {
			err = pkernfs_out_file(&pi->vfs, &ext, r);
			if (err)
				goto out_folios;
			err = -ENOMEM;
			continue;
		}
		list_for_each_entry(child, &pi->children, sib) {
			q = pkernfs_buf_add(&order, sizeof(*q));
			if (!q)
				goto out_folios;
			q->pi = child;
			q->parent = n;
		}
	}

	bytes = sizeof(*h) + inodes.len + ext.len + names.len;
	if (v2) {
		/* The record points to the arrays: they become the instance's. */
		h = kzalloc(sizeof(*h), GFP_KERNEL);
		if (!h)
			goto out_folios;
		oi->inodes = inodes.p;
		oi->extents = ext.p;
		oi->names = names.p;
		inodes.p = NULL;
		ext.p = NULL;
		names.p = NULL;
	} else {
		h = vmalloc(bytes);	/* every byte is written below */
		if (!h)
			goto out_folios;
		memset(h, 0, sizeof(*h));
		oi->inodes = (void *)(h + 1);
		oi->extents = (void *)oi->inodes + inodes.len;
		oi->names = (void *)oi->extents + ext.len;
		memcpy(oi->inodes, inodes.p, inodes.len);
		memcpy(oi->extents, ext.p, ext.len);
		memcpy(oi->names, names.p, names.len);
	}
	oi->h = h;
	h->magic = PKERNFS_KHO_MAGIC;
	h->version = PKERNFS_KHO_VERSION;
	h->header_bytes = sizeof(*h);
	h->inode_bytes = sizeof(*r);
	h->bytes = bytes;
	h->size_limit = (u64)sbi->max_pages << PAGE_SHIFT;
	h->node = sbi->nid;
	h->flags = sbi->secret ? PKERNFS_KHO_SECRET : 0;
	h->nr_inodes = inodes.len / sizeof(*r);
	h->nr_extents = ext.len / sizeof(u64);
	h->names_bytes = names.len;

	err = 0;
	for (i = 0; i < h->nr_extents; i++) {
		u64 e = oi->extents[i];

		if (e & PKERNFS_EXTENT_HOLE)
			continue;
		err = kho_preserve_folio(pfn_folio(e & PKERNFS_EXTENT_PFN_MASK));
		if (err)
			break;
		*data_pages += 1ULL << ((e >> PKERNFS_EXTENT_ORDER_SHIFT) &
					PKERNFS_EXTENT_ORDER_MASK);
	}
	/* pkernfs-v2: the stream's content goes into a KSTATE record. */
	if (!err && !v2)
		err = kho_preserve_vmalloc(h, &ref->stream);
	if (err) {
		/* Unpreserve those preserved, drop every reference. */
		pkernfs_release_folios(oi, i);
		for (; i < h->nr_extents; i++)
			if (!(oi->extents[i] & PKERNFS_EXTENT_HOLE))
				folio_put(pfn_folio(oi->extents[i] &
						    PKERNFS_EXTENT_PFN_MASK));
		pkernfs_out_inst_free(oi, v2);
		goto out;
	}
	strscpy_pad(ref->name, sbi->name, sizeof(ref->name));
	ref->bytes = v2 ? 0 : bytes;
	what = pkernfs_corrupt_what(sbi->name);
	if (what) {
		pr_warn("corrupting the handover of %s: %s\n", sbi->name, what);
		pkernfs_damage(oi, what);
	}
	goto out;

out_folios:
	for (i = 0; i < ext.len / sizeof(u64); i++) {
		u64 e = ((u64 *)ext.p)[i];

		if (!(e & PKERNFS_EXTENT_HOLE))
			folio_put(pfn_folio(e & PKERNFS_EXTENT_PFN_MASK));
	}
out:
	mutex_unlock(&sbi->tree_lock);
	kvfree(order.p);
	kvfree(inodes.p);
	kvfree(ext.p);
	kvfree(names.p);
	return err;
}

static void pkernfs_out_free(struct pkernfs_out *out)
{
	u32 i;

	if (out->root) {
		kho_remove_subtree(out->root);
		for (i = 0; i < out->root->nr_instances; i++) {
			struct pkernfs_out_inst *oi = &out->inst[i];

			/* A damaged stream is not walked again. */
			if (!pkernfs_corrupt[0])
				pkernfs_release_folios(oi, oi->h->nr_extents);
			if (out->v2)
				kstate_unregister(&pkernfs_kst_desc, out->kst[i], i);
			else
				kho_unpreserve_vmalloc(&out->root->inst[i].stream);
			kfree(out->kst[i]);
			pkernfs_out_inst_free(oi, out->v2);
		}
		kho_unpreserve_free(out->root);
	}
	kfree(out);
}

/* pkernfs-v2: register instance @i's stream content as a KSTATE record. */
static int pkernfs_out_kstate(struct pkernfs_out *out, struct pkernfs_sb *sbi,
			      u32 i)
{
	const struct pkernfs_out_inst *oi = &out->inst[i];
	const struct pkernfs_kho_header *h = oi->h;
	struct pkernfs_kst *k;
	const char *what;
	int ret;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	strscpy(k->name, sbi->name, sizeof(k->name));
	k->size_limit = h->size_limit;
	k->node = h->node;
	k->flags = h->flags;
	k->nr_inodes = h->nr_inodes;
	k->inodes = oi->inodes;
	k->nr_extents = h->nr_extents;
	k->extents = oi->extents;
	k->names_bytes = h->names_bytes;
	k->names = oi->names;
	ret = kstate_register(&pkernfs_kst_desc, k, i);
	if (ret < 0) {
		kfree(k);
		return ret;
	}
	out->kst[i] = k;
	what = pkernfs_corrupt_what(sbi->name);
	if (IS_ENABLED(CONFIG_KSTATE_SELFTEST) && what && !strcmp(what, "kstate"))
		kstate_selftest_damage(PKERNFS_KSTATE_NAME, i);
	return 0;
}

/**
 * pkernfs_kexec_prepare - write every instance into the handover
 *
 * Called by kernel_kexec() before anything is shut down. The folios of
 * every file stay where they are; they are preserved and kept (a
 * reference each) so that nothing can free them before the kexec.
 * Changes made after this are not handed over.
 *
 * Return: 0, or a negative errno that aborts the kexec.
 */
int pkernfs_kexec_prepare(void)
{
	u64 start = local_clock();
	struct pkernfs_out *out;
	struct pkernfs_sb *sbi;
	size_t size;
	u32 n = 0;
	int err;

	if (!kho_is_enabled())
		return 0;
	mutex_lock(&pkernfs_lock);
	pkernfs_kexec_cancel_locked();
	list_for_each_entry(sbi, &pkernfs_instances, list)
		n++;
	err = 0;
	if (!n)
		goto unlock;
	err = -E2BIG;
	if (n > PKERNFS_KHO_MAX_INSTANCES)
		goto unlock;
	err = -ENOMEM;
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		goto unlock;
	size = struct_size(out->root, inst, n);
	out->root = kho_alloc_preserve(size);
	if (IS_ERR(out->root)) {
		err = PTR_ERR(out->root);
		out->root = NULL;
		goto fail;
	}
	out->v2 = pkernfs_format != 1;
	strscpy_pad(out->root->compatible, out->v2 ? PKERNFS_KHO_COMPATIBLE_V2 :
		    PKERNFS_KHO_COMPATIBLE, sizeof(out->root->compatible));
	out->size = size;
	list_for_each_entry(sbi, &pkernfs_instances, list) {
		u32 i = out->root->nr_instances;

		err = pkernfs_out_instance(sbi, &out->root->inst[i],
					   &out->inst[i], &out->data_pages,
					   out->v2);
		if (!err && out->v2) {
			err = pkernfs_out_kstate(out, sbi, i);
			/* Not counted yet: pkernfs_out_free() would miss it. */
			if (err && !pkernfs_corrupt[0])
				pkernfs_release_folios(&out->inst[i],
						       out->inst[i].h->nr_extents);
			if (err)
				pkernfs_out_inst_free(&out->inst[i], true);
		}
		if (err) {
			pr_err("cannot hand instance %s over: %pe\n", sbi->name,
			       ERR_PTR(err));
			goto fail;
		}
		out->root->nr_instances++;
		out->meta_bytes += out->inst[i].h->bytes;
	}
	out->meta_bytes += size;
	err = kho_add_subtree(PKERNFS_KHO_NODE, out->root, size);
	if (err)
		goto fail;
	pr_info("%u instances handed over as %s (%llu bytes of metadata for %llu KiB) in %llu us\n",
		n, out->root->compatible, out->meta_bytes,
		out->data_pages << (PAGE_SHIFT - 10),
		div_u64(local_clock() - start, NSEC_PER_USEC));
	pkernfs_out = out;
	goto unlock;
fail:
	pkernfs_out_free(out);
unlock:
	mutex_unlock(&pkernfs_lock);
	return err;
}

/**
 * pkernfs_kexec_cancel_locked - undo pkernfs_kexec_prepare()
 *
 * For a kexec aborted after pkernfs_kexec_prepare() succeeded. Called
 * with pkernfs_lock held.
 */
void pkernfs_kexec_cancel_locked(void)
{
	if (!pkernfs_out)
		return;
	pkernfs_out_free(pkernfs_out);
	pkernfs_out = NULL;
}

/**
 * pkernfs_kexec_cancel - undo pkernfs_kexec_prepare() after an aborted kexec
 */
void pkernfs_kexec_cancel(void)
{
	mutex_lock(&pkernfs_lock);
	pkernfs_kexec_cancel_locked();
	mutex_unlock(&pkernfs_lock);
}
