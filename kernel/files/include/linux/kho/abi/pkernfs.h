/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_PKERNFS_H
#define _LINUX_KHO_ABI_PKERNFS_H

#include <linux/build_bug.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/types.h>

/**
 * DOC: pkernfs handover wire format
 *
 * pkernfs hands its instances to the next kernel under the KHO subtree
 * %PKERNFS_KHO_NODE. The subtree's blob is a struct pkernfs_kho_root
 * (memory from kho_alloc_preserve()) listing every instance by name; each
 * instance is one stream in a preserved vmalloc area::
 *
 *   struct pkernfs_kho_header                      @header_bytes
 *   struct pkernfs_kho_inode    [nr_inodes]        @inode_bytes each
 *   u64 extent                  [nr_extents]
 *   char names                  [names_bytes]      not NUL-terminated
 *
 * Inode 0 is the root directory. Every other inode names its parent, a
 * directory with a smaller index, so the records are in tree order and
 * cannot form a cycle. A regular file owns the extents
 * [@first_extent, @first_extent + @nr_extents), which follow those of the
 * file before it; they describe the file from page 0 on:
 *
 * - a folio: bits 0-51 its first page frame, bits 52-57 its order; it is
 *   preserved with kho_preserve_folio() and holds the next 2^order pages
 *   of the file, which must be aligned to 2^order;
 * - a hole (bit 63 set): bits 0-51 the number of pages skipped.
 *
 * Pages of the file not covered by a folio read as zeroes. Eight bytes per
 * folio: 4 KiB of extents per GiB held in 2 MiB folios.
 *
 * Values are in the byte order of the kernels (the same machine). This is
 * a contract between kernels: a change that an older kernel could not
 * read must change %PKERNFS_KHO_COMPATIBLE. Fields may be appended to the
 * header and to the inode record within a version: their sizes are
 * recorded (@header_bytes, @inode_bytes) and a reader ignores what it
 * does not know.
 */
/**
 * DOC: pkernfs-v2, on KSTATE
 *
 * Under %PKERNFS_KHO_COMPATIBLE_V2 the root is the same, but each
 * instance's @stream and @bytes are zero: its content travels as a KSTATE
 * record (see include/linux/kho/abi/kstate.h) of the description
 * %PKERNFS_KSTATE_NAME whose instance id is the instance's index in the
 * root. The record holds the header's values (size_limit, node, flags)
 * and three arrays: the inodes (each field of struct pkernfs_kho_inode by
 * name), the extents and the name area, with their counts (nr_inodes,
 * nr_extents, names_bytes). A reader rebuilds the v1 stream from them and
 * checks it as it checks a v1 stream. Being self-describing, the record
 * can gain fields without breaking either direction. Kernels write v2 by
 * default and read both; the module parameter pkernfs.format=1 makes one
 * write v1.
 */
#define PKERNFS_KHO_NODE	"pkernfs"
#define PKERNFS_KHO_COMPATIBLE	"pkernfs-v1"
#define PKERNFS_KHO_COMPATIBLE_V2	"pkernfs-v2"
#define PKERNFS_KSTATE_NAME	"pkernfs-instance"
#define PKERNFS_KHO_MAGIC	0x53464b50	/* "PKFS" */
#define PKERNFS_KHO_VERSION	1

/* Longest instance name, without its NUL. */
#define PKERNFS_NAME_MAX	63
/* Most instances in one handover, inodes in one instance. */
#define PKERNFS_KHO_MAX_INSTANCES	256
#define PKERNFS_KHO_MAX_INODES		(1U << 20)

#define PKERNFS_EXTENT_PFN_MASK		((1ULL << 52) - 1)
#define PKERNFS_EXTENT_ORDER_SHIFT	52
#define PKERNFS_EXTENT_ORDER_MASK	0x3fULL
#define PKERNFS_EXTENT_HOLE		(1ULL << 63)
/* Bits that must be zero in a folio extent. */
#define PKERNFS_EXTENT_RESERVED		(0x1fULL << 58)

