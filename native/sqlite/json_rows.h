/* A statement's rows as JSON (json_rows.c). */
#ifndef MICROSCOPE_SQLITE_JSON_ROWS_H
#define MICROSCOPE_SQLITE_JSON_ROWS_H

#include "sqlite3.h"

/* Steps `statement` to its end and returns
 *   {"columns":["name",...],"rows":[[value,...],...],"changes":N}
 * (changes: the rows it inserted, updated or deleted, as sqlite3_changes counts them)
 * in memory from sqlite3_malloc, or NULL with SQLite's error code in *code (the
 * statement's error, or SQLITE_NOMEM). Integers are numbers while they are safe in
 * JavaScript (|n| < 2^53), strings beyond; reals the shortest text that reads back as the
 * same double; text as JSON strings; blobs as lowercase hex strings; NULL as null. */
char *json_rows(sqlite3 *db, sqlite3_stmt *statement, int *code);

#endif
