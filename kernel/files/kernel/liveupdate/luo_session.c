// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: sessions.
 *
 * A session is a named set of preserved files with a file descriptor of
 * its own. Outgoing sessions live until their descriptor is closed (which
 * unpreserves their files) or the kexec; incoming ones, handed over by the
 * previous kernel, until they are finished. While any incoming session is
 * unfinished, LUO holds KHO's incoming memory so that files can still be
 * retrieved after boot.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/kexec_handover.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

static LIST_HEAD(luo_outgoing_sessions);
static unsigned long luo_nr_outgoing;
static LIST_HEAD(luo_incoming_sessions);
static unsigned long luo_nr_unfinished;
static bool luo_holds_incoming;
/* Every session on either list, by name: lookups stay cheap at the cap. */
static DEFINE_HASHTABLE(luo_session_names, 8);

static u32 luo_session_hash(const char *name)
{
	return full_name_hash(NULL, name, strnlen(name,
				LIVEUPDATE_SESSION_NAME_LENGTH));
}

static struct luo_session *luo_session_find(bool incoming, const char *name)
{
	struct luo_session *session;

	hash_for_each_possible(luo_session_names, session, hnode,
			       luo_session_hash(name))
		if (session->incoming == incoming &&
		    !strncmp(session->name, name, sizeof(session->name)))
			return session;
	return NULL;
}

static void luo_session_link(struct luo_session *session)
{
	list_add_tail(&session->list, session->incoming ?
		      &luo_incoming_sessions : &luo_outgoing_sessions);
	hash_add(luo_session_names, &session->hnode,
		 luo_session_hash(session->name));
}

static void luo_session_unlink(struct luo_session *session)
{
	list_del(&session->list);
	hash_del(&session->hnode);
}

static struct luo_session *luo_session_alloc(const char *name, bool incoming)
{
	struct luo_session *session = kzalloc(sizeof(*session), GFP_KERNEL);

	if (!session)
		return NULL;
	strscpy(session->name, name, sizeof(session->name));
	INIT_LIST_HEAD(&session->files);
	xa_init(&session->tokens);
	session->incoming = incoming;
	return session;
}

/* An incoming session is done: once all are, KHO may free the rest. */
static void luo_session_finished(struct luo_session *session)
{
	lockdep_assert_held(&luo_mutex);
	session->finished = true;
	if (--luo_nr_unfinished || !luo_holds_incoming)
		return;
	luo_holds_incoming = false;
	kho_put_incoming();
}

static int luo_session_do_finish(struct luo_session *session)
{
	int err;

	if (session->finished)
		return 0;
	err = luo_files_can_finish(session);
	if (err)
		return err;
	luo_files_finish(session);
	luo_session_finished(session);
	return 0;
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *session = file->private_data;

	mutex_lock(&luo_mutex);
	if (!session->incoming && luo_serialized) {
		/* Its state is on the way to the next kernel: leave it be. */
		mutex_unlock(&luo_mutex);
		return 0;
	}
	if (!session->incoming) {
		luo_files_unpreserve(session);
		luo_nr_outgoing--;
	} else if (!session->finished) {
		/* Closing a retrieved session finishes it. */
		if (luo_files_can_finish(session))
			pr_warn("session \"%s\" closed while busy; finishing it anyway\n",
				session->name);
		luo_files_finish(session);
		luo_session_finished(session);
	}
	luo_session_unlink(session);
	mutex_unlock(&luo_mutex);
	kfree(session);
	return 0;
}

static int luo_session_preserve_fd(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_preserve_fd *argp = ucmd->cmd;
	struct luo_session *session = obj;
	int err;

	mutex_lock(&luo_mutex);
	err = luo_serialized ? -EBUSY :
	      luo_file_preserve(session, argp->token, argp->fd);
	mutex_unlock(&luo_mutex);
	if (err)
		return err;
	return luo_ucmd_respond(ucmd, sizeof(*argp));
}

static int luo_session_retrieve_fd(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_retrieve_fd *argp = ucmd->cmd;
	struct luo_session *session = obj;
	struct file *file = NULL;
	int err;

	argp->fd = get_unused_fd_flags(O_CLOEXEC);
	if (argp->fd < 0)
		return argp->fd;
	mutex_lock(&luo_mutex);
	err = luo_file_retrieve(session, argp->token, &file);
	mutex_unlock(&luo_mutex);
	if (!err)
		err = luo_ucmd_respond(ucmd, sizeof(*argp));
	if (err) {
		if (file)
			fput(file);
		put_unused_fd(argp->fd);
		return err;
	}
	fd_install(argp->fd, file);
	return 0;
}

static int luo_session_finish(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_finish *argp = ucmd->cmd;
	struct luo_session *session = obj;
	int err;

	if (argp->reserved)
		return -EINVAL;
	mutex_lock(&luo_mutex);
	err = luo_session_do_finish(session);
	mutex_unlock(&luo_mutex);
	if (err)
		return err;
	return luo_ucmd_respond(ucmd, sizeof(*argp));
}

