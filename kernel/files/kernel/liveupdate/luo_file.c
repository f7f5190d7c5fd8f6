// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: preserved files and their handlers.
 *
 * A file handler knows how to carry one kind of file across kexec. LUO
 * asks every registered handler whether it can preserve a file, calls its
 * preserve() at ioctl time, freeze() in the reboot path (unfreeze() if the
 * kexec is aborted), and in the next kernel retrieve() to rebuild the file
 * and finish() to release what was not retrieved. The handler is found
 * again by its compatible string, which names its wire format.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "luo_internal.h"

static LIST_HEAD(luo_handlers);

/* Objects preserved or retrieved: each may be in at most one session. */
static DEFINE_XARRAY(luo_files_xa);

static bool luo_compat_ok(const char *compat)
{
	return compat[0] && memchr(compat, 0, LIVEUPDATE_HNDL_COMPAT_LENGTH);
}

/**
 * liveupdate_register_file_handler - make a kind of file preservable
 * @fh: the handler; it must stay valid until unregistered
 *
 * Return: 0, -EOPNOTSUPP if live update is off, -EINVAL for an incomplete
 * handler, -EEXIST if its compatible string is taken.
 */
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	const struct liveupdate_file_ops *ops = fh->ops;
	struct liveupdate_file_handler *it;
	int err = 0;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;
	if (!ops || !ops->can_preserve || !ops->preserve || !ops->unpreserve ||
	    !ops->retrieve || !ops->finish || !luo_compat_ok(fh->compatible))
		return -EINVAL;
	mutex_lock(&luo_mutex);
	list_for_each_entry(it, &luo_handlers, list) {
		if (!strcmp(it->compatible, fh->compatible)) {
			err = -EEXIST;
			break;
		}
	}
	if (!err)
		list_add_tail(&fh->list, &luo_handlers);
	mutex_unlock(&luo_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(liveupdate_register_file_handler);

/**
 * liveupdate_unregister_file_handler - undo liveupdate_register_file_handler()
 * @fh: the handler
 *
 * Files it preserves hold a reference on its module, so a module cannot
 * go away while it is in use.
 */
void liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	mutex_lock(&luo_mutex);
	list_del_init(&fh->list);
	mutex_unlock(&luo_mutex);
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_file_handler);

static struct liveupdate_file_handler *luo_handler_by_compat(const char *compat)
{
	struct liveupdate_file_handler *fh;

	list_for_each_entry(fh, &luo_handlers, list)
		if (!strncmp(fh->compatible, compat,
			     LIVEUPDATE_HNDL_COMPAT_LENGTH))
			return fh;
	return NULL;
}

static unsigned long luo_file_id(struct liveupdate_file_handler *fh,
				 struct file *file)
{
	return fh->ops->get_id ? fh->ops->get_id(file) : (unsigned long)file;
}

/* Forget @file's identity, if it is the one registered under it. */
static void luo_file_forget(struct liveupdate_file_handler *fh,
			    struct file *file)
{
	xa_cmpxchg(&luo_files_xa, luo_file_id(fh, file), file, NULL, 0);
}

/* Tokens are u64 and index an xarray: only where unsigned long holds them. */
static_assert(sizeof(unsigned long) >= sizeof(u64));

static struct luo_file *luo_file_find(struct luo_session *session, u64 token)
{
	return xa_load(&session->tokens, token);
}

/* Add @lf under its token: -EEXIST if the token is taken. */
static int luo_file_link(struct luo_session *session, struct luo_file *lf)
{
	int err = xa_insert(&session->tokens, lf->token, lf, GFP_KERNEL);

	if (err)
		return err == -EBUSY ? -EEXIST : err;
	list_add_tail(&lf->list, &session->files);
	session->nr_files++;
	return 0;
}

/* Every file is gone from @session's list: empty the index too. */
static void luo_files_unlinked(struct luo_session *session)
{
	xa_destroy(&session->tokens);
	session->nr_files = 0;
}

static void luo_args(struct liveupdate_file_op_args *args, struct luo_file *lf)
{
	*args = (struct liveupdate_file_op_args) {
		.handler = lf->fh,
		.retrieve_status = lf->retrieve_status,
		.file = lf->file,
		.serialized_data = lf->serialized_data,
		.private_data = lf->private_data,
	};
}

/**
 * luo_file_preserve - preserve a file in an outgoing session
 * @session: the session
 * @token: the file's name in the session
 * @fd: the file
 *
 * Return: 0, -EEXIST (token in use), -EBADF, -ENOENT (no handler), -EBUSY
 * (preserved already), -ENOSPC (%LUO_MAX_FILES in the session), or the
 * handler's error.
 */
