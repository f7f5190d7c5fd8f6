/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KSTATE_H
#define _LINUX_KSTATE_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kho/abi/kstate.h>
#include <linux/stddef.h>
#include <linux/types.h>

/*
 * KSTATE: typed, versioned descriptions of kernel state, saved at kexec
 * into a KHO subtree and restored by the next kernel when it registers
 * the same description. See Documentation/core-api/kho/kstate.rst.
 */

struct kstate_writer;
struct kstate_description;

/* How a field is stored in the object; the wire kinds of abi/kstate.h. */
enum kstate_kind {
	KSTATE_UNSIGNED		= KSTATE_K_UNSIGNED,
	KSTATE_SIGNED		= KSTATE_K_SIGNED,
	KSTATE_BOOL		= KSTATE_K_BOOL,
	KSTATE_STRING		= KSTATE_K_STRING,
	KSTATE_STRUCT		= KSTATE_K_STRUCT,
	KSTATE_POINTER		= KSTATE_K_POINTER,
	KSTATE_PTR_ARRAY	= KSTATE_K_PTR_ARRAY,
	KSTATE_FOLIO		= KSTATE_K_FOLIO,
	KSTATE_PAGES		= KSTATE_K_PAGES,
	KSTATE_VMALLOC		= KSTATE_K_VMALLOC,
	KSTATE_CUSTOM		= KSTATE_K_CUSTOM,
};

/* The element count is another field's value (@count_offset, @count_size). */
#define KSTATE_F_VARRAY		BIT(0)
/* Absent from the incoming object: set to @def (scalars). */
#define KSTATE_F_DEFAULT	BIT(1)
/*
 * The field is a pointer to an array of elements (kvcalloc()ed by the
 * restore), as many as another field says (@count_offset, @count_size),
 * at most @count. An array of integers of at least %KSTATE_INPLACE_MIN
 * bytes that the object keeps in vmalloc memory of its own (vmalloc(),
 * vrealloc(); the pointer is the start of the area) is not copied: its
 * pages are handed over and the restore maps them again, so the restored
 * array is vmalloc memory. Either way the owner frees it with kvfree().
 */
#define KSTATE_F_ALLOC		BIT(2)
#define KSTATE_F_ARRAYS		(KSTATE_F_VARRAY | KSTATE_F_ALLOC)
/* Smallest %KSTATE_F_ALLOC integer array handed over in place. */
#define KSTATE_INPLACE_MIN	(2 * PAGE_SIZE)

/**
 * struct kstate_field - one field of a described object
 * @name: unique within the description; how readers match fields
 * @kind: how the field is stored
 * @flags: %KSTATE_F_VARRAY, %KSTATE_F_ALLOC, %KSTATE_F_DEFAULT
 * @version_id: the description's version that added the field
 * @offset: offsetof() the field in the object
 * @size: bytes of one element: the scalar's width, a string's buffer,
 *	sizeof() a nested structure, or of a pointer
 * @count: elements (fixed arrays), room for elements (%KSTATE_F_VARRAY),
 *	or the most elements accepted (%KSTATE_F_ALLOC)
 * @count_offset: %KSTATE_F_VARRAY, %KSTATE_F_ALLOC and %KSTATE_PAGES:
 *	where the element (or page) count is in the object
 * @count_size: width of that count: 1, 2, 4 or 8
 * @desc: %KSTATE_STRUCT, %KSTATE_POINTER, %KSTATE_PTR_ARRAY: the nested
 *	description
 * @def: %KSTATE_F_DEFAULT: the value of a scalar the writer did not have
 * @save: %KSTATE_CUSTOM: write the field with kstate_write_bytes()
 * @restore: %KSTATE_CUSTOM: take the bytes save() wrote (or fail)
 */
struct kstate_field {
	const char *name;
	enum kstate_kind kind;
	unsigned int flags;
	unsigned int version_id;
	size_t offset;
	size_t size;
	unsigned int count;
	size_t count_offset;
	size_t count_size;
	const struct kstate_description *desc;
	u64 def;
	int (*save)(struct kstate_writer *w, const void *field);
	int (*restore)(void *field, const void *bytes, size_t len);
};

