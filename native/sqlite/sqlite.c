/*
 * SQLite in a micro-VM: the amalgamation as the better-sqlite3 package ships it, built
 * for one thread and memory only (native/Makefile has its options), with one connection
 * to an in-memory database opened before the first call, so it is in the first snapshot.
 * With restore (the default) every call starts from that snapshot; with restore off, or
 * from a snapshot taken after loading data, the database carries on.
 *
 * An error is a guest abort with SQLite's primary result code (1 SQLITE_ERROR for a
 * syntax error, 19 SQLITE_CONSTRAINT, 7 SQLITE_NOMEM...) and its message. Like every
 * abort it sends the sandbox back to its last snapshot, restore or not: take one after
 * loading data, and an error goes back to it.
 */
#include <microscope.h>
#include <stdio.h>
#include <string.h>

#include "json_rows.h"
#include "sqlite3.h"

static sqlite3 *db;

void microscope_init(void) {
  int rc = sqlite3_open(":memory:", &db);
  if (rc != SQLITE_OK) ms_abort(rc, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  /* One statement now, so the snapshot holds a connection that has read its schema and
   * grown its allocations: what every call that restores would otherwise do first. */
  rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", 0, 0, 0);
  if (rc != SQLITE_OK) ms_abort(rc, sqlite3_errmsg(db));
}

static _Noreturn void fail(int code) {
  const int primary = code & 0xff;
  const char *message = sqlite3_errcode(db) == code ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  ms_abort(primary, message);
}

/* The JSON goes back as the call's str result, which the host reads after the return: it
 * is kept until the next call's result replaces it. One that can't fit says so in numbers. */
static const char *returned(char *json) {
  static char *result;
  sqlite3_free(result);
  result = json;
  const size_t room = ms_control_block()->output_size;
  const size_t length = strlen(json);
  if (length + 64 > room) {
    static char message[200];
    snprintf(message, sizeof message,
             "the result is %zu bytes of JSON, more than the output buffer of %zu: select fewer rows, or give the "
             "sandbox a larger ioBufferSize",
             length, room);
    ms_abort(SQLITE_TOOBIG, message);
  }
  return json;
}

/* Runs every statement in `sql`, in order, and returns the rows of the last one. */
MICROSCOPE_FN(str, exec, (str, sql)) {
  char *last = 0;
  const char *rest = sql;
  while (*rest) {
    sqlite3_stmt *statement = 0;
    int rc = sqlite3_prepare_v2(db, rest, -1, &statement, &rest);
    if (rc != SQLITE_OK) fail(rc);
    if (!statement) continue; /* only whitespace or a comment */
    char *json = json_rows(db, statement, &rc);
    sqlite3_finalize(statement);
    if (!json) fail(rc);
    sqlite3_free(last);
    last = json;
  }
  if (!last) last = sqlite3_mprintf("{\"columns\":[],\"rows\":[],\"changes\":0}");
  if (!last) fail(SQLITE_NOMEM);
  return returned(last);
}

/* ---- Prepared statements, kept across calls while the sandbox doesn't restore ---- */

#define MAX_STATEMENTS 64
static sqlite3_stmt *statements[MAX_STATEMENTS];

static sqlite3_stmt *statement_numbered(uint32_t id) {
  if (id == 0 || id > MAX_STATEMENTS || !statements[id - 1]) {
    static char message[96];
    snprintf(message, sizeof message, "no prepared statement %u (prepare returns 1 to %d)", id, MAX_STATEMENTS);
    ms_abort(SQLITE_MISUSE, message);
  }
  return statements[id - 1];
}

/* Compiles one statement; returns its number for query() and finalize(). */
MICROSCOPE_FN(u32, prepare, (str, sql)) {
  uint32_t id = 0;
  while (id < MAX_STATEMENTS && statements[id]) id++;
  if (id == MAX_STATEMENTS) ms_abort(SQLITE_FULL, "64 statements are prepared already: finalize one first");
  const char *rest = 0;
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statements[id], &rest);
  if (rc != SQLITE_OK) fail(rc);
  if (!statements[id]) ms_abort(SQLITE_MISUSE, "there is no statement to prepare, only whitespace or comments");
  return id + 1;
}

/* Runs prepared statement `id` with `parameter` bound to ?1 (when it has parameters), as
 * exec does. */
MICROSCOPE_FN(str, query, (u32, id), (i64, parameter)) {
  sqlite3_stmt *statement = statement_numbered(id);
  sqlite3_reset(statement);
  if (sqlite3_bind_parameter_count(statement) > 0) {
    const int rc = sqlite3_bind_int64(statement, 1, parameter);
    if (rc != SQLITE_OK) fail(rc);
  }
  int rc;
  char *json = json_rows(db, statement, &rc);
  sqlite3_reset(statement);
  if (!json) fail(rc);
  return returned(json);
}

MICROSCOPE_FN(void, finalize, (u32, id)) {
  sqlite3_finalize(statement_numbered(id));
  statements[id - 1] = 0;
}

MICROSCOPE_FN(str, version) { return sqlite3_libversion(); }
