/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_LUO_H
#define _LINUX_KHO_ABI_LUO_H

#include <linux/align.h>
#include <linux/kho/abi/block.h>
#include <linux/types.h>
#include <uapi/linux/liveupdate.h>

/**
 * DOC: Live Update Orchestrator wire format
 *
 * This header is a contract between the kernel that hands userspace state
 * over and the kernel it kexecs into. It matches upstream Linux's
 * include/linux/kho/abi/luo.h ("luo-v5") byte for byte, so sessions move
 * between this kernel and upstream kernels in both directions. Any change
 * to a layout or to the meaning of a field must change
 * %LUO_ABI_COMPATIBLE; a kernel refuses LUO state whose compatible string
 * it does not know.
 *
 * The state is the KHO subtree named %LUO_KHO_ENTRY_NAME, whose blob is a
 * struct luo_ser. From it::
 *
 *   luo_ser.sessions_pa -> block chain of struct luo_session_ser
 *       luo_session_ser.file_set_ser.files -> block chain of
 *           struct luo_file_ser, file_set_ser.count entries in all
 *               luo_file_ser.data -> owned by the file handler named by
 *                                    luo_file_ser.compatible
 *   luo_ser.flbs_pa -> struct luo_flb_header_ser, then its entries
 *
 * Every address is physical and every page it names was preserved with
 * KHO; 0 means "none". Strings are NUL-padded.
 */
#define LUO_KHO_ENTRY_NAME	"LUO"
#define LUO_ABI_COMPATIBLE	"luo-v5"
#define LUO_ABI_COMPAT_LEN	ALIGN(sizeof(LUO_ABI_COMPATIBLE), 8)

/**
 * struct luo_ser - root of the LUO state
 * @compatible:     %LUO_ABI_COMPATIBLE
 * @liveupdate_num: number of live updates so far, counting this one
 * @sessions_pa:    first page of the session chain, 0 if no session
 * @flbs_pa:        FLB header, 0 if none
 */
struct luo_ser {
	char compatible[LUO_ABI_COMPAT_LEN];
	u64 liveupdate_num;
	u64 sessions_pa;
	u64 flbs_pa;
} __packed;

/* Bytes in a file handler's compatible string, including the NUL */
#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48

/**
 * struct luo_file_ser - one preserved file
 * @compatible: compatible string of the handler that preserved it
 * @data:       the handler's handle to its own state (usually physical)
 * @token:      the token userspace preserved the file with
 */
struct luo_file_ser {
	char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	u64 data;
	u64 token;
} __packed;

/**
 * struct luo_file_set_ser - the files of one session
 * @files: first page of the block chain of struct luo_file_ser, or 0
 * @count: number of files in the chain
 */
struct luo_file_set_ser {
	u64 files;
	u64 count;
} __packed;

/**
 * struct luo_session_ser - one session
 * @name:         the session's name, NUL-terminated
 * @file_set_ser: its files
 */
struct luo_session_ser {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	struct luo_file_set_ser file_set_ser;
} __packed;

/* Bytes in an FLB compatible string, including the NUL */
#define LIVEUPDATE_FLB_COMPAT_LENGTH	48

/**
 * struct luo_flb_header_ser - header of the FLB pages
 * @pgcnt: pages of the whole region, header included
 * @count: number of struct luo_flb_ser entries after the header
 *
 * File-lifecycle-bound objects are shared state of an upstream file type.
 * This kernel registers none and writes 0 to &luo_ser.flbs_pa; incoming
 * FLB entries are reported and their memory is released.
 */
struct luo_flb_header_ser {
	u64 pgcnt;
	u64 count;
} __packed;

/**
 * struct luo_flb_ser - one file-lifecycle-bound object
 * @name:  its compatible string
 * @data:  the owner's handle to its state
 * @count: number of preserved files that used it
 */
struct luo_flb_ser {
	char name[LIVEUPDATE_FLB_COMPAT_LENGTH];
	u64 data;
	u64 count;
} __packed;

#endif /* _LINUX_KHO_ABI_LUO_H */
