/*
 * The SQLite guest's operating system (SQLITE_OS_OTHER): one VFS, "microscope", made the
 * default. It has no files: every database is in memory (":memory:", temp store in memory,
 * sorts that never spill), so xOpen refuses any name. What SQLite asks of an OS beyond
 * files comes from the host through the SDK's built-in host functions: randomness (for
 * random(), randomblob() and temp names) and the time (for 'now'), so a recording of the
 * call sees them. There is no sleep: a busy handler has nothing to wait for in one thread.
 */
#include <microscope.h>
#include <string.h>

#include "sqlite3.h"

static int refuse_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags) {
  (void)vfs, (void)name, (void)flags, (void)out_flags;
  file->pMethods = 0;
  return SQLITE_CANTOPEN;
}

static int no_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs, (void)name, (void)sync_dir;
  return SQLITE_IOERR_DELETE_NOENT;
}

static int nothing_exists(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  (void)vfs, (void)name, (void)flags;
  *result = 0;
  return SQLITE_OK;
}

static int full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
  (void)vfs;
  if ((int)strlen(name) >= size) return SQLITE_CANTOPEN;
  strcpy(out, name);
  return SQLITE_OK;
}

static int randomness(sqlite3_vfs *vfs, int length, char *out) {
  (void)vfs;
  ms_random_bytes(out, (size_t)length);
  return length;
}

static int sleep_microseconds(sqlite3_vfs *vfs, int microseconds) {
  (void)vfs;
  return microseconds;
}

/* Milliseconds since the Julian epoch (noon, 24 November 4714 BC), as SQLite counts. */
static int current_time_ms(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  (void)vfs;
  const sqlite3_int64 unix_epoch_ms = 210866760000000LL;
  *out = unix_epoch_ms + ms_clock_ns(0) / 1000000;
  return SQLITE_OK;
}

static int current_time(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms;
  current_time_ms(vfs, &ms);
  *out = (double)ms / 86400000.0;
  return SQLITE_OK;
}

static int last_error(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  if (size > 0) out[0] = 0;
  return 0;
}

static sqlite3_vfs host_vfs = {
    .iVersion = 2,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 512,
    .zName = "microscope",
    .xOpen = refuse_open,
    .xDelete = no_delete,
    .xAccess = nothing_exists,
    .xFullPathname = full_pathname,
    .xRandomness = randomness,
    .xSleep = sleep_microseconds,
    .xCurrentTime = current_time,
    .xGetLastError = last_error,
    .xCurrentTimeInt64 = current_time_ms,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&host_vfs, 1); }

int sqlite3_os_end(void) { return SQLITE_OK; }
