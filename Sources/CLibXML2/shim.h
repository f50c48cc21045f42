#ifndef PIPE_CLIBXML2_SHIM_H
#define PIPE_CLIBXML2_SHIM_H

/*
 * xmlversion.h must come first: Debian's libxml2 is built with ICU, and with
 * LIBXML_ICU_ENABLED defined, encoding.h includes <unicode/ucnv.h>, whose
 * UErrorCode clashes with the copy Foundation ships. Undefining it only drops
 * two trailing ICU pointers from xmlCharEncodingHandler, a struct this
 * package never allocates or dereferences, so the ABI we touch is unchanged.
 */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>

#endif