static int luo_session_get_name(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_session_get_name *argp = ucmd->cmd;
	struct luo_session *session = obj;

	if (argp->reserved)
		return -EINVAL;
	strscpy((char *)argp->name, session->name, sizeof(argp->name));
	return luo_ucmd_respond(ucmd, sizeof(*argp));
}

static const struct luo_ioctl_op luo_session_ops[] = {
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_PRESERVE_FD, luo_session_preserve_fd,
		     struct liveupdate_session_preserve_fd, token,
		     LUO_SCOPE_OUTGOING),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_RETRIEVE_FD, luo_session_retrieve_fd,
		     struct liveupdate_session_retrieve_fd, token,
		     LUO_SCOPE_INCOMING),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_FINISH, luo_session_finish,
		     struct liveupdate_session_finish, reserved,
		     LUO_SCOPE_INCOMING),
	LUO_IOCTL_OP(LIVEUPDATE_SESSION_GET_NAME, luo_session_get_name,
		     struct liveupdate_session_get_name, name,
		     LUO_SCOPE_ANY),
};

static long luo_session_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct luo_session *session = file->private_data;

	return luo_ioctl_run(luo_session_ops, ARRAY_SIZE(luo_session_ops),
			     LIVEUPDATE_CMD_SESSION_BASE, cmd, arg, session,
			     session->incoming);
}

static const struct file_operations luo_session_fops = {
	.owner		= THIS_MODULE,
	.release	= luo_session_release,
	.unlocked_ioctl	= luo_session_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct file *luo_session_file(struct luo_session *session)
{
	char name[LIVEUPDATE_SESSION_NAME_LENGTH + 16];

	snprintf(name, sizeof(name), "[luo_session] %s", session->name);
	return anon_inode_getfile(name, &luo_session_fops, session, O_RDWR);
}

/**
 * luo_session_create - create an outgoing session
 * @name: its name, checked to be terminated and non-empty
 * @filep: set to its new file
 *
 * Return: 0, -EINVAL for a bad name, -EEXIST if in use, -EBUSY after
 * serialization, -ENOMEM.
 */
int luo_session_create(const char *name, struct file **filep)
{
	size_t len = strnlen(name, LIVEUPDATE_SESSION_NAME_LENGTH);
	struct luo_session *session;
	struct file *file;
	int err = 0;

	if (!len || len == LIVEUPDATE_SESSION_NAME_LENGTH)
		return -EINVAL;
	session = luo_session_alloc(name, false);
	if (!session)
		return -ENOMEM;
	mutex_lock(&luo_mutex);
	if (luo_serialized)
		err = -EBUSY;
	else if (luo_session_find(false, name))
		err = -EEXIST;
	else if (luo_nr_outgoing >= LUO_MAX_SESSIONS)
		err = -ENOSPC;
	if (err)
		goto fail;
	file = luo_session_file(session);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto fail;
	}
	luo_session_link(session);
	luo_nr_outgoing++;
	mutex_unlock(&luo_mutex);
	*filep = file;
	return 0;
fail:
	mutex_unlock(&luo_mutex);
	kfree(session);
	return err;
}

/**
 * luo_session_retrieve - get a file for an incoming session
 * @name: its name
 * @filep: set to its new file
 *
 * Return: 0, -ENOENT if there is no such session, -EINVAL if it was
 * retrieved before.
 */
int luo_session_retrieve(const char *name, struct file **filep)
{
	struct luo_session *session;
	struct file *file;
	int err = 0;

	if (strnlen(name, LIVEUPDATE_SESSION_NAME_LENGTH) ==
	    LIVEUPDATE_SESSION_NAME_LENGTH)
		return -EINVAL;
	mutex_lock(&luo_mutex);
	session = luo_session_find(true, name);
	if (!session)
		err = -ENOENT;
	else if (session->retrieved)
		err = -EINVAL;
	if (!err) {
		file = luo_session_file(session);
		if (IS_ERR(file))
			err = PTR_ERR(file);
		else
			session->retrieved = true;
	}
	mutex_unlock(&luo_mutex);
	if (!err)
		*filep = file;
	return err;
}

/* Undo the first @nr sessions' serialization. */
static void luo_sessions_unserialize(unsigned long nr)
{
	struct luo_session *session;

	list_for_each_entry(session, &luo_outgoing_sessions, list) {
		if (!nr--)
			break;
		luo_files_unfreeze(session);
		luo_chain_free(session->chain);
		session->chain = NULL;
	}
}

/**
 * luo_sessions_serialize - write every outgoing session for the next kernel
 * @sessions_pa: where the chain's address goes
 *
 * Called with luo_mutex held. On failure nothing is left frozen or newly
 * preserved.
 *
 * Return: 0 or a negative errno.
 */
