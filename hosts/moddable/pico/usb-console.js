/*
 * What was typed on the Pico's USB serial console (usb-console.c): pico-sdk's stdio over USB CDC, the port trace()
 * writes to. In debug builds xsbug owns that port, and read gives nothing.
 */
function read(buffer, offset, count) @ "xs_stillheap_usb_read";
function available() @ "xs_stillheap_usb_available";

export { read, available };
