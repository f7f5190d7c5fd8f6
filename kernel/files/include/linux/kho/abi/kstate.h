/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_KSTATE_H
#define _LINUX_KHO_ABI_KSTATE_H

#include <linux/build_bug.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/types.h>

/**
 * DOC: KSTATE handover wire format
 *
 * KSTATE is an extension of this series (upstream Linux has no such
 * format). It hands the instances registered with kstate_register() to
 * the next kernel under the KHO subtree %KSTATE_KHO_NODE, whose blob is a
 * struct kstate_kho_root (memory from kho_alloc_preserve()). The root
 * names one stream in a preserved vmalloc area::
 *
 *   struct kstate_stream_hdr
 *   record [nr_records]
 *
 * A record is one instance::
 *
 *   struct kstate_record_hdr                   @bytes: the whole record
 *   char name[name_len]                        not NUL-terminated
 *   object
 *
 * An object describes itself, so that a reader can match fields by name,
 * skip fields it does not know and keep defaults for fields the writer
 * did not have::
 *
 *   struct kstate_object_hdr
 *   field [nr_fields]:
 *     struct kstate_field_hdr, char name[name_len], payload[payload_bytes]
 *   subsection [nr_subsections]:
 *     struct kstate_sub_hdr, char name[name_len], object
 *
 * A payload holds @count elements one after another, by kind:
 *
 * - %KSTATE_K_UNSIGNED, %KSTATE_K_SIGNED, %KSTATE_K_BOOL: @elem_bytes
 *   bytes each (1, 2, 4 or 8).
 * - %KSTATE_K_STRING, %KSTATE_K_CUSTOM: u32 length, then the bytes.
 * - %KSTATE_K_STRUCT: u32 version, u32 length, then an object; or, when
 *   the field header has %KSTATE_FIELD_PACKED (structures of scalars
 *   only), the elements as rows: u32 version, u16 number of columns, u16
 *   zero, a struct kstate_field_hdr and name per column (its
 *   @payload_bytes the column's bytes in one row), then @count rows of
 *   the columns' values one after another.
 * - %KSTATE_K_POINTER, %KSTATE_K_PTR_ARRAY: u8 present; when 1, u32
 *   version, u32 length, then an object.
 * - %KSTATE_K_FOLIO: u64 physical address (0: none), u32 order.
 * - %KSTATE_K_PAGES: u64 physical address (0: none), u64 page count.
 * - %KSTATE_K_VMALLOC: u8 present; when 1, a struct kho_vmalloc.
 *
 * An array of integers (%KSTATE_K_UNSIGNED, %KSTATE_K_SIGNED) may be
 * handed over where it lies instead (%KSTATE_FIELD_PRESERVED in the field
 * header): the payload is a struct kho_vmalloc naming a preserved vmalloc
 * area whose first @count * @elem_bytes bytes are the elements; the area
 * holds at most twice that, rounded up to whole pages, plus one page.
 * Readers older than this flag refuse such a field (unknown flag) and
 * with it the record, cleanly.
 *
 * Memory named by the last three was preserved with KHO by the writer.
 * Values are in the byte order of the kernels (the same machine), not
 * aligned. Every length, count and nesting level is checked by the reader
 * against the record it sits in and against %KSTATE_MAX_DEPTH,
 * %KSTATE_NAME_MAX and %KSTATE_MAX_FIELDS. A change that a reader of this
 * format could not parse must change %KSTATE_KHO_COMPATIBLE.
 */
#define KSTATE_KHO_NODE		"kstate"
#define KSTATE_KHO_COMPATIBLE	"kstate-v1"
#define KSTATE_STREAM_MAGIC	0x5453534b	/* "KSST" */
#define KSTATE_STREAM_VERSION	1

/* Longest name of a description, field or subsection, without NUL. */
#define KSTATE_NAME_MAX		63
/* Fields in one description (nest descriptions for more). */
#define KSTATE_MAX_FIELDS	64
/* Subsections of one description. */
#define KSTATE_MAX_SUBSECTIONS	16
/* Objects inside objects, the record's own object being level 1. */
#define KSTATE_MAX_DEPTH	8
/* Records in one stream and bytes of one stream. */
#define KSTATE_MAX_RECORDS	65536
#define KSTATE_MAX_STREAM	(64U << 20)

