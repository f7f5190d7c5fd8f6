// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pkernfs's incoming handover, from the kernel's own
 * fs/pkernfs/kho.c.
 *
 * pkernfs-stream (KF_PKERNFS_STREAM): the input is one instance's stream,
 *   checked by pkernfs_check_stream(); a stream it accepts is rebuilt into
 *   a super block by pkernfs_build_incoming().
 * pkernfs: the input is a memory image (kfimg.h) holding the "pkernfs"
 *   subtree's root blob, the streams in preserved vmalloc areas and the
 *   files' folios; pkernfs_kho_in() runs as at boot, then KHO frees what
 *   was not taken.
 *
 * The VFS below stands in for super.c and inode.c (which are not parsers):
 * inodes and dentries are allocated and counted, and torn down after each
 * instance, with the files' folios.
 */
#include "../../../kernel/files/fs/pkernfs/kho.c"

#include "kfimg.h"
#include "kho_glue.h"

DEFINE_MUTEX(pkernfs_lock);
LIST_HEAD(pkernfs_instances);
struct file_system_type pkernfs_fs_type = { .name = "pkernfs" };

/* Largest folio this kernel's page cache takes (no THP: 0). */
static unsigned int kf_max_order;

/* Every inode of the instance being built, for the teardown. */
static struct inode **kf_inodes;
static unsigned long kf_nr_inodes, kf_cap_inodes;
static unsigned long kf_instances;

