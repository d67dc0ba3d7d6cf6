# The XS engine as the RP2040 image compiles it. Included by this folder's Makefile and by tools/xsc/Makefile, so the
# build machine's bytecode compiler has the same features, hence the same built-in key table and bytecode, as the
# device's engine. The image checks the key table at boot and refuses bytecode linked against another one.
XS_SOURCES := xsAll xsAPI xsArguments xsArray xsAtomics xsBigInt xsBoolean xsCode xsCommon xsDataView xsDate \
  xsDebug xsDefaults xsError xsFunction xsGenerator xsGlobal xsJSON xsLexical xsLockdown xsMapSet xsMarshall \
  xsMath xsMemory xsModule xsNumber xsObject xsPlatforms xsProfile xsPromise xsProperty xsProxy xsRegExp xsRun \
  xsScope xsScript xsSourceMap xsString xsSymbol xsSyntaxical xsTree xsType xsdtoa xsre
# mxBoundsCheck: without it JS recursion silently overruns the XS stack.
ENGINE_FEATURES := -DmxRun=1 -DmxSloppy=1 -DmxNoConsole=1 -DmxInstrument=1 -DmxBoundsCheck=1
