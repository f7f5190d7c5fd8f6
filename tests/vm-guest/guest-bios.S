/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual machine of the VM live update tests: a 64 KiB flat -bios
 * image for QEMU's x86 PC, run in real mode. On a real boot it prints
 * "GUEST: BOOT", fills 512 KiB of its RAM (0x10000-0x8ffff) with a
 * pattern and records the pattern's checksum; then it counts forever and
 * every 2^18 counts prints "GUEST: TICK <counter> SUM <checksum> OK" (BAD
 * when its RAM no longer matches). A VM resumed from a migration goes on
 * counting where it stopped, without printing BOOT.
 *
 * Build: as --32, then ld -m elf_i386 -Ttext 0 --oformat binary.
 */
	.code16
	.text

#define STATE	0x500		/* in segment 0: magic, counter, checksum */
#define MAGIC	0x4b484f56	/* "VOHK" */
#define COM1	0x3f8

	.globl	_start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	movw	$0x7000, %sp
	movw	$msg_boot, %si
	call	puts
	call	fill
	call	checksum
	movl	%eax, STATE + 8
	movl	$0, STATE + 4
	movl	$MAGIC, STATE
count:
	incl	STATE + 4
	testl	$0x3ffff, STATE + 4
	jnz	count
	movw	$msg_tick, %si
	call	puts
	movl	STATE + 4, %eax
	call	puthex
	movw	$msg_sum, %si
	call	puts
	call	checksum
	pushl	%eax
	call	puthex
	popl	%eax
	movw	$msg_ok, %si
	cmpl	STATE + 8, %eax
	je	1f
	movw	$msg_bad, %si
1:	call	puts
	jmp	count

/* Fill 0x10000-0x8ffff: the dword at offset o of segment s is s:o mixed. */
fill:
	movw	$0x1000, %bx
1:	movw	%bx, %es
	xorw	%di, %di
2:	movw	%bx, %ax
	shll	$16, %eax
	movw	%di, %ax
	imull	$0x9e3779b1, %eax, %eax
	movl	%eax, %es:(%di)
	addw	$4, %di
	jnz	2b
	addw	$0x1000, %bx
	cmpw	$0x9000, %bx
	jne	1b
	ret

/* %eax = checksum of 0x10000-0x8ffff. */
checksum:
	xorl	%eax, %eax
	movw	$0x1000, %bx
1:	movw	%bx, %es
	xorw	%di, %di
2:	roll	$5, %eax
	xorl	%es:(%di), %eax
	addw	$4, %di
	jnz	2b
	addw	$0x1000, %bx
	cmpw	$0x9000, %bx
	jne	1b
	ret

/* Print %eax as 8 hex digits. */
puthex:
	movw	$8, %cx
1:	roll	$4, %eax
	pushl	%eax
	andb	$0xf, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	2f
	addb	$'a' - '0' - 10, %al
2:	call	putc
	popl	%eax
	loop	1b
	ret

/* Print the NUL-terminated string at %cs:%si. */
puts:
	movb	%cs:(%si), %al
	incw	%si
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

/* Print %al on COM1 once its transmitter is empty. */
putc:
	pushw	%ax
	movw	$COM1 + 5, %dx
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	popw	%ax
	movw	$COM1, %dx
	outb	%al, %dx
	ret

msg_boot:	.asciz	"GUEST: BOOT\r\n"
msg_tick:	.asciz	"GUEST: TICK "
msg_sum:	.asciz	" SUM "
msg_ok:		.asciz	" OK\r\n"
msg_bad:	.asciz	" BAD\r\n"

	/* The CPU starts at 0xffff0: jump to the code. */
	.org	0xfff0
	ljmp	$0xf000, $_start
	.org	0x10000