int luo_file_preserve(struct luo_session *session, u64 token, int fd)
{
	struct liveupdate_file_handler *fh;
	struct liveupdate_file_op_args args;
	struct luo_file *lf;
	struct file *file;
	int err;

	lockdep_assert_held(&luo_mutex);
	if (luo_file_find(session, token))
		return -EEXIST;
	if (session->nr_files >= LUO_MAX_FILES)
		return -ENOSPC;
	file = fget(fd);
	if (!file)
		return -EBADF;
	err = -ENOENT;
	list_for_each_entry(fh, &luo_handlers, list) {
		if (fh->ops->can_preserve(fh, file)) {
			err = try_module_get(fh->ops->owner) ? 0 : -ENOENT;
			break;
		}
	}
	if (err)
		goto out_fput;
	err = xa_insert(&luo_files_xa, luo_file_id(fh, file), file,
			GFP_KERNEL);
	if (err)
		goto out_module;
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf) {
		err = -ENOMEM;
		goto out_erase;
	}
	lf->fh = fh;
	lf->file = file;
	lf->token = token;
	luo_args(&args, lf);
	err = fh->ops->preserve(&args);
	if (err)
		goto out_free;
	lf->serialized_data = args.serialized_data;
	lf->private_data = args.private_data;
	err = luo_file_link(session, lf);
	if (err) {
		fh->ops->unpreserve(&args);
		goto out_free;
	}
	return 0;

out_free:
	kfree(lf);
out_erase:
	xa_erase(&luo_files_xa, luo_file_id(fh, file));
out_module:
	module_put(fh->ops->owner);
out_fput:
	fput(file);
	return err;
}

/**
 * luo_files_unpreserve - unpreserve every file of an outgoing session
 * @session: the session, being closed
 */
void luo_files_unpreserve(struct luo_session *session)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf, *tmp;

	lockdep_assert_held(&luo_mutex);
	list_for_each_entry_safe_reverse(lf, tmp, &session->files, list) {
		luo_args(&args, lf);
		lf->fh->ops->unpreserve(&args);
		luo_file_forget(lf->fh, lf->file);
		module_put(lf->fh->ops->owner);
		fput(lf->file);
		list_del(&lf->list);
		kfree(lf);
	}
	luo_files_unlinked(session);
}

/**
 * luo_files_freeze - freeze a session's files and write their table
 * @session: an outgoing session
 * @ser: where the table's address and size go
 *
 * On failure nothing stays frozen and no table is left.
 *
 * Return: 0 or a negative errno.
 */
int luo_files_freeze(struct luo_session *session, struct luo_file_set_ser *ser)
{
	struct liveupdate_file_op_args args;
	struct luo_file_ser *fser;
	struct luo_chain *chain;
	struct luo_file *lf;
	unsigned long i = 0;
	int err = 0;

	chain = luo_chain_build(sizeof(*fser), session->nr_files);
	if (IS_ERR(chain))
		return PTR_ERR(chain);
	list_for_each_entry(lf, &session->files, list) {
		err = luo_test_freeze_fault();
		if (!err && lf->fh->ops->freeze) {
			luo_args(&args, lf);
			err = lf->fh->ops->freeze(&args);
			if (!err)
				lf->serialized_data = args.serialized_data;
		}
		if (err) {
			pr_warn("file %#llx (%s) cannot be frozen: %pe\n",
				lf->token, lf->fh->compatible, ERR_PTR(err));
			luo_files_unfreeze(session);
			luo_chain_free(chain);
			return err;
		}
		lf->frozen = true;
		fser = luo_chain_entry(chain, sizeof(*fser), i++);
		strscpy(fser->compatible, lf->fh->compatible,
			sizeof(fser->compatible));
		fser->data = lf->serialized_data;
		fser->token = lf->token;
	}
	ser->files = luo_chain_head(chain);
	ser->count = session->nr_files;
	session->chain = chain;
	return 0;
}

/**
 * luo_files_unfreeze - undo luo_files_freeze() for the frozen files
 * @session: the session
 */
void luo_files_unfreeze(struct luo_session *session)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf;

	list_for_each_entry(lf, &session->files, list) {
		if (!lf->frozen)
			continue;
		if (lf->fh->ops->unfreeze) {
			luo_args(&args, lf);
			lf->fh->ops->unfreeze(&args);
		}
		lf->frozen = false;
	}
}

