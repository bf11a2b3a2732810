/*
 * The SQLite amalgamation, unmodified, as the better-sqlite3 package ships it
 * (node_modules/better-sqlite3/deps/sqlite3/sqlite3.c), compiled as part of this guest
 * with the options in native/Makefile. It isn't written to the -Wextra our own guests
 * build with; what it trips is silenced here rather than in our code's flags.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include "sqlite3.c"
