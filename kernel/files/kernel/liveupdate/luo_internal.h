/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_LUO_INTERNAL_H
#define LINUX_LUO_INTERNAL_H

#include <linux/liveupdate.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

/*
 * Bounds on what a session may hold, in either direction: a handover
 * naming more is refused, and userspace gets -ENOSPC past them.
 */
#define LUO_MAX_SESSIONS	4096
#define LUO_MAX_FILES		65536

/*
 * One lock for all LUO state: sessions, files, handlers and serialization.
 * Operations are rare and short next to a kexec; simplicity wins.
 */
extern struct mutex luo_mutex;

/* Set once the reboot path serialized everything: no more changes. */
extern bool luo_serialized;

/**
 * struct luo_ucmd - one ioctl call
 * @ubuffer:   the user's argument structure
 * @user_size: its size, as the user said
 * @cmd:       kernel copy of it
 */
struct luo_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

/* Which sessions a session ioctl applies to. */
enum luo_ioctl_scope {
	LUO_SCOPE_ANY,
	LUO_SCOPE_OUTGOING,
	LUO_SCOPE_INCOMING,
};

/**
 * struct luo_ioctl_op - an ioctl of /dev/liveupdate or of a session
 * @cmd:      the full ioctl number
 * @size:     size of the kernel's argument structure
 * @min_size: smallest size userspace may pass (end of the last field read)
 * @scope:    for session ioctls, which sessions accept it
 * @execute:  the handler; @obj is the session, or %NULL for the device
 */
struct luo_ioctl_op {
	unsigned int cmd;
	unsigned int size;
	unsigned int min_size;
	enum luo_ioctl_scope scope;
	int (*execute)(void *obj, struct luo_ucmd *ucmd);
};

#define LUO_IOCTL_OP(_cmd, _fn, _struct, _last, _scope)			\
	[_IOC_NR(_cmd) & 0x3f] = {					\
		.cmd = _cmd,						\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.scope = _scope,					\
		.execute = _fn,						\
	}

long luo_ioctl_run(const struct luo_ioctl_op *ops, unsigned int nr_ops,
		   unsigned int base, unsigned int cmd, unsigned long arg,
		   void *obj, bool incoming);
int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t size);

/**
 * struct luo_file - a file in a session
 * @list:            in the session's file list, in preservation order
 * @fh:              its handler; %NULL for an incoming file whose handler
 *                   is not known (yet)
 * @compatible:      incoming: the handler named by the previous kernel
 * @file:            outgoing: the preserved file (a reference is held);
 *                   incoming: the retrieved file, or %NULL
 * @token:           userspace's name for it
 * @serialized_data: the handler's handle to its preserved state
 * @private_data:    the handler's pointer, outgoing only
 * @retrieve_status: incoming: 0 not retrieved, 1 retrieved, <0 failed
 * @frozen:          outgoing: freeze() succeeded in the current reboot
 */
struct luo_file {
	struct list_head list;
	struct liveupdate_file_handler *fh;
	char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	struct file *file;
	u64 token;
	u64 serialized_data;
	void *private_data;
	int retrieve_status;
	bool frozen;
};

/**
 * struct luo_session - a named set of files
 * @list:     in the outgoing or the incoming session list
 * @name:     NUL-terminated name
 * @hnode:    in the session name hash
 * @files:    struct luo_file list
 * @tokens:   the same files, indexed by token
 * @nr_files: entries in @files
 * @incoming: handed over by the previous kernel
 * @retrieved: incoming: a file descriptor was given out
 * @finished: incoming: finished, its files are gone
 * @chain:    outgoing: the preserved page chain of its files, while
 *            serialized
 */
struct luo_session {
	struct list_head list;
	struct hlist_node hnode;
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	struct list_head files;
	struct xarray tokens;
	unsigned long nr_files;
	bool incoming;
	bool retrieved;
	bool finished;
	struct luo_chain *chain;
};

/**
 * struct luo_chain - an outgoing chain of KHO blocks (see
 * include/linux/kho/abi/block.h)
 * @pages:      the blocks, each a preserved page
 * @nr_pages:   entries in @pages
 */
struct luo_chain {
	void **pages;
	unsigned long nr_pages;
};

struct luo_chain *luo_chain_build(size_t entry_size, unsigned long nr);
void *luo_chain_entry(struct luo_chain *chain, size_t entry_size,
		      unsigned long i);
u64 luo_chain_head(struct luo_chain *chain);
void luo_chain_free(struct luo_chain *chain);
int luo_chain_read(u64 head, size_t entry_size, u64 total,
		   int (*fn)(const void *entry, void *arg), void *arg);
void luo_free_incoming_page(void *addr);

/* Sessions */
int luo_session_create(const char *name, struct file **filep);
int luo_session_retrieve(const char *name, struct file **filep);
int luo_sessions_serialize(u64 *sessions_pa);
int luo_sessions_deserialize(u64 sessions_pa);
void luo_sessions_drop_incoming(void);
void luo_sessions_debugfs_init(void);
struct dentry;
struct dentry *luo_debugfs_dir(void);

/* Files */
int luo_file_preserve(struct luo_session *session, u64 token, int fd);
int luo_file_retrieve(struct luo_session *session, u64 token,
		      struct file **filep);
void luo_files_unpreserve(struct luo_session *session);
int luo_files_freeze(struct luo_session *session,
		     struct luo_file_set_ser *ser);
void luo_files_unfreeze(struct luo_session *session);
int luo_files_can_finish(struct luo_session *session);
void luo_files_finish(struct luo_session *session);
void luo_files_drop(struct luo_session *session);
int luo_files_deserialize(struct luo_session *session,
			  const struct luo_file_set_ser *ser);

#ifdef CONFIG_LIVEUPDATE_TEST
int luo_test_freeze_fault(void);
void luo_test_corrupt(struct luo_ser *ser);
#else
static inline int luo_test_freeze_fault(void)
{
	return 0;
}

static inline void luo_test_corrupt(struct luo_ser *ser) { }
#endif

#endif /* LINUX_LUO_INTERNAL_H */
