// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the Live Update Orchestrator's incoming state, from the
 * kernel's own kernel/liveupdate/luo_core.c, luo_session.c and
 * luo_file.c (one translation unit, so that the static entry points can
 * be called).
 *
 * The input is a memory image (kfimg.h) holding the "LUO" subtree's root
 * (struct luo_ser), the session chain and the file chains. luo_incoming()
 * runs as at boot (a refused state is dropped as liveupdate_init() does);
 * then, as userspace would, every session is retrieved, every file in it
 * retrieved through a file handler of this target ("fuzz-v1": its
 * serialized data must be a preserved folio), the session finished or
 * just closed. knob bit 0: close without finishing; bit 1: retrieve no
 * file.
 */
#include "../../../kernel/files/kernel/liveupdate/luo_core.c"
#include "../../../kernel/files/kernel/liveupdate/luo_session.c"
#include "../../../kernel/files/kernel/liveupdate/luo_file.c"

#include "kfimg.h"
#include "kho_glue.h"

#define KF_HANDLER	"fuzz-v1"

/* ---------------------------------------------------------------------- */
/* Files and the other services LUO uses                                  */

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags)
{
	struct file *file = calloc(1, sizeof(*file));

	file->f_op = fops;
	file->private_data = priv;
	file->f_count = 1;
	return file;
}

struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

void fput(struct file *file)
{
	if (file->f_count <= 0)
		kf_die("fput() of a file with no reference");
	if (--file->f_count)
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(NULL, file);
	if (file->private_data && !file->f_op) {
		/* One of our handler's files: its folio goes with it. */
		folio_put(file->private_data);
	}
	free(file);
}

struct file *fget(unsigned int fd)
{
	return NULL;
}

int get_unused_fd_flags(unsigned int flags)
{
	return 3;
}

void put_unused_fd(unsigned int fd)
{
}

void fd_install(unsigned int fd, struct file *file)
{
}

long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOIOCTLCMD;
}

bool try_module_get(struct module *m)
{
	return true;
}

void module_put(struct module *m)
{
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize)
{
	memset(dst, 0, ksize);
	memcpy(dst, src, min(ksize, usize));
	return 0;
}

int misc_register(struct miscdevice *misc)
{
	return 0;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return NULL;
}

struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return NULL;
}

/* An xarray as a sorted array */
static long kf_xa_find(struct xarray *xa, unsigned long index)
{
	unsigned long lo = 0, hi = xa->nr;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;

		if (xa->ents[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	unsigned long i = kf_xa_find(xa, index);

	return i < xa->nr && xa->ents[i].index == index ? xa->ents[i].entry : NULL;
}

int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	unsigned long i = kf_xa_find(xa, index);

	if (i < xa->nr && xa->ents[i].index == index)
		return -EBUSY;
	if (xa->nr == xa->cap) {
		xa->cap = xa->cap ? 2 * xa->cap : 8;
		xa->ents = realloc(xa->ents, xa->cap * sizeof(*xa->ents));
	}
	memmove(xa->ents + i + 1, xa->ents + i, (xa->nr - i) * sizeof(*xa->ents));
	xa->ents[i].index = index;
	xa->ents[i].entry = entry;
	xa->nr++;
	return 0;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	unsigned long i = kf_xa_find(xa, index);
	void *old;

	if (i >= xa->nr || xa->ents[i].index != index)
		return NULL;
	old = xa->ents[i].entry;
	memmove(xa->ents + i, xa->ents + i + 1,
		(xa->nr - i - 1) * sizeof(*xa->ents));
	xa->nr--;
	return old;
}

void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp)
{
	void *cur = xa_load(xa, index);

	if (cur == old) {
		if (entry)
			kf_die("xa_cmpxchg() to a new entry not modelled");
		xa_erase(xa, index);
	}
	return cur;
}

void xa_destroy(struct xarray *xa)
{
	free(xa->ents);
	memset(xa, 0, sizeof(*xa));
}

/* ---------------------------------------------------------------------- */
/* This target's file handler: its data is one preserved folio            */

static bool kf_can_preserve(struct liveupdate_file_handler *h, struct file *f)
{
	return false;
}

static int kf_preserve(struct liveupdate_file_op_args *args)
{
	return -EOPNOTSUPP;
}

static void kf_unpreserve(struct liveupdate_file_op_args *args)
{
}

static int kf_retrieve(struct liveupdate_file_op_args *args)
{
	struct folio *folio;
	struct file *file;

	folio = PAGE_ALIGNED(args->serialized_data) ?
		kho_restore_folio(args->serialized_data) : NULL;
	if (!folio)
		return -EINVAL;
	file = anon_inode_getfile("fuzz", NULL, folio, O_RDWR);
	args->file = file;
	return 0;
}

static void kf_finish(struct liveupdate_file_op_args *args)
{
	struct folio *folio;

	if (args->retrieve_status)
		return;
	folio = PAGE_ALIGNED(args->serialized_data) ?
		kho_restore_folio(args->serialized_data) : NULL;
	if (folio)
		folio_put(folio);
}

static const struct liveupdate_file_ops kf_ops = {
	.can_preserve	= kf_can_preserve,
	.preserve	= kf_preserve,
	.unpreserve	= kf_unpreserve,
	.retrieve	= kf_retrieve,
	.finish		= kf_finish,
};

