/* stillheap-xsc: compiles the firmware's modules to XS bytecode on the build machine and links them for a device
 * image, so the device neither parses nor remaps anything at boot and runs the code where it lies, in flash.
 *
 * Linking, as Moddable's xsl does for preloaded modules:
 * - every symbol a module uses is resolved to the ID the device's engine will give it: built-in names keep the IDs of
 *   the key table right after machine creation (this tool's engine has the device's features, and the device checks a
 *   fingerprint of that table before running anything); new names get the next IDs, in the order listed here, and the
 *   device creates them in that order at boot;
 * - functions and string literals are marked as archived (XS_CODE_CODE_ARCHIVE_n, XS_CODE_STRING_ARCHIVE_n), so the
 *   engine references them in place instead of copying them into the heap.
 *
 * usage: stillheap-xsc OUT.c ENTRY-PATH MODULE-PATH=FILE...
 * Writes OUT.c (see hosts/rp2040/modules.h). Exit status: 0 written, 1 a module does not compile, 2 usage. */
#include "xsAll.h"
#include "xsScript.h"
#include "xs.h"
#include "link.h"

extern void fxRemapIDs(txMachine* the, txByte* codeBuffer, txSize codeSize, txID* theIDs);

typedef struct {
	const char* path;
	const char* file;
	txScript* script;
} Module;

static xsCreation gCreation = {
	256 * 1024, 64 * 1024, 16 * 1024, 4 * 1024, 4096, 4096, 1024, 1993, 127, 64 * 1024, 1993, 0,
};

void fxAbort(txMachine* the, int status)
{
	fprintf(stderr, "stillheap-xsc: engine abort %d\n", status);
	exit(1);
}

void fxQueuePromiseJobs(txMachine* the)
{
}

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	return XS_NO_ID;
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
}

static void reportError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	fprintf(stderr, "%s:%d: error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fprintf(stderr, "\n");
}

static char* readFile(const char* file, size_t* length)
{
	FILE* stream = fopen(file, "rb");
	if (!stream)
		return NULL;
	fseek(stream, 0, SEEK_END);
	long size = ftell(stream);
	fseek(stream, 0, SEEK_SET);
	char* text = malloc((size_t)size + 1);
	if (text && fread(text, 1, (size_t)size, stream) != (size_t)size) {
		free(text);
		text = NULL;
	}
	fclose(stream);
	if (text) {
		text[size] = 0;
		*length = (size_t)size;
	}
	return text;
}

