/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_KEXEC_HANDOVER_H
#define _LINUX_KHO_ABI_KEXEC_HANDOVER_H

#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/typecheck.h>
#include <linux/types.h>

#include <asm/page.h>

/**
 * DOC: KHO wire format
 *
 * This header is the contract between a kernel that hands state over and
 * the kernel it kexecs into. It matches upstream Linux byte for byte
 * (include/linux/kho/abi/kexec_handover.h, compatible "kho-v4"), so state
 * moves between this 6.12 kernel and upstream kernels in both directions.
 * Any change to the layout, the property names or the meaning of a field
 * must bump %KHO_FDT_COMPATIBLE; a kernel refuses a handover whose
 * compatible string it does not know.
 *
 * The root of a handover is one page holding a flattened device tree::
 *
 *   / {
 *       compatible = "kho-v4";
 *       preserved-memory-map = <u64: phys of the radix tree root>;
 *
 *       <name> {                       one node per kho_add_subtree()
 *           preserved-data = <u64: phys of the blob>;
 *           blob-size = <u64: bytes>;
 *       };
 *   };
 *
 * Integer properties are stored in the CPU's native byte order (not the
 * big-endian order of ordinary device trees): both kernels run on the
 * same machine.
 *
 * On x86 the root FDT and the scratch array reach the next kernel through
 * a setup_data entry of type SETUP_KEXEC_KHO (struct kho_data); on device
 * tree machines (arm64) through the /chosen properties "linux,kho-fdt"
 * and "linux,kho-scratch", one address and size each, as upstream Linux
 * has them.
 */
#define KHO_FDT_COMPATIBLE "kho-v4"
#define KHO_FDT_MEMORY_MAP_PROP_NAME "preserved-memory-map"
#define KHO_SUB_TREE_PROP_NAME "preserved-data"
#define KHO_SUB_TREE_SIZE_PROP_NAME "blob-size"

/**
 * DOC: serialized pointers
 *
 * Structures that cross kexec store pointers as physical addresses. The
 * union keeps the typed pointer for the kernel that fills it in.
 */
#define DECLARE_KHOSER_PTR(name, type)	\
	union {				\
		u64 phys;		\
		type ptr;		\
	} name

#define KHOSER_STORE_PTR(dest, val)			\
	({						\
		typeof(val) __kho_v = (val);		\
		typecheck(typeof((dest).ptr), __kho_v);	\
		(dest).phys = virt_to_phys(__kho_v);	\
	})

#define KHOSER_LOAD_PTR(src)						\
	({								\
		typeof(src) __kho_s = (src);				\
		(typeof((__kho_s).ptr))((__kho_s).phys ?		\
			phys_to_virt((__kho_s).phys) : NULL);		\
	})

/**
 * DOC: vmalloc preservation
 *
 * A preserved vmalloc area is described by &struct kho_vmalloc, which
 * points to a singly linked list of one-page &struct kho_vmalloc_chunk.
 * Each chunk lists the physical addresses of the area's pages (each a
 * block of 2^order pages), terminated by a zero entry or the end of the
 * chunk. The chunks are preserved pages themselves.
 */
struct kho_vmalloc_hdr {
	DECLARE_KHOSER_PTR(next, struct kho_vmalloc_chunk *);
};

#define KHO_VMALLOC_SIZE \
	((PAGE_SIZE - sizeof(struct kho_vmalloc_hdr)) / sizeof(u64))

struct kho_vmalloc_chunk {
	struct kho_vmalloc_hdr hdr;
	u64 phys[KHO_VMALLOC_SIZE];
};

static_assert(sizeof(struct kho_vmalloc_chunk) == PAGE_SIZE);

struct kho_vmalloc {
	DECLARE_KHOSER_PTR(first, struct kho_vmalloc_chunk *);
	unsigned int total_pages;
	unsigned short flags;
	unsigned short order;
};

/**
 * DOC: preserved memory map
 *
 * Preserved memory is tracked in a radix tree whose nodes are single
 * pages. Every preserved block (2^order pages, naturally aligned) is one
 * key::
 *
 *   key = (1 << (64 - PAGE_SHIFT - order)) | (phys >> (PAGE_SHIFT + order))
 *
 * The position of the highest set bit encodes the order, the bits below
 * it the block number. With 4 KiB pages a key has 53 significant bits:
 * the lowest 15 index a bit in a leaf page (a 32768-bit bitmap), each
 * further 9 bits index a table of 512 u64 physical addresses in one level
 * of interior nodes, six levels in all counting the leaves. An empty table
 * slot is zero. Interior node and leaf pages are not themselves recorded
 * as preserved; the next kernel must not reuse them before it has read the
 * tree.
 */
enum kho_radix_consts {
	KHO_RADIX_KEY_WIDTH = 64 - PAGE_SHIFT + 1,
	KHO_TABLE_SIZE_LOG2 = const_ilog2(PAGE_SIZE / sizeof(phys_addr_t)),
	KHO_BITMAP_SIZE_LOG2 = PAGE_SHIFT + const_ilog2(BITS_PER_BYTE),
	KHO_TREE_MAX_DEPTH =
		DIV_ROUND_UP(KHO_RADIX_KEY_WIDTH - KHO_BITMAP_SIZE_LOG2,
			     KHO_TABLE_SIZE_LOG2) + 1,
};

struct kho_radix_node {
	u64 table[1 << KHO_TABLE_SIZE_LOG2];
};

struct kho_radix_leaf {
	DECLARE_BITMAP(bitmap, 1 << KHO_BITMAP_SIZE_LOG2);
};

#endif /* _LINUX_KHO_ABI_KEXEC_HANDOVER_H */
