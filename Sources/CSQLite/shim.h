#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: one wrapper per setting Dossier uses. */

/* Turns off SQLite's memory statistics, which take a global mutex on every allocation.
   Must run before SQLite initialises; returns SQLITE_MISUSE (harmlessly) afterwards. */
static inline int CSQLite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
