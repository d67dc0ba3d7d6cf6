/* ES modules from disk: relative and absolute paths, and bare specifiers through a map file written by the
 * Node side ("specifier<TAB>absolute path" per line: this package's exports, `timer`, `embedded:*`, ...). */
#include "host.h"
#include <sys/stat.h>

typedef struct {
	char* specifier;
	char* path;
} MapEntry;

static MapEntry* gMap = NULL;
static int gMapCount = 0;
static int gParseFailed = 0;
static int gResolveFailed = 0;

int loaderParseFailed(void) { return gParseFailed; }
int loaderResolveFailed(void) { return gResolveFailed; }

int loaderReadMap(const char* file)
{
	FILE* in = fopen(file, "r");
	if (!in) {
		fprintf(stderr, "stillheap-xs: cannot read the module map %s: %s\n", file, strerror(errno));
		return 0;
	}
	char line[2 * C_PATH_MAX];
	while (fgets(line, sizeof(line), in)) {
		char* tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		char* path = tab + 1;
		path[strcspn(path, "\r\n")] = 0;
		MapEntry* grown = realloc(gMap, (gMapCount + 1) * sizeof(MapEntry));
		if (!grown) {
			fclose(in);
			return 0;
		}
		gMap = grown;
		gMap[gMapCount].specifier = strdup(line);
		gMap[gMapCount].path = strdup(path);
		gMapCount++;
	}
	fclose(in);
	return 1;
}

static const char* mapped(const char* specifier)
{
	for (int i = 0; i < gMapCount; i++)
		if (!strcmp(gMap[i].specifier, specifier))
			return gMap[i].path;
	return NULL;
}

/* Collapses "a/./b" and "a/x/../b" in an absolute path, in place. */
static void normalizePath(char* path)
{
	char out[C_PATH_MAX];
	size_t length = 0;
	char* segment = path;
	while (*segment) {
		while (*segment == '/')
			segment++;
		size_t size = strcspn(segment, "/");
		if (size == 0)
			break;
		if ((size == 1) && (segment[0] == '.')) {
		}
		else if ((size == 2) && (segment[0] == '.') && (segment[1] == '.')) {
			while (length > 0 && out[length - 1] != '/')
				length--;
			if (length > 0)
				length--;
		}
		else if (length + size + 2 < sizeof(out)) {
			out[length++] = '/';
			memcpy(out + length, segment, size);
			length += size;
		}
		segment += size;
	}
	if (length == 0)
		out[length++] = '/';
	out[length] = 0;
	strcpy(path, out);
}

static int isFile(const char* path)
{
	struct stat status;
	return (stat(path, &status) == 0) && S_ISREG(status.st_mode);
}

/* TypeScript-style extensionless imports: the path itself, then path.js, then path/index.js. */
static int findFile(char* path)
{
	char candidate[C_PATH_MAX];
	if (isFile(path))
		return 1;
	snprintf(candidate, sizeof(candidate), "%s.js", path);
	if (isFile(candidate)) {
		strcpy(path, candidate);
		return 1;
	}
	snprintf(candidate, sizeof(candidate), "%s/index.js", path);
	if (isFile(candidate)) {
		strcpy(path, candidate);
		return 1;
	}
	return 0;
}

static int resolveRelative(txMachine* the, txID moduleID, const char* name, char* path)
{
	const char* importer = (moduleID == XS_NO_ID) ? NULL : fxGetKeyName(the, moduleID);
	if (!importer)
		return 0;
	snprintf(path, C_PATH_MAX, "%s", importer);
	char* slash = strrchr(path, '/');
	if (!slash)
		return 0;
	slash[1] = 0;
	if (strlen(path) + strlen(name) + 1 >= C_PATH_MAX)
		return 0;
	strcat(path, name);
	return 1;
}

txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	char name[C_PATH_MAX];
	char path[C_PATH_MAX];
	char real[C_PATH_MAX];
	fxToStringBuffer(the, slot, name, sizeof(name));
	const char* target = mapped(name);
	int found = 0;
	if (target)
		found = snprintf(path, sizeof(path), "%s", target) < (int)sizeof(path);
	else if (name[0] == '/')
		found = snprintf(path, sizeof(path), "%s", name) < (int)sizeof(path);
	else if (!strncmp(name, "./", 2) || !strncmp(name, "../", 3))
		found = resolveRelative(the, moduleID, name, path);
	if (found) {
		normalizePath(path);
		found = findFile(path) && realpath(path, real);
	}
	if (!found) {
		gResolveFailed = 1;
		const char* importer = (moduleID == XS_NO_ID) ? "the entry" : fxGetKeyName(the, moduleID);
		fprintf(stderr, "stillheap-xs: cannot resolve import \"%s\" from %s%s\n", name, importer,
			(name[0] != '.' && name[0] != '/' && !target) ? " (bare specifiers need a --map entry)" : "");
		return XS_NO_ID;
	}
	return fxNewNameC(the, real);
}

/* XS sends parser diagnostics only to xsbug; print them as file:line. */
static void reportParserError(void* console, txString path, txInteger line, txString format, c_va_list arguments)
{
	gParseFailed = 1;
	fprintf(stderr, "%s:%d: error: ", path ? path : "?", (int)line);
	vfprintf(stderr, format, arguments);
	fputc('\n', stderr);
}

static txScript* parseFile(txMachine* the, txString path, txUnsigned flags)
{
	txParser parserStorage;
	txParser* parser = &parserStorage;
	txParserJump jump;
	txScript* script = NULL;
	FILE* file = fopen(path, "r");
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	parser->reportError = reportParserError;
	if (c_setjmp(jump.jmp_buf) == 0) {
		mxParserThrowElse(file);
		parser->path = fxNewParserSymbol(parser, path);
		fxParserTree(parser, file, (txGetter)fgetc, flags, NULL);
		fclose(file);
		file = NULL;
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (file)
		fclose(file);
	if (!script && !gParseFailed) {
		gParseFailed = 1;
		fprintf(stderr, "%s: error: cannot read or parse the module\n", path);
	}
	fxTerminateParser(parser);
	return script;
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	budgetBeginLoading();
	mxTry(the) {
		txScript* script = parseFile(the, fxGetKeyName(the, moduleID), mxDebugFlag);
		if (script)
			fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
		budgetEndLoading();
	}
	mxCatch(the) {
		budgetEndLoading();
		fxJump(the);
	}
}