/**
 * struct kstate_description - a typed, versioned description of an object
 * @name: identifies the description in the stream (at most
 *	%KSTATE_NAME_MAX bytes)
 * @version_id: the version this kernel writes
 * @minimum_version_id: the oldest version this kernel reads; newer ones
 *	(a roll-back) are read too, their unknown fields skipped
 * @size: sizeof() the object; every field lies inside it
 * @fields: the fields, ended by an entry with a NULL @name
 *	(KSTATE_END_OF_LIST)
 * @subsections: optional, NULL-terminated: descriptions of more fields of
 *	the same object, each written only when its @needed says so; a
 *	reader that does not know a subsection it meets refuses the record
 * @needed: for a subsection: does this object need it written?
 * @post_load: optional: called on the restored copy before it replaces
 *	the object; an error refuses the record
 */
struct kstate_description {
	const char *name;
	unsigned int version_id;
	unsigned int minimum_version_id;
	size_t size;
	const struct kstate_field *fields;
	const struct kstate_description * const *subsections;
	bool (*needed)(const void *obj);
	int (*post_load)(void *obj, unsigned int version_id);
};

/* What kstate_register() found for the instance. */
enum kstate_restore_result {
	KSTATE_NOTHING		= 0,	/* nothing came: a fresh instance */
	KSTATE_RESTORED		= 1,	/* the previous kernel's state */
	KSTATE_REFUSED		= 2,	/* state came but was refused (logged) */
};

#define kstate_sizeof_field(type, member) sizeof_field(type, member)
#define kstate_elems(type, member) \
	(sizeof_field(type, member) / sizeof(((type *)0)->member[0]))

#define KSTATE_SCALAR_V(_kind, _type, _member, _ver) {			\
	.name = #_member, .kind = (_kind), .version_id = (_ver),	\
	.offset = offsetof(_type, _member),				\
	.size = sizeof_field(_type, _member), .count = 1 }

#define KSTATE_UINT_V(_type, _member, _ver)				\
	KSTATE_SCALAR_V(KSTATE_UNSIGNED, _type, _member, _ver)
#define KSTATE_UINT(_type, _member)	KSTATE_UINT_V(_type, _member, 0)
#define KSTATE_INT_V(_type, _member, _ver)				\
	KSTATE_SCALAR_V(KSTATE_SIGNED, _type, _member, _ver)
#define KSTATE_INT(_type, _member)	KSTATE_INT_V(_type, _member, 0)
#define KSTATE_BOOL_V(_type, _member, _ver)				\
	KSTATE_SCALAR_V(KSTATE_BOOL, _type, _member, _ver)
#define KSTATE_BOOLEAN(_type, _member)	KSTATE_BOOL_V(_type, _member, 0)

/* A scalar added in version _ver, _def when the writer did not have it. */
#define KSTATE_UINT_DEF(_type, _member, _ver, _def) {			\
	.name = #_member, .kind = KSTATE_UNSIGNED,			\
	.flags = KSTATE_F_DEFAULT, .version_id = (_ver), .def = (_def),	\
	.offset = offsetof(_type, _member),				\
	.size = sizeof_field(_type, _member), .count = 1 }

/* Fixed array of unsigned or signed scalars. */
#define KSTATE_UINT_ARRAY(_type, _member) {				\
	.name = #_member, .kind = KSTATE_UNSIGNED,			\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(((_type *)0)->_member[0]),			\
	.count = kstate_elems(_type, _member) }
#define KSTATE_INT_ARRAY(_type, _member) {				\
	.name = #_member, .kind = KSTATE_SIGNED,			\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(((_type *)0)->_member[0]),			\
	.count = kstate_elems(_type, _member) }

/* Array of unsigned scalars whose length is the field _len. */
#define KSTATE_UINT_VARRAY(_type, _member, _len) {			\
	.name = #_member, .kind = KSTATE_UNSIGNED,			\
	.flags = KSTATE_F_VARRAY,					\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(((_type *)0)->_member[0]),			\
	.count = kstate_elems(_type, _member),				\
	.count_offset = offsetof(_type, _len),				\
	.count_size = sizeof_field(_type, _len) }

/*
 * A pointer to _max or fewer elements (scalars, or structures of _desc),
 * kvcalloc()ed by the restore; its length is the field _len.
 */
#define KSTATE_UINT_ALLOC(_type, _member, _len, _max) {			\
	.name = #_member, .kind = KSTATE_UNSIGNED,			\
	.flags = KSTATE_F_ALLOC,					\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(*((_type *)0)->_member), .count = (_max),	\
	.count_offset = offsetof(_type, _len),				\
	.count_size = sizeof_field(_type, _len) }
#define KSTATE_STRUCT_ALLOC(_type, _member, _len, _desc, _max) {	\
	.name = #_member, .kind = KSTATE_STRUCT, .desc = (_desc),	\
	.flags = KSTATE_F_ALLOC,					\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(*((_type *)0)->_member), .count = (_max),	\
	.count_offset = offsetof(_type, _len),				\
	.count_size = sizeof_field(_type, _len) }