/* struct pkernfs_kho_header.flags */
#define PKERNFS_KHO_SECRET	(1U << 0)	/* mounted with "secret" */
#define PKERNFS_KHO_FLAGS	PKERNFS_KHO_SECRET

/**
 * struct pkernfs_kho_ref - one instance in the root
 * @name:   the instance's name, NUL-padded; at least one NUL
 * @stream: preserved vmalloc area holding its stream
 * @bytes:  length of the stream
 */
struct pkernfs_kho_ref {
	char name[PKERNFS_NAME_MAX + 1];
	struct kho_vmalloc stream;
	u64 bytes;
};

/**
 * struct pkernfs_kho_root - the blob of the %PKERNFS_KHO_NODE subtree
 * @compatible:   %PKERNFS_KHO_COMPATIBLE, NUL-padded
 * @nr_instances: entries in @inst
 * @reserved:     zero
 * @inst:         the instances
 */
struct pkernfs_kho_root {
	char compatible[16];
	u32 nr_instances;
	u32 reserved;
	struct pkernfs_kho_ref inst[];
};

/**
 * struct pkernfs_kho_header - start of an instance's stream
 * @magic:        %PKERNFS_KHO_MAGIC
 * @version:      %PKERNFS_KHO_VERSION
 * @header_bytes: size of this header as written (at least its v1 size)
 * @inode_bytes:  size of each inode record as written
 * @bytes:        length of the whole stream
 * @size_limit:   the instance's size= in bytes; 0 for none
 * @node:         the instance's node=, or -1
 * @flags:        PKERNFS_KHO_*
 * @nr_inodes:    inode records, the root included
 * @reserved:     zero
 * @nr_extents:   extents of all files
 * @names_bytes:  length of the name area
 */
struct pkernfs_kho_header {
	u32 magic;
	u32 version;
	u16 header_bytes;
	u16 inode_bytes;
	u32 reserved;
	u64 bytes;
	u64 size_limit;
	s32 node;
	u32 flags;
	u32 nr_inodes;
	u32 reserved2;
	u64 nr_extents;
	u64 names_bytes;
};

/**
 * struct pkernfs_kho_inode - one file or directory
 * @parent:       index of the parent directory (0 for the root itself)
 * @mode:         type and permissions; only S_IFREG and S_IFDIR
 * @uid:          owner, in the initial user namespace
 * @gid:          group, in the initial user namespace
 * @name_len:     length of the name (0 for the root only)
 * @reserved:     zero
 * @name_off:     offset of the name in the name area
 * @size:         file size in bytes (0 for a directory)
 * @atime:        access time, seconds
 * @mtime:        modification time, seconds
 * @ctime:        change time, seconds
 * @atime_nsec:   nanoseconds of @atime
 * @mtime_nsec:   nanoseconds of @mtime
 * @ctime_nsec:   nanoseconds of @ctime
 * @reserved2:    zero
 * @first_extent: index of the file's first extent
 * @nr_extents:   number of extents of the file (0 for a directory)
 */
struct pkernfs_kho_inode {
	u32 parent;
	u32 mode;
	u32 uid;
	u32 gid;
	u16 name_len;
	u16 reserved;
	u32 name_off;
	u64 size;
	s64 atime;
	s64 mtime;
	s64 ctime;
	u32 atime_nsec;
	u32 mtime_nsec;
	u32 ctime_nsec;
	u32 reserved2;
	u64 first_extent;
	u64 nr_extents;
};

static_assert(sizeof(struct pkernfs_kho_ref) == 88);
static_assert(sizeof(struct pkernfs_kho_root) == 24);
static_assert(sizeof(struct pkernfs_kho_header) == 64);
static_assert(sizeof(struct pkernfs_kho_inode) == 88);

#endif /* _LINUX_KHO_ABI_PKERNFS_H */