int luo_sessions_serialize(u64 *sessions_pa)
{
	struct luo_session *session;
	struct luo_session_ser *ser;
	struct luo_chain *chain;
	unsigned long i = 0;
	int err;

	lockdep_assert_held(&luo_mutex);
	chain = luo_chain_build(sizeof(*ser), luo_nr_outgoing);
	if (IS_ERR(chain))
		return PTR_ERR(chain);
	list_for_each_entry(session, &luo_outgoing_sessions, list) {
		ser = luo_chain_entry(chain, sizeof(*ser), i);
		err = luo_files_freeze(session, &ser->file_set_ser);
		if (err) {
			pr_warn("session \"%s\" cannot be handed over: %pe\n",
				session->name, ERR_PTR(err));
			luo_sessions_unserialize(i);
			luo_chain_free(chain);
			return err;
		}
		strscpy(ser->name, session->name, sizeof(ser->name));
		i++;
	}
	*sessions_pa = luo_chain_head(chain);
	/* The chain's pages now belong to the next kernel. */
	kfree(chain->pages);
	kfree(chain);
	pr_info("%lu sessions serialized\n", i);
	return 0;
}

static int luo_session_deserialize_one(const void *entry, void *arg)
{
	const struct luo_session_ser *ser = entry;
	struct luo_session *session;
	int err;

	if (!memchr(ser->name, 0, sizeof(ser->name)) || !ser->name[0]) {
		pr_warn("a session name is empty or unterminated\n");
		return -EINVAL;
	}
	if (luo_session_find(true, ser->name)) {
		pr_warn("session \"%s\" appears twice\n", ser->name);
		return -EINVAL;
	}
	if (luo_nr_unfinished >= LUO_MAX_SESSIONS) {
		pr_warn("more than %u sessions handed over\n", LUO_MAX_SESSIONS);
		return -E2BIG;
	}
	session = luo_session_alloc(ser->name, true);
	if (!session)
		return -ENOMEM;
	luo_session_link(session);
	luo_nr_unfinished++;
	err = luo_files_deserialize(session, &ser->file_set_ser);
	if (err)
		pr_warn("session \"%s\": malformed file list\n", session->name);
	else
		pr_info("session \"%s\" handed over with %lu files\n",
			session->name, session->nr_files);
	return err;
}

/**
 * luo_sessions_deserialize - read the previous kernel's sessions
 * @sessions_pa: the chain's first block, 0 for none
 *
 * On failure the caller drops whatever was read with
 * luo_sessions_drop_incoming().
 *
 * Return: 0 or a negative errno.
 */
int luo_sessions_deserialize(u64 sessions_pa)
{
	int err;

	mutex_lock(&luo_mutex);
	err = luo_chain_read(sessions_pa, sizeof(struct luo_session_ser),
			     U64_MAX, luo_session_deserialize_one, NULL);
	if (!err && luo_nr_unfinished) {
		luo_holds_incoming = kho_hold_incoming();
		pr_info("%lu sessions handed over\n", luo_nr_unfinished);
	}
	mutex_unlock(&luo_mutex);
	return err;
}

/**
 * luo_sessions_drop_incoming - forget the incoming sessions
 *
 * Used when the incoming state is refused: nothing of it is used, and KHO
 * clears and frees the memory behind it.
 */
void luo_sessions_drop_incoming(void)
{
	struct luo_session *session, *tmp;

	mutex_lock(&luo_mutex);
	list_for_each_entry_safe(session, tmp, &luo_incoming_sessions, list) {
		luo_files_drop(session);
		luo_session_unlink(session);
		kfree(session);
	}
	luo_nr_unfinished = 0;
	if (luo_holds_incoming) {
		luo_holds_incoming = false;
		kho_put_incoming();
	}
	mutex_unlock(&luo_mutex);
}

/*
 * debugfs liveupdate/incoming_sessions: what the previous kernel handed
 * over and what became of it, so that an operator can find sessions no
 * one claims (they keep all unrestored memory) and drop them by
 * retrieving and closing them.
 */
static int luo_incoming_show(struct seq_file *m, void *unused)
{
	struct luo_session *session;

	mutex_lock(&luo_mutex);
	list_for_each_entry(session, &luo_incoming_sessions, list)
		seq_printf(m, "%s %lu %s\n", session->name, session->nr_files,
			   session->finished ? "finished" :
			   session->retrieved ? "retrieved" : "waiting");
	mutex_unlock(&luo_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(luo_incoming);

/**
 * luo_sessions_debugfs_init - create debugfs liveupdate/incoming_sessions
 *
 * Lines of "NAME FILES waiting|retrieved|finished". Readable by root only;
 * failing to create it only costs the listing.
 */
void luo_sessions_debugfs_init(void)
{
	debugfs_create_file("incoming_sessions", 0400, luo_debugfs_dir(), NULL,
			    &luo_incoming_fops);
}
