/* The fingerprint of an engine's key table: FNV-1a over the key names 1..count-1 in ID order. stillheap-xsc
 * (tools/xsc) records it when it links the bytecode; the image recomputes it at boot and refuses a mismatch. */
#ifndef STILLHEAP_RP2040_LINK_H
#define STILLHEAP_RP2040_LINK_H

static inline uint32_t keyTableFingerprint(txMachine* the, txID count)
{
	uint32_t hash = 2166136261u;
	for (txID id = 1; id < count; id++) {
		const char* name = fxGetKeyName(the, id);
		if (!name)
			name = "";
		for (; ; name++) {
			hash = (hash ^ (uint8_t)*name) * 16777619u;
			if (!*name)
				break;
		}
	}
	return hash;
}

#endif
