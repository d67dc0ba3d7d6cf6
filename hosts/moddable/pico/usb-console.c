/*
 * Bytes typed on the Pico's USB serial console, for the console's config commands: pico-sdk's stdio over USB CDC
 * (the port trace() writes to in Moddable's release and instrumented builds), read without waiting. In debug builds
 * Moddable's debugger reads that port for xsbug (tud_cdc_rx_cb, ESP_getc), so nothing is taken from it here.
 * TinyUSB holds what the host sent until it is read (the host is told to wait, nothing is lost).
 */
#include "xsmc.h"
#include "xsHost.h"
#include "pico/stdlib.h"

void xs_stillheap_usb_read(xsMachine *the)
{
	int read = 0;
#ifndef mxDebug
	int offset = xsmcToInteger(xsArg(1));
	int count = xsmcToInteger(xsArg(2));
	int size = xsmcGetArrayBufferLength(xsArg(0));
	if ((offset < 0) || (count < 0) || (offset > size - count))
		xsRangeError("outside the buffer");
	uint8_t *into = (uint8_t *)xsmcToArrayBuffer(xsArg(0)) + offset;
	while (read < count) {
		int c = getchar_timeout_us(0);
		if (c < 0)
			break;
		into[read++] = (uint8_t)c;
	}
#endif
	xsmcSetInteger(xsResult, read);
}

void xs_stillheap_usb_available(xsMachine *the)
{
#ifdef mxDebug
	xsmcSetBoolean(xsResult, 0);
#else
	xsmcSetBoolean(xsResult, 1);
#endif
}
