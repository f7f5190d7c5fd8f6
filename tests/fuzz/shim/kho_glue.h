/* SPDX-License-Identifier: GPL-2.0 */
/* Hooks into kexec_handover.c's state for the fuzz targets (kho_glue.c). */
#ifndef KHO_GLUE_H
#define KHO_GLUE_H

struct kho_block;

void kf_kho_reset(void);
void kf_kho_incoming(struct kho_block *blocks, unsigned long nr,
		     const void *fdt);
void kf_kho_end_of_boot(void);
int kf_kho_boot(phys_addr_t fdt_phys, u64 fdt_len, phys_addr_t scratch_phys,
		u64 scratch_len);
void kf_kho_release(void);
const void *kf_kho_in_fdt(void);
int kf_kho_out_init(void);
void *kf_kho_out_fdt(void);
void kf_vm_reset(void);
int kf_kho_out_walk(int (*leaf)(unsigned long key, void *data), void *data);

#endif /* KHO_GLUE_H */
