/* ES modules from the table in flash: relative specifiers resolved against the importer's path, TypeScript-style
 * extensionless paths tried as path, path.js and path/index.js, and each module parsed from flash on first import. */
#include "xsAll.h"
#include "xsScript.h"
#include "modules.h"
#include <malloc.h>

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

static void reportParserError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	struct mallinfo info = mallinfo();
	c_printf("%s:%d: error: ", path ? path : "?", (int)line);
	vprintf(format, arguments);
	c_printf(" (malloc in use %u, arena %u)\n", (unsigned)info.uordblks, (unsigned)info.arena);
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	const EmbeddedModule* embedded = lookup(fxGetKeyName(the, moduleID));
	if (!embedded)
		return;
	txStringCStream stream = { (txString)embedded->source, 0, (txSize)embedded->length };
	txParser parserStorage;
	txParser* parser = &parserStorage;
	txParserJump jump;
	txScript* script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = reportParserError;
	if (c_setjmp(jump.jmp_buf) == 0) {
		parser->path = fxNewParserSymbol(parser, (txString)embedded->path);
		fxParserTree(parser, &stream, fxStringCGetter, 0, NULL);
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	fxTerminateParser(parser);
	if (script)
		fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
}