/* super.c's rule for instance names: 1-63 of [A-Za-z0-9._-]. */
bool pkernfs_valid_name(const char *name)
{
	size_t i, len = strnlen(name, PKERNFS_NAME_MAX + 1);

	if (!len || len > PKERNFS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return false;
	return true;
}

struct inode *pkernfs_new_inode(struct super_block *sb, struct inode *dir,
				umode_t mode)
{
	struct pkernfs_inode *pi = calloc(1, sizeof(*pi));

	if (!pi)
		return NULL;
	if (kf_nr_inodes == kf_cap_inodes) {
		kf_cap_inodes = kf_cap_inodes ? 2 * kf_cap_inodes : 64;
		kf_inodes = realloc(kf_inodes, kf_cap_inodes * sizeof(*kf_inodes));
	}
	INIT_LIST_HEAD(&pi->children);
	INIT_LIST_HEAD(&pi->sib);
	pi->vfs.i_mode = mode;
	pi->vfs.i_sb = sb;
	pi->vfs.i_nlink = S_ISDIR(mode) ? 2 : 1;
	pi->vfs.i_mapping = &pi->vfs.i_data;
	pi->vfs.i_data.host = &pi->vfs;
	pi->vfs.i_data.max_order = kf_max_order;
	pi->vfs.i_count = 1;
	kf_inodes[kf_nr_inodes++] = &pi->vfs;
	return &pi->vfs;
}

void iput(struct inode *inode)
{
	unsigned long i;

	if (--inode->i_count)
		return;
	for (i = 0; i < kf_nr_inodes; i++)
		if (kf_inodes[i] == inode)
			kf_inodes[i] = NULL;
	kf_cache_release(inode->i_mapping, true);
	free(PKERNFS_I(inode));
}

void pkernfs_link(struct inode *dir, struct dentry *dentry, struct inode *inode)
{
	struct pkernfs_inode *pi = PKERNFS_I(inode);

	if (!S_ISDIR(dir->i_mode))
		kf_die("pkernfs_link() into a non-directory");
	list_add_tail(&pi->sib, &PKERNFS_I(dir)->children);
	pi->dentry = dentry;
	PKERNFS_SB(dir->i_sb)->nr_inodes++;
	if (S_ISDIR(inode->i_mode))
		dir->i_nlink++;
	d_instantiate(dentry, inode);
	dget(dentry);
}

int pkernfs_add_folio(struct inode *inode, struct folio *folio, pgoff_t index)
{
	int err = kf_cache_add(inode->i_mapping, folio, index);

	if (err)
		return err;
	folio_mark_uptodate(folio);
	folio_unlock(folio);
	return 0;
}

void pkernfs_charge_restored(struct pkernfs_sb *sbi, unsigned long pages)
{
	atomic_long_add(pages, &sbi->used);
}

/* Checks on what pkernfs_build_incoming() made of an accepted stream. */
static void kf_check_built(struct pkernfs_sb *sbi, struct pkernfs_in *in)
{
	const struct pkernfs_kho_header *h = in->v.h;
	unsigned long i;

	if (sbi->nr_inodes != h->nr_inodes)
		kf_die("built %lu inodes of %u", sbi->nr_inodes, h->nr_inodes);
	for (i = 0; i < kf_nr_inodes; i++) {
		struct inode *inode = kf_inodes[i];
		struct address_space *m = inode->i_mapping;
		unsigned long k;

		for (k = 0; k < m->nr; k++) {
			pgoff_t end = DIV_ROUND_UP(inode->i_size, PAGE_SIZE);

			if (m->ents[k].index >= end)
				kf_die("a folio at page %lu of a file of %lu pages",
				       m->ents[k].index, end);
		}
	}
}

int pkernfs_create_incoming(const char *name, struct pkernfs_in *in)
{
	struct super_block *sb = calloc(1, sizeof(*sb));
	struct pkernfs_sb *sbi = calloc(1, sizeof(*sbi));
	unsigned long i;
	int err;

	sb->s_fs_info = sbi;
	sbi->sb = sb;
	strscpy(sbi->name, name, sizeof(sbi->name));
	mutex_init(&sbi->tree_lock);
	INIT_LIST_HEAD(&sbi->list);
	kf_nr_inodes = 0;
	err = pkernfs_build_incoming(sb, in);
	if (!err) {
		kf_check_built(sbi, in);
		kf_instances++;
	}
	/* Kill the super block: the files, their folios, the dentries. */
	for (i = 0; i < kf_nr_inodes; i++) {
		struct inode *inode = kf_inodes[i];

		if (!inode)
			continue;
		kf_cache_release(inode->i_mapping, sbi->scrub);
		if (PKERNFS_I(inode)->dentry != sb->s_root)
			kf_dentry_free(PKERNFS_I(inode)->dentry);
		free(PKERNFS_I(inode));
	}
	kf_dentry_free(sb->s_root);
	kf_nr_inodes = 0;
	free(sbi);
	free(sb);
	return err;
}

#ifdef KF_PKERNFS_STREAM
/* Preserved memory of this target: a simple rule the fuzzer can learn. */
static bool kf_preserved(u64 pfn, unsigned int order, void *ctx)
{
	return pfn % 3 != 2 && order <= 9 && !(pfn & ((1ULL << order) - 1));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const char *reason = NULL;
	struct pkernfs_in in;
	void *stream;
	int err;

	/* Its own allocation: reading past the stream is caught. */
	stream = malloc(size ? size : 1);
	memcpy(stream, data, size);
	err = pkernfs_check_stream(stream, size, kf_preserved, NULL, &reason);
	if (err && !reason)
		kf_die("pkernfs_check_stream() failed (%d) without a reason", err);
	if (!err) {
		/* A small arena: the extents' folios are not in it. */
		kf_mem_setup(1);
		kf_kho_reset();
		kf_max_order = size & 1 ? MAX_PAGE_ORDER : 0;
		if (pkernfs_view(stream, size, &in.v, &reason))
			kf_die("a stream checked good has no view: %s", reason);
		pkernfs_create_incoming("fuzz", &in);
	}
	free(stream);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct kfimg img;

	if (kfimg_load(data, size, PKERNFS_KHO_NODE, &img) == 0) {
		kf_max_order = img.hdr.knob & 1 ? MAX_PAGE_ORDER : 0;
		pkernfs_kho_in();
	}
	kfimg_end_of_boot(&img);
	return 0;
}
#endif

#ifdef KF_GEN
/* ---------------------------------------------------------------------- */
/* Seeds: streams laid out by the ABI header, memory by KHO's writers      */

struct kf_gen_file {
	const char *name;
	u32 parent;
	u32 mode;
	u64 size;
	unsigned int nr_ext;
	u64 ext[4];
};

/*
 * root/, d/, d/a1 (a folio, a hole, an order-1 folio), d/b2 (one big
 * folio), e/ (empty), f (empty file). @pfn gives each folio's frame.
 */
static size_t kf_gen_stream(u8 *buf, size_t cap, u64 (*pfn)(int i, int order),
			    unsigned int big, u16 hb, u16 ib, u32 flags)
{
	struct kf_gen_file files[] = {
		{ "", 0, S_IFDIR | 0755 },
		{ "d", 0, S_IFDIR | 0700 },
		{ "e", 0, S_IFDIR | 0755 },
		{ "f", 0, S_IFREG | 0644 },
		{ "a1", 1, S_IFREG | 0644, 4 * PAGE_SIZE - 10, 3,
		  { pfn(0, 0), PKERNFS_EXTENT_HOLE | 1,
		    pfn(1, 1) | 1ULL << PKERNFS_EXTENT_ORDER_SHIFT } },
		{ "b2", 1, S_IFREG | 0600, (PAGE_SIZE << big) - 1, 1,
		  { pfn(2, big) | (u64)big << PKERNFS_EXTENT_ORDER_SHIFT } },
	};
	unsigned int n = ARRAY_SIZE(files), i, j, next = 0, name_off = 0;
	unsigned int nr_ext = 0, names = 0;
	struct pkernfs_kho_header *h = (void *)buf;
	u64 *ext;
	char *np;
	size_t bytes;

	for (i = 0; i < n; i++) {
		nr_ext += files[i].nr_ext;
		names += strlen(files[i].name);
	}
	bytes = hb + (size_t)n * ib + nr_ext * 8 + names;
	if (bytes > cap)
		kf_die("stream too big");
	memset(buf, 0, bytes);
	h->magic = PKERNFS_KHO_MAGIC;
	h->version = PKERNFS_KHO_VERSION;
	h->header_bytes = hb;
	h->inode_bytes = ib;
	h->bytes = bytes;
	h->size_limit = 64 << 20;
	h->node = -1;
	h->flags = flags;
	h->nr_inodes = n;
	h->nr_extents = nr_ext;
	h->names_bytes = names;
	ext = (u64 *)(buf + hb + (size_t)n * ib);
	np = (char *)(ext + nr_ext);
	for (i = 0; i < n; i++) {
		struct pkernfs_kho_inode *r = (void *)(buf + hb + (size_t)i * ib);

		r->parent = files[i].parent;
		r->mode = files[i].mode;
		r->uid = i;
		r->gid = 100;
		r->name_len = strlen(files[i].name);
		r->name_off = name_off;
		memcpy(np + name_off, files[i].name, r->name_len);
		name_off += r->name_len;
		r->size = files[i].size;
		r->atime = 1700000000 + i;
		r->mtime = -5;
		r->mtime_nsec = 999999999;
		r->first_extent = next;
		r->nr_extents = files[i].nr_ext;
		for (j = 0; j < files[i].nr_ext; j++)
			ext[next++] = files[i].ext[j];
	}
	return bytes;
}

static void kf_gen_write(const char *dir, const char *name, const void *p,
			 size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n)
		kf_die("cannot write %s", path);
	fclose(f);
}

