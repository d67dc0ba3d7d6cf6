/*
 * stillheap's settings sectors on Moddable's Pico build: the last two 4 KB sectors of the flash (flash.c).
 * Offsets are from the start of the flash.
 */
function settingsOffset() @ "xs_stillheap_flash_settings";
function erase(offset) @ "xs_stillheap_flash_erase";
function program(offset, buffer, start, length) @ "xs_stillheap_flash_program";
function read(offset, buffer, start, length) @ "xs_stillheap_flash_read";

export { settingsOffset, erase, program, read };
