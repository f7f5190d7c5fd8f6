/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Live Update Orchestrator (LUO) userspace interface.
 *
 * Userspace hands state over to the kernel it kexecs into through
 * /dev/liveupdate. The ioctl numbers, structure layouts and errno values
 * match upstream Linux's include/uapi/linux/liveupdate.h exactly, so that a
 * program written for upstream runs unchanged on this kernel.
 *
 * Every argument structure starts with a __u32 size that userspace sets to
 * sizeof() of the structure it was built with. The kernel accepts larger
 * structures whose extra bytes are zero (-E2BIG otherwise) and rejects
 * smaller ones that miss a required field (-EINVAL).
 */
#ifndef _UAPI_LIVEUPDATE_H
#define _UAPI_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* ioctl type of /dev/liveupdate and of session file descriptors */
#define LIVEUPDATE_IOCTL_TYPE		0xBA

/* Bytes in a session name, including the terminating NUL */
#define LIVEUPDATE_SESSION_NAME_LENGTH 64

/* Commands on /dev/liveupdate */
enum {
	LIVEUPDATE_CMD_BASE = 0x00,
	LIVEUPDATE_CMD_CREATE_SESSION = LIVEUPDATE_CMD_BASE,
	LIVEUPDATE_CMD_RETRIEVE_SESSION = 0x01,
};

/* Commands on a session file descriptor */
enum {
	LIVEUPDATE_CMD_SESSION_BASE = 0x40,
	LIVEUPDATE_CMD_SESSION_PRESERVE_FD = LIVEUPDATE_CMD_SESSION_BASE,
	LIVEUPDATE_CMD_SESSION_RETRIEVE_FD = 0x41,
	LIVEUPDATE_CMD_SESSION_FINISH = 0x42,
	LIVEUPDATE_CMD_SESSION_GET_NAME = 0x43,
};

/**
 * struct liveupdate_ioctl_create_session - LIVEUPDATE_IOCTL_CREATE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_create_session)
 * @fd:   out: the new session's file descriptor (close-on-exec)
 * @name: in: NUL-terminated, non-empty name, unique among the sessions
 *        that will be handed over
 *
 * Creates an outgoing session. Files preserved in it reach the next kernel
 * only while the session file descriptor stays open; closing it drops
 * them. Errors: EINVAL (empty or unterminated name), EEXIST (name in
 * use), ENOSPC (4096 outgoing sessions exist), ENOMEM.
 */
struct liveupdate_ioctl_create_session {
	__u32		size;
	__s32		fd;
	__u8		name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION)

/**
 * struct liveupdate_ioctl_retrieve_session - LIVEUPDATE_IOCTL_RETRIEVE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_retrieve_session)
 * @fd:   out: the session's file descriptor (close-on-exec)
 * @name: in: name of a session the previous kernel handed over
 *
 * Errors: ENOENT (no such incoming session), EINVAL (retrieved already).
 */
struct liveupdate_ioctl_retrieve_session {
	__u32		size;
	__s32		fd;
	__u8		name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION \
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION)

/**
 * struct liveupdate_session_preserve_fd - LIVEUPDATE_SESSION_PRESERVE_FD
 * @size:  sizeof(struct liveupdate_session_preserve_fd)
 * @fd:    in: file to preserve
 * @token: in: value, unique in the session, that names the file in the
 *         next kernel
 *
 * Outgoing sessions only. Errors: EBADF (bad fd), ENOENT (no handler for
 * this kind of file), EEXIST (token in use), EBUSY (file preserved
 * already, in this or another session), ENOSPC (65536 files in the
 * session), and the handler's own errors.
 */
struct liveupdate_session_preserve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_PRESERVE_FD					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD)

/**
 * struct liveupdate_session_retrieve_fd - LIVEUPDATE_SESSION_RETRIEVE_FD
 * @size:  sizeof(struct liveupdate_session_retrieve_fd)
 * @fd:    out: a new file descriptor for the file (close-on-exec)
 * @token: in: the token the file was preserved with
 *
 * Incoming sessions only. Errors: ENOENT (no such token), or the error the
 * first failed attempt returned.
 */
struct liveupdate_session_retrieve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_RETRIEVE_FD					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_RETRIEVE_FD)

/**
 * struct liveupdate_session_finish - LIVEUPDATE_SESSION_FINISH
 * @size:     sizeof(struct liveupdate_session_finish)
 * @reserved: must be zero
 *
 * Incoming sessions only: ends the handover of the session. Files not
 * retrieved are freed. Errors: EINVAL, EBUSY (a handler refused).
 */
struct liveupdate_session_finish {
	__u32		size;
	__u32		reserved;
};

#define LIVEUPDATE_SESSION_FINISH					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_FINISH)

/**
 * struct liveupdate_session_get_name - LIVEUPDATE_SESSION_GET_NAME
 * @size:     sizeof(struct liveupdate_session_get_name)
 * @reserved: must be zero
 * @name:     out: the session's name, NUL-terminated
 */
struct liveupdate_session_get_name {
	__u32		size;
	__u32		reserved;
	__u8		name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_SESSION_GET_NAME					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME)

#endif /* _UAPI_LIVEUPDATE_H */