/**
 * luo_file_retrieve - rebuild a file of an incoming session
 * @session: the session
 * @token: the file's token
 * @filep: set to the file, with a reference for the caller
 *
 * A second call returns the same file; after a failure, the same error.
 *
 * Return: 0, -ENOENT (no such token, or no handler for its format), or the
 * handler's error.
 */
int luo_file_retrieve(struct luo_session *session, u64 token,
		      struct file **filep)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf;
	int err;

	lockdep_assert_held(&luo_mutex);
	lf = session->finished ? NULL : luo_file_find(session, token);
	if (!lf)
		return -ENOENT;
	if (lf->retrieve_status < 0)
		return lf->retrieve_status;
	if (lf->retrieve_status > 0) {
		*filep = get_file(lf->file);
		return 0;
	}
	if (!lf->fh)
		lf->fh = luo_handler_by_compat(lf->compatible);
	if (!lf->fh) {
		pr_warn("file %#llx: no handler for format \"%s\"\n", token,
			lf->compatible);
		return -ENOENT;
	}
	luo_args(&args, lf);
	err = lf->fh->ops->retrieve(&args);
	if (err) {
		lf->retrieve_status = err;
		return err;
	}
	lf->file = args.file;
	lf->retrieve_status = 1;
	if (xa_insert(&luo_files_xa, luo_file_id(lf->fh, lf->file), lf->file,
		      GFP_KERNEL))
		pr_warn("file %#llx: retrieved object already in use\n", token);
	*filep = get_file(lf->file);
	return 0;
}

/**
 * luo_files_can_finish - may an incoming session finish now?
 * @session: the session
 *
 * Return: 0 or -EBUSY.
 */
int luo_files_can_finish(struct luo_session *session)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf;

	list_for_each_entry(lf, &session->files, list) {
		if (!lf->fh || !lf->fh->ops->can_finish)
			continue;
		luo_args(&args, lf);
		if (!lf->fh->ops->can_finish(&args))
			return -EBUSY;
	}
	return 0;
}

/**
 * luo_files_finish - end the handover of an incoming session's files
 * @session: the session
 *
 * Handlers free what was not retrieved. Files whose format has no handler
 * are left to KHO, which clears and frees their memory.
 */
void luo_files_finish(struct luo_session *session)
{
	struct liveupdate_file_op_args args;
	struct luo_file *lf, *tmp;

	lockdep_assert_held(&luo_mutex);
	list_for_each_entry_safe(lf, tmp, &session->files, list) {
		if (!lf->fh)
			lf->fh = luo_handler_by_compat(lf->compatible);
		if (lf->fh) {
			luo_args(&args, lf);
			lf->fh->ops->finish(&args);
		}
		if (lf->file) {
			luo_file_forget(lf->fh, lf->file);
			fput(lf->file);
		}
		list_del(&lf->list);
		kfree(lf);
	}
	luo_files_unlinked(session);
}

/**
 * luo_files_drop - forget an incoming session's files without using them
 * @session: the session, whose state is being refused
 */
void luo_files_drop(struct luo_session *session)
{
	struct luo_file *lf, *tmp;

	list_for_each_entry_safe(lf, tmp, &session->files, list) {
		list_del(&lf->list);
		kfree(lf);
	}
	luo_files_unlinked(session);
}

static int luo_file_deserialize_one(const void *entry, void *arg)
{
	const struct luo_file_ser *ser = entry;
	struct luo_session *session = arg;
	struct luo_file *lf;
	int err;

	if (!luo_compat_ok(ser->compatible)) {
		pr_warn("file %#llx: format name empty or unterminated\n",
			ser->token);
		return -EINVAL;
	}
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	strscpy(lf->compatible, ser->compatible, sizeof(lf->compatible));
	lf->token = ser->token;
	lf->serialized_data = ser->data;
	err = luo_file_link(session, lf);
	if (err) {
		if (err == -EEXIST)
			pr_warn("file %#llx appears twice\n", ser->token);
		kfree(lf);
		return err == -EEXIST ? -EINVAL : err;
	}
	return 0;
}

/**
 * luo_files_deserialize - read an incoming session's file table
 * @session: the session
 * @ser: its table, from the previous kernel
 *
 * Return: 0 or a negative errno.
 */
int luo_files_deserialize(struct luo_session *session,
			  const struct luo_file_set_ser *ser)
{
	if (ser->count > LUO_MAX_FILES) {
		pr_warn("%llu files in one session, at most %u are taken\n",
			(u64)ser->count, LUO_MAX_FILES);
		return -E2BIG;
	}
	return luo_chain_read(ser->files, sizeof(struct luo_file_ser),
			      ser->count, luo_file_deserialize_one, session);
}
