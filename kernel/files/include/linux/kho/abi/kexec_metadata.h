/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_KEXEC_METADATA_H
#define _LINUX_KHO_ABI_KEXEC_METADATA_H

#include <linux/types.h>
#include <linux/utsname.h>

/**
 * DOC: kexec-metadata subtree
 *
 * Every KHO kernel adds a subtree named "kexec-metadata" to its root FDT.
 * Its blob is a packed &struct kho_kexec_metadata telling the next kernel
 * which release it came from and how many KHO kexecs happened since the
 * last cold boot. The layout is a contract with upstream Linux
 * (include/linux/kho/abi/kexec_metadata.h): a change bumps
 * %KHO_KEXEC_METADATA_VERSION. A reader must check the version and the
 * blob size before using any field.
 */
#define KHO_KEXEC_METADATA_VERSION 1

#define KHO_METADATA_NODE_NAME "kexec-metadata"

struct kho_kexec_metadata {
	u32 version;
	char previous_release[__NEW_UTS_LEN + 1];
	u32 kexec_count;
} __packed;

#endif /* _LINUX_KHO_ABI_KEXEC_METADATA_H */
