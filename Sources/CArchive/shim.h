#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

/* File type macros the Swift importer cannot see (they are casts). */
static inline unsigned int CArchive_AE_IFREG(void) { return (unsigned int)AE_IFREG; }
static inline unsigned int CArchive_AE_IFDIR(void) { return (unsigned int)AE_IFDIR; }
static inline unsigned int CArchive_AE_IFMT(void) { return (unsigned int)AE_IFMT; }

#endif
