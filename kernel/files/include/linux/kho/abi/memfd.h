/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_ABI_MEMFD_H
#define _LINUX_KHO_ABI_MEMFD_H

#include <linux/bits.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/types.h>

/**
 * DOC: memfd live update wire format
 *
 * How the memfd file handler hands a memfd over: &luo_file_ser.data is the
 * physical address of a struct memfd_luo_ser (preserved with
 * kho_alloc_preserve()); its @folios is a preserved vmalloc area holding
 * @nr_folios struct memfd_luo_folio_ser, one per folio of the file, and
 * each folio is preserved with kho_preserve_folio().
 *
 * This is a contract matching upstream Linux's include/linux/kho/abi/memfd.h
 * ("memfd-v2") byte for byte; any change must change
 * %MEMFD_LUO_FH_COMPATIBLE.
 */
#define MEMFD_LUO_FH_COMPATIBLE	"memfd-v2"

/* The folio holds data written by the user */
#define MEMFD_LUO_FOLIO_DIRTY		BIT(0)
/* The folio's contents are valid (not merely allocated) */
#define MEMFD_LUO_FOLIO_UPTODATE	BIT(1)

/**
 * struct memfd_luo_folio_ser - one folio of a memfd
 * @pfn:   its first page frame; 0 for an empty slot
 * @flags: MEMFD_LUO_FOLIO_*
 * @index: its offset in the file, in pages
 */
struct memfd_luo_folio_ser {
	u64 pfn:52;
	u64 flags:12;
	u64 index;
} __packed;

/* The seals (F_SEAL_*, uAPI values) a memfd may carry across */
#define MEMFD_LUO_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
			     F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

/**
 * struct memfd_luo_ser - one memfd
 * @pos:       file position
 * @size:      file size in bytes
 * @seals:     F_SEAL_* seals
 * @flags:     reserved, zero
 * @nr_folios: entries in @folios
 * @folios:    preserved vmalloc area of struct memfd_luo_folio_ser
 */
struct memfd_luo_ser {
	u64 pos;
	u64 size;
	u32 seals;
	u32 flags;
	u64 nr_folios;
	struct kho_vmalloc folios;
} __packed;

#endif /* _LINUX_KHO_ABI_MEMFD_H */
