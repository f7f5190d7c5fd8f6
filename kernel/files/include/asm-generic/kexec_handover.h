/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __ASM_GENERIC_KEXEC_HANDOVER_H
#define __ASM_GENERIC_KEXEC_HANDOVER_H

#include <linux/types.h>

/*
 * One scratch area: memory the next kernel may use freely during early
 * boot because nothing preserved ever lives there. An array of these is
 * handed to the next kernel. Same layout as upstream Linux
 * (include/asm-generic/kexec_handover.h).
 */
struct kho_scratch {
	phys_addr_t addr;
	phys_addr_t size;
};

#endif /* __ASM_GENERIC_KEXEC_HANDOVER_H */
