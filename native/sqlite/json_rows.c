/* A statement's rows as JSON, written into one growing buffer (SQLite's sqlite3_str). */
#include "json_rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append_string(sqlite3_str *out, const unsigned char *text, int length) {
  static const char hex[] = "0123456789abcdef";
  sqlite3_str_appendchar(out, 1, '"');
  int run = 0; /* bytes since the last escape, appended together */
  for (int i = 0; i < length; i++) {
    const unsigned char c = text[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    sqlite3_str_append(out, (const char *)text + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': sqlite3_str_append(out, "\\\"", 2); break;
      case '\\': sqlite3_str_append(out, "\\\\", 2); break;
      case '\n': sqlite3_str_append(out, "\\n", 2); break;
      case '\r': sqlite3_str_append(out, "\\r", 2); break;
      case '\t': sqlite3_str_append(out, "\\t", 2); break;
      default: {
        const char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        sqlite3_str_append(out, escape, 6);
      }
    }
  }
  sqlite3_str_append(out, (const char *)text + run, length - run);
  sqlite3_str_appendchar(out, 1, '"');
}

static void append_integer(sqlite3_str *out, sqlite3_int64 value) {
  const sqlite3_int64 safe = (1LL << 53) - 1;
  if (value >= -safe && value <= safe)
    sqlite3_str_appendf(out, "%lld", value);
  else
    sqlite3_str_appendf(out, "\"%lld\"", value);
}

/* The fewest digits that strtod reads back as `value` (musl's printf and strtod are exact). */
static void append_real(sqlite3_str *out, double value) {
  if (isinf(value)) {
    sqlite3_str_appendall(out, value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    return;
  }
  char text[32];
  for (int digits = 15; digits <= 17; digits++) {
    snprintf(text, sizeof text, "%.*g", digits, value);
    if (strtod(text, 0) == value) break;
  }
  sqlite3_str_appendall(out, text);
}

static void append_blob(sqlite3_str *out, const unsigned char *bytes, int length) {
  static const char hex[] = "0123456789abcdef";
  sqlite3_str_appendchar(out, 1, '"');
  for (int i = 0; i < length; i++) {
    const char pair[2] = {hex[bytes[i] >> 4], hex[bytes[i] & 15]};
    sqlite3_str_append(out, pair, 2);
  }
  sqlite3_str_appendchar(out, 1, '"');
}

static void append_value(sqlite3_str *out, sqlite3_stmt *statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER: append_integer(out, sqlite3_column_int64(statement, column)); break;
    case SQLITE_FLOAT: append_real(out, sqlite3_column_double(statement, column)); break;
    case SQLITE_TEXT: {
      const unsigned char *text = sqlite3_column_text(statement, column);
      append_string(out, text, sqlite3_column_bytes(statement, column));
      break;
    }
    case SQLITE_BLOB: {
      const unsigned char *bytes = sqlite3_column_blob(statement, column);
      append_blob(out, bytes, sqlite3_column_bytes(statement, column));
      break;
    }
    default: sqlite3_str_appendall(out, "null");
  }
}

char *json_rows(sqlite3 *db, sqlite3_stmt *statement, int *code) {
  sqlite3_str *out = sqlite3_str_new(db);
  const int columns = sqlite3_column_count(statement);
  sqlite3_str_appendall(out, "{\"columns\":[");
  for (int i = 0; i < columns; i++) {
    if (i) sqlite3_str_appendchar(out, 1, ',');
    const char *name = sqlite3_column_name(statement, i);
    if (!name) {
      *code = SQLITE_NOMEM;
      sqlite3_free(sqlite3_str_finish(out));
      return 0;
    }
    append_string(out, (const unsigned char *)name, (int)strlen(name));
  }
  sqlite3_str_appendall(out, "],\"rows\":[");
  const sqlite3_int64 changed_before = sqlite3_total_changes64(db);
  int rc, rows = 0;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    sqlite3_str_appendall(out, rows++ ? ",[" : "[");
    for (int i = 0; i < columns; i++) {
      if (i) sqlite3_str_appendchar(out, 1, ',');
      append_value(out, statement, i);
    }
    sqlite3_str_appendchar(out, 1, ']');
  }
  /* What the statement itself inserted, updated or deleted (as sqlite3_changes counts, so
   * not through triggers); 0 for one that changed nothing, whatever came before it. */
  const sqlite3_int64 changes = sqlite3_total_changes64(db) != changed_before ? sqlite3_changes64(db) : 0;
  sqlite3_str_appendf(out, "],\"changes\":%lld}", (long long)changes);
  if (rc != SQLITE_DONE || sqlite3_str_errcode(out) != SQLITE_OK) {
    *code = rc != SQLITE_DONE ? rc : SQLITE_NOMEM;
    sqlite3_free(sqlite3_str_finish(out));
    return 0;
  }
  return sqlite3_str_finish(out);
}
