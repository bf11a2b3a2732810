#include "line_table.h"

#include <dwarf.h>
#include <elfutils/libdw.h>

#include <algorithm>
#include <map>

#include "../errors.h"

namespace microscope {

namespace {

// "demo.c" names "/src/native/demo/demo.c"; "o.c" doesn't.
bool names(const std::string& path, const std::string& name) {
  if (path == name) return true;
  return path.size() > name.size() && path.compare(path.size() - name.size(), name.size(), name) == 0 &&
         path[path.size() - name.size() - 1] == '/';
}

// "/a/native/../test/x.c" as "/a/test/x.c": the same file by one name, the name a user
// recognises. Lexical only, as the compiler joined it.
std::string normalized(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = path.size() && path[0] == '/' ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

}  // namespace

std::string unit_path(void* unit_die, const char* file) {
  // A name relative to the unit's directory (gcc writes "demo/demo.c" when run in
  // native/) becomes a path the host can open.
  Dwarf_Attribute attribute;
  const char* directory = dwarf_formstring(dwarf_attr(static_cast<Dwarf_Die*>(unit_die), DW_AT_comp_dir, &attribute));
  std::string path = file;
  if (!path.empty() && path[0] != '/' && directory) path = std::string(directory) + "/" + path;
  return normalized(path);
}

LineTable::LineTable(void* handle, uint64_t load_bias) {
  Dwarf* dwarf = static_cast<Dwarf*>(handle);
  if (!dwarf) return;
  std::map<std::string, uint32_t> file_index;
  Dwarf_Off offset = 0, next = 0;
  size_t header = 0;
  while (dwarf_nextcu(dwarf, offset, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die unit;
    Dwarf_Lines* lines = nullptr;
    size_t count = 0;
    if (dwarf_offdie(dwarf, offset + header, &unit) && dwarf_getsrclines(&unit, &lines, &count) == 0) {
      for (size_t i = 0; i < count; ++i) {
        Dwarf_Line* line = dwarf_onesrcline(lines, i);
        Dwarf_Addr address = 0;
        LineRow row{};
        const char* file = dwarf_linesrc(line, nullptr, nullptr);
        if (!line || !file || dwarf_lineaddr(line, &address) != 0 || dwarf_lineno(line, &row.line) != 0) continue;
        dwarf_linecol(line, &row.column);
        dwarf_linebeginstatement(line, &row.is_stmt);
        dwarf_lineendsequence(line, &row.end_sequence);
        const std::string path = unit_path(&unit, file);
        const auto [it, added] = file_index.emplace(path, uint32_t(files_.size()));
        if (added) files_.push_back(path);
        row.file = it->second;
        row.address = address + load_bias;
        rows_.push_back(row);
      }
    }
    offset = next;
  }
  // Sequences don't overlap, but the units list them in any order: sort by address, an
  // end before the rows of a sequence that starts where it ends, and rows at one address
  // in the order the table gave them.
  std::stable_sort(rows_.begin(), rows_.end(), [](const LineRow& a, const LineRow& b) {
    return a.address != b.address ? a.address < b.address : a.end_sequence && !b.end_sequence;
  });
  lines_.resize(files_.size());
  for (const LineRow& row : rows_) {
    if (row.is_stmt && !row.end_sequence) lines_[row.file].push_back(row.line);
  }
  for (std::vector<int>& lines : lines_) {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  }
}

const LineRow* LineTable::row_at(uint64_t address) const {
  auto after = std::upper_bound(rows_.begin(), rows_.end(), address,
                                [](uint64_t value, const LineRow& row) { return value < row.address; });
  if (after == rows_.begin()) return nullptr;
  const LineRow* row = &*(after - 1);
  // Of the rows at that address, the last one describes it (earlier ones are empty).
  return row->end_sequence ? nullptr : row;
}

const LineRow* LineTable::statement_at(uint64_t address) const {
  auto first = std::lower_bound(rows_.begin(), rows_.end(), address,
                                [](const LineRow& row, uint64_t value) { return row.address < value; });
  const LineRow* found = nullptr;
  for (auto it = first; it != rows_.end() && it->address == address; ++it) {
    if (it->is_stmt && !it->end_sequence) found = &*it;
  }
  return found;
}

uint32_t LineTable::find_file(const std::string& name) const {
  std::vector<uint32_t> found;
  for (uint32_t i = 0; i < files_.size(); ++i) {
    if (names(files_[i], name)) found.push_back(i);
  }
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    throw usage_error(files_.empty() ? "the guest has no line table (build it with -g)"
                                     : "no source file '" + name + "' in the guest's line table");
  }
  std::string list;
  for (uint32_t i : found) list += (list.empty() ? "" : ", ") + files_[i];
  throw usage_error("'" + name + "' names " + std::to_string(found.size()) + " source files: " + list);
}

ResolvedLine LineTable::resolve(const std::string& name, int line) const {
  const uint32_t file = find_file(name);
  const std::vector<int>& lines = lines_[file];
  const auto at = std::lower_bound(lines.begin(), lines.end(), line);
  if (at == lines.end()) {
    throw usage_error("no code at or after line " + std::to_string(line) + " of " + files_[file] +
                      (lines.empty() ? "" : " (its last line with code is " + std::to_string(lines.back()) + ")"));
  }
  ResolvedLine resolved{files_[file], line, *at, {}};
  // Every run of rows of that line that starts with a statement: optimized code splits a
  // line, inlining copies it, a loop's condition comes twice.
  for (size_t i = 0; i < rows_.size(); ++i) {
    const LineRow& row = rows_[i];
    if (row.end_sequence || !row.is_stmt || row.file != file || row.line != resolved.line) continue;
    const LineRow* before = i > 0 && rows_[i - 1].address < row.address ? &rows_[i - 1] : nullptr;
    const bool continues = before && !before->end_sequence && before->file == file && before->line == row.line;
    if (!continues) resolved.addresses.push_back(row.address);
  }
  std::sort(resolved.addresses.begin(), resolved.addresses.end());
  resolved.addresses.erase(std::unique(resolved.addresses.begin(), resolved.addresses.end()), resolved.addresses.end());
  return resolved;
}

}  // namespace microscope