/* A char array holding a NUL-terminated string. */
#define KSTATE_STRING_BUF(_type, _member) {				\
	.name = #_member, .kind = KSTATE_STRING,			\
	.offset = offsetof(_type, _member),				\
	.size = sizeof_field(_type, _member), .count = 1 }

/* An embedded structure, or a fixed array of them. */
#define KSTATE_STRUCT_FIELD(_type, _member, _desc) {			\
	.name = #_member, .kind = KSTATE_STRUCT, .desc = (_desc),	\
	.offset = offsetof(_type, _member),				\
	.size = sizeof_field(_type, _member), .count = 1 }
#define KSTATE_STRUCT_ARRAY(_type, _member, _desc) {			\
	.name = #_member, .kind = KSTATE_STRUCT, .desc = (_desc),	\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(((_type *)0)->_member[0]),			\
	.count = kstate_elems(_type, _member) }

/* A pointer to an object of _desc (allocated by the restore). */
#define KSTATE_POINTER_FIELD(_type, _member, _desc) {			\
	.name = #_member, .kind = KSTATE_POINTER, .desc = (_desc),	\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(void *), .count = 1 }

/* An array of pointers to objects of _desc, its length the field _len. */
#define KSTATE_PTR_VARRAY(_type, _member, _len, _desc) {		\
	.name = #_member, .kind = KSTATE_PTR_ARRAY, .desc = (_desc),	\
	.flags = KSTATE_F_VARRAY,					\
	.offset = offsetof(_type, _member), .size = sizeof(void *),	\
	.count = kstate_elems(_type, _member),				\
	.count_offset = offsetof(_type, _len),				\
	.count_size = sizeof_field(_type, _len) }

/* Preserved memory: a struct folio *, a struct page * with its page count
 * in the field _nr, a vmalloc()ed void *.
 */
#define KSTATE_FOLIO_FIELD(_type, _member) {				\
	.name = #_member, .kind = KSTATE_FOLIO,				\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(void *), .count = 1 }
#define KSTATE_PAGES_FIELD(_type, _member, _nr) {			\
	.name = #_member, .kind = KSTATE_PAGES,				\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(void *), .count = 1,				\
	.count_offset = offsetof(_type, _nr),				\
	.count_size = sizeof_field(_type, _nr) }
#define KSTATE_VMALLOC_FIELD(_type, _member) {				\
	.name = #_member, .kind = KSTATE_VMALLOC,			\
	.offset = offsetof(_type, _member),				\
	.size = sizeof(void *), .count = 1 }

/* A field saved and restored by the caller's callbacks. */
#define KSTATE_CUSTOM_FIELD(_type, _member, _save, _restore) {		\
	.name = #_member, .kind = KSTATE_CUSTOM,			\
	.offset = offsetof(_type, _member),				\
	.size = sizeof_field(_type, _member), .count = 1,		\
	.save = (_save), .restore = (_restore) }

#define KSTATE_END_OF_LIST { }

#ifdef CONFIG_KSTATE
int kstate_check(const struct kstate_description *desc);
int kstate_register(const struct kstate_description *desc, void *obj,
		    u32 instance_id);
int kstate_restore(const struct kstate_description *desc, void *obj,
		   u32 instance_id);
void kstate_unregister(const struct kstate_description *desc, void *obj,
		       u32 instance_id);
int kstate_write_bytes(struct kstate_writer *w, const void *bytes,
		       size_t len);
#else
static inline int kstate_check(const struct kstate_description *desc)
{
	return 0;
}

static inline int kstate_register(const struct kstate_description *desc,
				  void *obj, u32 instance_id)
{
	return KSTATE_NOTHING;
}

static inline int kstate_restore(const struct kstate_description *desc,
				 void *obj, u32 instance_id)
{
	return KSTATE_NOTHING;
}

static inline void kstate_unregister(const struct kstate_description *desc,
				     void *obj, u32 instance_id) { }

static inline int kstate_write_bytes(struct kstate_writer *w,
				     const void *bytes, size_t len)
{
	return -EOPNOTSUPP;
}
#endif

/* Tests only: make the next kernel refuse this instance's record. */
#ifdef CONFIG_KSTATE_SELFTEST
void kstate_selftest_damage(const char *name, u32 instance_id);
#else
static inline void kstate_selftest_damage(const char *name, u32 instance_id)
{
}
#endif

#endif /* _LINUX_KSTATE_H */
