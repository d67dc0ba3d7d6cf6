/* ES modules from the table in flash: relative specifiers resolved against the importer's path, TypeScript-style
 * extensionless paths tried as path, path.js and path/index.js; each module's bytecode, compiled and linked on the
 * build machine by stillheap-xsc, runs in place on first import. */
#include "xsAll.h"
#include "modules.h"
#include "link.h"

#define PATH_BYTES 160

static const EmbeddedModule* lookup(const char* path)
{
	for (uint32_t i = 0; i < gModuleCount; i++)
		if (!c_strcmp(gModules[i].path, path))
			return &gModules[i];
	return NULL;
}

/* Collapses "." and ".." segments of an absolute path, in place. */
static void normalize(char* path)
{
	char out[PATH_BYTES];
	size_t length = 0;
	const char* segment = path;
	while (*segment) {
		while (*segment == '/')
			segment++;
		size_t size = c_strcspn(segment, "/");
		if (size == 0)
			break;
		if (size == 2 && segment[0] == '.' && segment[1] == '.') {
			while (length > 0 && out[length - 1] != '/')
				length--;
			if (length > 0)
				length--;
		}
		else if (!(size == 1 && segment[0] == '.') && length + size + 2 < sizeof(out)) {
			out[length++] = '/';
			c_memcpy(out + length, segment, size);
			length += size;
		}
		segment += size;
	}
	out[length] = 0;
	c_strcpy(path, out);
}

static const EmbeddedModule* find(char* path)
{
	const EmbeddedModule* module = lookup(path);
	size_t length = c_strlen(path);
	if (!module && length + 10 < PATH_BYTES) {
		c_strcpy(path + length, ".js");
		module = lookup(path);
		if (!module) {
			c_strcpy(path + length, "/index.js");
			module = lookup(path);
		}
	}
	return module;
}

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	char name[PATH_BYTES];
	char path[PATH_BYTES];
	fxToStringBuffer(the, slot, name, sizeof(name));
	if (name[0] == '/')
		c_strcpy(path, name);
	else if (name[0] == '.' && moduleID != XS_NO_ID) {
		const char* importer = fxGetKeyName(the, moduleID);
		const char* slash = importer ? c_strrchr(importer, '/') : NULL;
		size_t prefix = slash ? (size_t)(slash - importer) + 1 : 0;
		if (prefix + c_strlen(name) + 1 >= PATH_BYTES)
			return XS_NO_ID;
		c_memcpy(path, importer, prefix);
		c_strcpy(path + prefix, name);
	}
	else {
		c_printf("[rp2040] cannot resolve import \"%s\": only relative and absolute paths are embedded\n", name);
		return XS_NO_ID;
	}
	normalize(path);
	const EmbeddedModule* module = find(path);
	if (!module) {
		c_printf("[rp2040] no embedded module %s (imported as \"%s\")\n", path, name);
		return XS_NO_ID;
	}
	return fxNewNameC(the, (txString)module->path);
}

/* The engine's built-in keys, as its default fxBuildKeys makes them but pointing at the names in flash instead of
 * copying each into the heap: the same IDs in the same order, so the key table's fingerprint is unchanged. */
void fxBuildKeys(txMachine* the)
{
	int i;
	for (i = 0; i < XS_SYMBOL_ID_COUNT; i++) {
		txSlot* description = fxNewSlot(the);
		description->kind = XS_STRING_X_KIND;
		description->value.string = gxIDStrings[i];
		the->keyArray[the->keyIndex++] = description;
	}
	for (; i < XS_ID_COUNT; i++)
		fxNewNameX(the, gxIDStrings[i]);
}

/* Creates the names the bytecode was linked with, in order, after checking that the key table is the one the build
 * machine linked against; any difference would send property lookups to the wrong names. Returns 0 on a mismatch. */
int linkModules(txMachine* the)
{
	uint32_t hash = keyTableFingerprint(the, the->keyIndex);
	if (the->keyIndex != gLinkKeyBase || hash != gLinkKeyFingerprint) {
		c_printf("[rp2040] fatal: the bytecode was linked against another engine (keys %u, fingerprint %08lx; "
			"this engine has %u, %08lx): rebuild the image with `stillheap build --target rp2040`\n",
			(unsigned)gLinkKeyBase, (unsigned long)gLinkKeyFingerprint, (unsigned)the->keyIndex, (unsigned long)hash);
		return 0;
	}
	const char* name = gLinkNames;
	for (uint32_t i = 0; i < gLinkNameCount; i++) {
		txID id = fxNewNameX(the, (txString)name); /* the key points at the name in flash */
		if (id != gLinkKeyBase + i) {
			c_printf("[rp2040] fatal: the name \"%s\" got ID %u, linked as %u\n", name, (unsigned)id, (unsigned)(gLinkKeyBase + i));
			return 0;
		}
		name += c_strlen(name) + 1;
	}
	return 1;
}

/* The bytecode runs where it lies in flash: no symbols to remap (symbolsBuffer NULL), functions and strings archived. */
void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	const EmbeddedModule* embedded = lookup(fxGetKeyName(the, moduleID));
	if (!embedded)
		return;
	txScript script;
	c_memset(&script, 0, sizeof(script));
	script.codeBuffer = (txS1*)embedded->code;
	script.codeSize = (txSize)embedded->size;
	script.path = (txString)embedded->path;
	script.version[0] = XS_MAJOR_VERSION;
	script.version[1] = XS_MINOR_VERSION;
	script.version[2] = XS_PATCH_VERSION;
	fxResolveModule(the, module, moduleID, &script, C_NULL, C_NULL);
}

/* eval, new Function and friends: the image carries no parser (modules are compiled on the build machine). */
txScript* fxParseScript(txMachine* the, void* stream, txGetter getter, txUnsigned flags)
{
	mxSyntaxError("no JavaScript parser on this device: eval and new Function are not available");
	return C_NULL;
}