/* Parses one module as the device's engine would (flags 0: a module, no debug lines). */
static txScript* compileModule(txMachine* the, const Module* module)
{
	size_t length = 0;
	char* source = readFile(module->file, &length);
	if (!source) {
		fprintf(stderr, "stillheap-xsc: cannot read %s: %s\n", module->file, strerror(errno));
		return NULL;
	}
	txStringCStream stream = { source, 0, (txSize)length };
	txParser parserStorage;
	txParser* parser = &parserStorage;
	txParserJump jump;
	txScript* script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = reportError;
	if (c_setjmp(jump.jmp_buf) == 0) {
		parser->path = fxNewParserSymbol(parser, (txString)module->path);
		fxParserTree(parser, &stream, fxStringCGetter, 0, NULL);
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (parser->errorCount > 0 && script) {
		fxDeleteScript(script);
		script = NULL;
	}
	fxTerminateParser(parser);
	free(source);
	if (script && script->hostsBuffer) {
		fprintf(stderr, "%s: host functions (@ syntax) are not supported in device images\n", module->path);
		fxDeleteScript(script);
		script = NULL;
	}
	return script;
}

/* The module's symbols become the device's IDs: existing keys keep theirs, new names are appended. */
static void linkSymbols(txMachine* the, txScript* script)
{
	txByte* p = script->symbolsBuffer;
	txID count;
	mxDecodeID(p, count);
	txID* ids = malloc(sizeof(txID) * (count ? count : 1));
	ids[0] = XS_NO_ID;
	for (txID i = 1; i < count; i++) {
		ids[i] = fxNewNameC(the, (txString)p);
		p += mxStringLength((char*)p) + 1;
	}
	fxRemapIDs(the, script->codeBuffer, script->codeSize, ids);
	free(ids);
}

static txU1 archived(txU1 code)
{
	switch (code) {
	case XS_CODE_CODE_1: return XS_CODE_CODE_ARCHIVE_1;
	case XS_CODE_CODE_2: return XS_CODE_CODE_ARCHIVE_2;
	case XS_CODE_CODE_4: return XS_CODE_CODE_ARCHIVE_4;
	case XS_CODE_STRING_1: return XS_CODE_STRING_ARCHIVE_1;
	case XS_CODE_STRING_2: return XS_CODE_STRING_ARCHIVE_2;
	case XS_CODE_STRING_4: return XS_CODE_STRING_ARCHIVE_4;
	default: return code;
	}
}

/* Walks the bytecode as fxRemapIDs does (nested functions are inline) and marks functions and strings archived. */
static void archive(txByte* code, txSize size)
{
	txByte* p = code;
	txByte* end = code + size;
	while (p < end) {
		txU1 op = *(txU1*)p;
		txS1 offset = gxCodeSizes[op];
		*(txU1*)p = archived(op);
		if (0 < offset)
			p += offset;
		else if (0 == offset)
			p += 1 + sizeof(txID);
		else if (-1 == offset)
			p += 2 + *(txU1*)(p + 1);
		else if (-2 == offset) {
			txU2 index;
			p++;
			mxDecode2(p, index);
			p += index;
		}
		else {
			txS4 index;
			p++;
			mxDecode4(p, index);
			p += index;
		}
	}
}

static void writeBytes(FILE* out, const char* declaration, const txU1* bytes, size_t length)
{
	fprintf(out, "%s = {", declaration);
	for (size_t i = 0; i < length; i++)
		fprintf(out, "%s0x%02x,", (i % 24) ? "" : "\n\t", bytes[i]);
	fprintf(out, "\n};\n");
}

static int writeImage(txMachine* the, const char* outPath, const char* entry, Module* modules, int count,
	txID keyBase, uint32_t fingerprint)
{
	FILE* out = fopen(outPath, "w");
	if (!out) {
		fprintf(stderr, "stillheap-xsc: cannot write %s: %s\n", outPath, strerror(errno));
		return 0;
	}
	fprintf(out, "/* Written by stillheap-xsc: the firmware's modules as linked XS bytecode, run in place from flash. */\n");
	fprintf(out, "#include \"modules.h\"\n\n");
	size_t namesLength = 0;
	for (txID id = keyBase; id < the->keyIndex; id++)
		namesLength += strlen(fxGetKeyName(the, id)) + 1;
	txU1* names = malloc(namesLength + 1);
	size_t at = 0;
	for (txID id = keyBase; id < the->keyIndex; id++) {
		size_t size = strlen(fxGetKeyName(the, id)) + 1;
		memcpy(names + at, fxGetKeyName(the, id), size);
		at += size;
	}
	writeBytes(out, "const char gLinkNames[]", names, namesLength);
	free(names);
	fprintf(out, "const uint32_t gLinkNameCount = %u;\n", (unsigned)(the->keyIndex - keyBase));
	fprintf(out, "const uint32_t gLinkKeyBase = %u;\n", (unsigned)keyBase);
	fprintf(out, "const uint32_t gLinkKeyFingerprint = 0x%08x;\n\n", fingerprint);
	for (int i = 0; i < count; i++) {
		char declaration[96];
		snprintf(declaration, sizeof(declaration), "static const uint8_t code%d[] __attribute__((aligned(4)))", i);
		writeBytes(out, declaration, (txU1*)modules[i].script->codeBuffer, (size_t)modules[i].script->codeSize);
	}
	fprintf(out, "\nconst EmbeddedModule gModules[] = {\n");
	for (int i = 0; i < count; i++)
		fprintf(out, "\t{ \"%s\", code%d, sizeof(code%d) },\n", modules[i].path, i, i);
	fprintf(out, "};\nconst uint32_t gModuleCount = %d;\nconst char gEntryPath[] = \"%s\";\n", count, entry);
	return fclose(out) == 0;
}

int main(int argc, char* argv[])
{
	if (argc < 4) {
		fprintf(stderr, "usage: stillheap-xsc OUT.c ENTRY-PATH MODULE-PATH=FILE...\n");
		return 2;
	}
	int count = argc - 3;
	Module* modules = calloc((size_t)count, sizeof(Module));
	for (int i = 0; i < count; i++) {
		char* equals = strchr(argv[i + 3], '=');
		if (!equals || argv[i + 3][0] != '/') {
			fprintf(stderr, "stillheap-xsc: \"%s\" is not MODULE-PATH=FILE with an absolute module path\n", argv[i + 3]);
			return 2;
		}
		*equals = 0;
		modules[i].path = argv[i + 3];
		modules[i].file = equals + 1;
	}
	xsMachine* the = xsCreateMachine(&gCreation, "stillheap-xsc", NULL);
	if (!the) {
		fprintf(stderr, "stillheap-xsc: cannot create the XS machine\n");
		return 1;
	}
	txID keyBase = the->keyIndex;
	uint32_t fingerprint = keyTableFingerprint(the, keyBase);
	size_t codeBytes = 0;
	for (int i = 0; i < count; i++) {
		modules[i].script = compileModule(the, &modules[i]);
		if (!modules[i].script)
			return 1;
		linkSymbols(the, modules[i].script);
		archive(modules[i].script->codeBuffer, modules[i].script->codeSize);
		codeBytes += (size_t)modules[i].script->codeSize;
	}
	if (!writeImage(the, argv[1], argv[2], modules, count, keyBase, fingerprint))
		return 1;
	printf("{\"modules\":%d,\"codeBytes\":%zu,\"names\":%u,\"keyBase\":%u}\n", count, codeBytes,
		(unsigned)(the->keyIndex - keyBase), (unsigned)keyBase);
	return 0;
}