/* struct kstate_field_hdr.flags: a structure array written as rows. */
#define KSTATE_FIELD_PACKED	0x1
/* ... an integer array left in place, in a preserved vmalloc area. */
#define KSTATE_FIELD_PRESERVED	0x2

/* Field kinds. */
enum kstate_wire_kind {
	KSTATE_K_UNSIGNED	= 1,
	KSTATE_K_SIGNED		= 2,
	KSTATE_K_BOOL		= 3,
	KSTATE_K_STRING		= 4,
	KSTATE_K_STRUCT		= 5,
	KSTATE_K_POINTER	= 6,
	KSTATE_K_PTR_ARRAY	= 7,
	KSTATE_K_FOLIO		= 8,
	KSTATE_K_PAGES		= 9,
	KSTATE_K_VMALLOC	= 10,
	KSTATE_K_CUSTOM		= 11,
};

/**
 * struct kstate_kho_root - the blob of the "kstate" KHO subtree
 * @compatible: %KSTATE_KHO_COMPATIBLE, NUL-padded
 * @bytes: bytes of the stream (0: no instance was registered)
 * @stream: the preserved vmalloc area holding the stream
 */
struct kstate_kho_root {
	char compatible[16];
	u64 bytes;
	struct kho_vmalloc stream;
};

/**
 * struct kstate_stream_hdr - start of the stream
 * @magic: %KSTATE_STREAM_MAGIC
 * @version: %KSTATE_STREAM_VERSION
 * @hdr_bytes: size of this header (readers skip what they do not know)
 * @nr_records: records that follow
 * @bytes: bytes of the whole stream, this header included
 */
struct kstate_stream_hdr {
	u32 magic;
	u16 version;
	u16 hdr_bytes;
	u32 nr_records;
	u32 bytes;
};

/**
 * struct kstate_record_hdr - one registered instance
 * @bytes: bytes of the record, this header included
 * @instance_id: the instance_id given to kstate_register()
 * @version_id: the writer's version of the description
 * @name_len: bytes of the description's name that follow
 * @reserved: zero
 */
struct kstate_record_hdr {
	u32 bytes;
	u32 instance_id;
	u32 version_id;
	u8 name_len;
	u8 reserved[3];
};

/**
 * struct kstate_object_hdr - start of an object
 * @nr_fields: fields that follow
 * @nr_subsections: subsections after the fields
 */
struct kstate_object_hdr {
	u16 nr_fields;
	u16 nr_subsections;
};

/**
 * struct kstate_field_hdr - one field of an object
 * @kind: an enum kstate_wire_kind
 * @name_len: bytes of the field's name that follow
 * @flags: %KSTATE_FIELD_PACKED, %KSTATE_FIELD_PRESERVED or zero
 * @elem_bytes: bytes of one element in the writer's object (scalars: the
 *	width of the value in the payload)
 * @count: elements in the payload
 * @payload_bytes: bytes of the payload after the name
 */
struct kstate_field_hdr {
	u8 kind;
	u8 name_len;
	u16 flags;
	u32 elem_bytes;
	u32 count;
	u32 payload_bytes;
};

/**
 * struct kstate_sub_hdr - one subsection of an object
 * @name_len: bytes of the subsection's name that follow
 * @reserved: zero
 * @version_id: the writer's version of the subsection
 * @bytes: bytes of the object after the name
 */
struct kstate_sub_hdr {
	u8 name_len;
	u8 reserved[3];
	u32 version_id;
	u32 bytes;
};

static_assert(sizeof(struct kstate_stream_hdr) == 16);
static_assert(sizeof(struct kstate_record_hdr) == 16);
static_assert(sizeof(struct kstate_object_hdr) == 4);
static_assert(sizeof(struct kstate_field_hdr) == 16);
static_assert(sizeof(struct kstate_sub_hdr) == 12);

#endif /* _LINUX_KHO_ABI_KSTATE_H */
