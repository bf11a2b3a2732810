// The guest's line tables, every compilation unit's, as one table ordered by address
// (DWARF 5 or 4, read by libdw): which source line each instruction belongs to, which
// lines of a file have code, and where a breakpoint on a line goes. Rows keep `is_stmt`:
// optimized code interleaves the rows of several lines, and only a statement's start is
// a place to stop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace microscope {

struct LineRow {
  uint64_t address;
  uint32_t file;  // index into LineTable::files()
  int line, column;
  bool is_stmt;
  bool end_sequence;  // the first address after a sequence of rows: no line
};

// A line resolved for a breakpoint: the line that has code (`line`, which may be after
// the one asked for) and every address where one of its statements starts.
struct ResolvedLine {
  std::string file;  // the table's own name for it, usually an absolute path
  int requested = 0, line = 0;
  std::vector<uint64_t> addresses;  // ascending
};

// The path a unit's file name stands for: joined with its DW_AT_comp_dir when relative,
// and "/a/native/../test/x.c" as "/a/test/x.c" (lexically, as the compiler joined it).
// `unit_die` is a Dwarf_Die* of the unit.
std::string unit_path(void* unit_die, const char* file);

class LineTable {
 public:
  // `dwarf` is a Dwarf* (libdw), or null for a guest without DWARF; `load_bias` is added
  // to every address.
  LineTable(void* dwarf, uint64_t load_bias);

  const std::vector<std::string>& files() const { return files_; }
  const std::vector<LineRow>& rows() const { return rows_; }

  // The row that covers `address`, or null where no line does.
  const LineRow* row_at(uint64_t address) const;
  // The statement that starts at `address`: of the rows there, the last with is_stmt (gcc
  // follows one with rows that aren't, at the same address, as its views), or null.
  const LineRow* statement_at(uint64_t address) const;
  // The lines of files() entry `file` where a statement starts, ascending.
  const std::vector<int>& lines_with_code(uint32_t file) const { return lines_[file]; }
  // The files() entry that `name` names: the whole path, or its last components
  // ("demo.c", "demo/demo.c"). Throws a usage error naming the candidates when there
  // are several, or saying so when there is none.
  uint32_t find_file(const std::string& name) const;
  // `line` of `name`, or the next line with code after it; throws a usage error when the
  // file has no code at or after it.
  ResolvedLine resolve(const std::string& name, int line) const;

 private:
  std::vector<std::string> files_;
  std::vector<LineRow> rows_;            // by address; each sequence's rows together, then its end
  std::vector<std::vector<int>> lines_;  // lines_with_code() of each file, found once
};

}  // namespace microscope
