/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live Update Orchestrator: in-kernel interface for file handlers.
 *
 * Names and semantics follow upstream Linux's include/linux/liveupdate.h so
 * that handlers written for upstream port without change (FLB objects are
 * not provided).
 */
#ifndef _LINUX_LIVEUPDATE_H
#define _LINUX_LIVEUPDATE_H

#include <linux/compiler.h>
#include <linux/kho/abi/luo.h>
#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/liveupdate.h>

struct file;
struct module;
struct liveupdate_file_handler;

/**
 * struct liveupdate_file_op_args - arguments of the file handler callbacks
 * @handler:         the handler called
 * @retrieve_status: for can_finish() and finish(): 0 if the file was never
 *                   retrieved, 1 if it was, a negative errno if retrieve()
 *                   failed
 * @file:            the file; set by retrieve()
 * @serialized_data: the handler's handle to its state in preserved memory;
 *                   set by preserve(), may be updated by freeze(), given
 *                   back in the next kernel
 * @private_data:    the handler's own pointer, kept from preserve() to
 *                   unpreserve()/freeze() in the same kernel
 */
struct liveupdate_file_op_args {
	struct liveupdate_file_handler *handler;
	int retrieve_status;
	struct file *file;
	u64 serialized_data;
	void *private_data;
};

/**
 * struct liveupdate_file_ops - what a file handler implements
 * @can_preserve: does this handler handle @file?
 * @preserve:     start preserving a file (ioctl time); may sleep, allocate
 *                and preserve memory
 * @unpreserve:   undo preserve() (the session was closed)
 * @freeze:       optional; last update of the state, in the reboot path
 * @unfreeze:     optional; undo freeze() when the kexec is aborted
 * @retrieve:     next kernel: build a file from @serialized_data
 * @can_finish:   optional; may the session finish now?
 * @finish:       next kernel: release whatever was not retrieved
 * @get_id:       optional; identity of the preserved object (a file can be
 *                preserved once), default the struct file
 * @owner:        module of the handler
 */
struct liveupdate_file_ops {
	bool (*can_preserve)(struct liveupdate_file_handler *handler,
			     struct file *file);
	int (*preserve)(struct liveupdate_file_op_args *args);
	void (*unpreserve)(struct liveupdate_file_op_args *args);
	int (*freeze)(struct liveupdate_file_op_args *args);
	void (*unfreeze)(struct liveupdate_file_op_args *args);
	int (*retrieve)(struct liveupdate_file_op_args *args);
	bool (*can_finish)(struct liveupdate_file_op_args *args);
	void (*finish)(struct liveupdate_file_op_args *args);
	unsigned long (*get_id)(struct file *file);
	struct module *owner;
};

/**
 * struct liveupdate_file_handler - a kind of file LUO can hand over
 * @ops:        its callbacks
 * @compatible: its wire format name and version, matched exactly in the
 *              next kernel
 * @list:       private to LUO
 */
struct liveupdate_file_handler {
	const struct liveupdate_file_ops *ops;
	const char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	/* private: */
	struct list_head list;
};

#ifdef CONFIG_LIVEUPDATE

bool liveupdate_enabled(void);
int liveupdate_reboot(void);
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh);
void liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh);

#else

static inline bool liveupdate_enabled(void)
{
	return false;
}

static inline int liveupdate_reboot(void)
{
	return 0;
}

static inline int
liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline void
liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
}

#endif /* CONFIG_LIVEUPDATE */
#endif /* _LINUX_LIVEUPDATE_H */