static struct liveupdate_file_handler kf_handler = {
	.ops = &kf_ops,
	.compatible = KF_HANDLER,
};

/* ---------------------------------------------------------------------- */

/* Userspace: retrieve every session and its files, then finish or close. */
static void kf_userspace(u32 knob)
{
	struct luo_session *session, *tmp;
	char names[64][LIVEUPDATE_SESSION_NAME_LENGTH];
	unsigned int n = 0, i;

	list_for_each_entry(session, &luo_incoming_sessions, list)
		if (n < ARRAY_SIZE(names))
			strscpy(names[n++], session->name, sizeof(names[0]));
	for (i = 0; i < n; i++) {
		struct liveupdate_session_finish fin = { .size = sizeof(fin) };
		struct file *sfile, *f;
		struct luo_file *lf, *next;

		if (luo_session_retrieve(names[i], &sfile))
			continue;
		session = sfile->private_data;
		mutex_lock(&luo_mutex);
		list_for_each_entry_safe(lf, next, &session->files, list) {
			if (knob & 2)
				break;
			if (!luo_file_retrieve(session, lf->token, &f))
				fput(f);
			/* A second time gives the same file, or error. */
			if (!luo_file_retrieve(session, lf->token, &f))
				fput(f);
		}
		mutex_unlock(&luo_mutex);
		if (!(knob & 1))
			luo_session_ioctl(sfile, LIVEUPDATE_SESSION_FINISH,
					  (unsigned long)&fin);
		fput(sfile);
	}
	/* What nobody retrieved is dropped, as when LUO gives up. */
	luo_sessions_drop_incoming();
	list_for_each_entry_safe(session, tmp, &luo_incoming_sessions, list)
		kf_die("an incoming session survived luo_sessions_drop_incoming()");
	if (luo_nr_unfinished)
		kf_die("%lu unfinished sessions left", luo_nr_unfinished);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static bool registered;
	struct kfimg img;

	luo_global.enabled = true;
	if (!registered) {
		if (liveupdate_register_file_handler(&kf_handler))
			kf_die("cannot register the handler");
		registered = true;
	}
	if (kfimg_load(data, size, LUO_KHO_ENTRY_NAME, &img) == 0) {
		if (luo_incoming())
			luo_sessions_drop_incoming();
		kf_userspace(img.hdr.knob);
		if (luo_files_xa.nr)
			kf_die("%lu retrieved files still registered", luo_files_xa.nr);
		xa_destroy(&luo_files_xa);
		luo_holds_incoming = false;
	}
	kfimg_end_of_boot(&img);
	return 0;
}

#ifdef KF_GEN
/* ---------------------------------------------------------------------- */
/* Seeds: LUO's own chain writer and KHO's                                */

static void kf_gen(const char *dir, const char *name, unsigned int nsess,
		   unsigned int nfiles, const char *compat, u32 knob)
{
	struct luo_chain *schain;
	struct luo_ser *ser;
	char path[512];
	unsigned int s, f;

	kfimg_gen_begin(64 + nsess * (nfiles + 2));
	luo_global.enabled = true;
	ser = kho_alloc_preserve(sizeof(*ser));
	schain = luo_chain_build(sizeof(struct luo_session_ser), nsess);
	if (IS_ERR(ser) || IS_ERR(schain))
		kf_die("generator: no memory");
	for (s = 0; s < nsess; s++) {
		struct luo_session_ser *ss =
			luo_chain_entry(schain, sizeof(*ss), s);
		struct luo_chain *fchain =
			luo_chain_build(sizeof(struct luo_file_ser), nfiles);

		if (IS_ERR(fchain))
			kf_die("generator: no memory");
		snprintf(ss->name, sizeof(ss->name), "session-%u", s);
		for (f = 0; f < nfiles; f++) {
			struct luo_file_ser *fs =
				luo_chain_entry(fchain, sizeof(*fs), f);
			u8 *blob = kho_alloc_preserve(64);

			if (IS_ERR(blob))
				kf_die("generator: no memory");
			memset(blob, 0xab, 64);
			strscpy(fs->compatible, f == 2 ? "unknown-v1" : compat,
				sizeof(fs->compatible));
			fs->token = 100 + f;
			fs->data = virt_to_phys(blob);
		}
		ss->file_set_ser.files = nfiles ? luo_chain_head(fchain) : 0;
		ss->file_set_ser.count = nfiles;
	}
	strscpy(ser->compatible, LUO_ABI_COMPATIBLE, sizeof(ser->compatible));
	ser->liveupdate_num = 7;
	ser->sessions_pa = nsess ? luo_chain_head(schain) : 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kfimg_gen_save(path, virt_to_phys(ser), sizeof(*ser), knob))
		kf_die("cannot save %s", path);
}

int main(int argc, char **argv)
{
	kf_gen(argv[1], "one", 1, 1, KF_HANDLER, 0);
	kf_gen(argv[1], "two-by-three", 2, 3, KF_HANDLER, 0);
	kf_gen(argv[1], "close-unfinished", 2, 3, KF_HANDLER, 1);
	kf_gen(argv[1], "no-retrieve", 3, 2, KF_HANDLER, 2);
	kf_gen(argv[1], "many-files", 1, 250, KF_HANDLER, 0);
	return 0;
}
#endif /* KF_GEN */
