/* Second-stage boot for the RP2040: the bootrom copies these 256 bytes to SRAM 0x20041f00, checks the CRC32 in the
 * last four (patched in after linking) and enters with LR = 0. This boot2 sets the XIP SSI up for plain 03h serial
 * reads, which every SPI NOR flash answers (slower than quad mode, always correct), then vectors into the image at
 * 0x10000100. Written from the RP2040 datasheet, §2.8.1 and §4.10 (SSI). */
    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .boot2, "ax"
    .global _boot2
    .type _boot2, %function
_boot2:
    push {lr}
    ldr  r3, =0x18000000          /* XIP_SSI_BASE */
    movs r1, #0
    str  r1, [r3, #0x08]          /* SSIENR = 0: disable to reconfigure */
    movs r1, #4
    str  r1, [r3, #0x14]          /* BAUDR = 4: clk_sys / 4 */
    ldr  r1, =0x001f0300          /* CTRLR0: standard SPI, 32-bit frames, EEPROM read */
    str  r1, [r3, #0x00]
    ldr  r0, =0x180000f4          /* SPI_CTRLR0 */
    ldr  r1, =0x03000218          /* XIP command 03h, 8-bit instruction, 24-bit address */
    str  r1, [r0]
    movs r1, #0
    str  r1, [r3, #0x04]          /* CTRLR1: NDF = 0 */
    movs r1, #1
    str  r1, [r3, #0x08]          /* SSIENR = 1 */
    pop  {r0}
    cmp  r0, #0                   /* LR = 0: entered from the bootrom */
    beq  vector_into_flash
    bx   r0
vector_into_flash:
    ldr  r0, =0x10000100
    ldr  r1, =0xe000ed08          /* VTOR */
    str  r0, [r1]
    ldmia r0, {r0, r1}
    msr  msp, r0
    bx   r1
    .ltorg