#ifdef KF_PKERNFS_STREAM
static u64 kf_gen_fake_pfn(int i, int order)
{
	static const u64 pfns[] = { 0x1000, 0x2002, 0x400 };

	return pfns[i];
}

int main(int argc, char **argv)
{
	static u8 buf[8192];
	const char *reason = "";
	size_t n;

	n = kf_gen_stream(buf, sizeof(buf), kf_gen_fake_pfn, 9, 64, 88, 0);
	if (pkernfs_check_stream(buf, n, kf_preserved, NULL, &reason))
		kf_die("generated stream refused: %s", reason);
	kf_gen_write(argv[1], "tree", buf, n);
	n = kf_gen_stream(buf, sizeof(buf), kf_gen_fake_pfn, 9, 80, 96,
			  PKERNFS_KHO_SECRET);
	if (pkernfs_check_stream(buf, n, kf_preserved, NULL, &reason))
		kf_die("generated stream refused: %s", reason);
	kf_gen_write(argv[1], "longer-records", buf, n);
	return 0;
}
#else
static struct folio *kf_gen_folios[3];

/* Data folios: allocated, filled and preserved as pkernfs does. */
static u64 kf_gen_real_pfn(int i, int order)
{
	struct folio *f = kf_gen_folios[i];

	if (!f) {
		f = folio_alloc(GFP_KERNEL | __GFP_ZERO, order);
		if (!f || kho_preserve_folio(f))
			kf_die("cannot allocate a data folio");
		memset(folio_address(f), 'a' + i, 64);
		kf_gen_folios[i] = f;
	}
	return folio_pfn(f);
}

/* @nr instances, each with its own copy of the tree. */
static void kf_gen_image(const char *dir, const char *name, unsigned int nr,
			 unsigned int big, u32 flags, u32 knob)
{
	struct pkernfs_kho_root *root;
	static u8 buf[8192];
	char path[512];
	size_t size = struct_size(root, inst, nr), n;
	unsigned int i;

	kfimg_gen_begin(big >= 9 ? 1024 : 128);
	root = kho_alloc_preserve(size);
	if (IS_ERR(root))
		kf_die("kho_alloc_preserve");
	strscpy_pad(root->compatible, PKERNFS_KHO_COMPATIBLE,
		    sizeof(root->compatible));
	for (i = 0; i < nr; i++) {
		void *stream;

		memset(kf_gen_folios, 0, sizeof(kf_gen_folios));
		n = kf_gen_stream(buf, sizeof(buf), kf_gen_real_pfn, big, 64,
				  88, flags);
		stream = vzalloc(n);
		memcpy(stream, buf, n);
		if (kho_preserve_vmalloc(stream, &root->inst[i].stream))
			kf_die("kho_preserve_vmalloc");
		snprintf(root->inst[i].name, sizeof(root->inst[i].name),
			 "vm%u", i);
		root->inst[i].bytes = n;
		root->nr_instances++;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kfimg_gen_save(path, virt_to_phys(root), size, knob))
		kf_die("cannot save %s", path);
}

int main(int argc, char **argv)
{
	kf_gen_image(argv[1], "one", 1, 2, 0, 0);
	kf_gen_image(argv[1], "one-thp", 1, 2, 0, 1);
	kf_gen_image(argv[1], "two-secret", 2, 1, PKERNFS_KHO_SECRET, 1);
	kf_gen_image(argv[1], "big-folio", 1, 9, 0, 0);
	return 0;
}
#endif
#endif /* KF_GEN */
