// An x86-64 ELF64 executable (static, PIE or not), parsed and validated before anything
// of it is used: every offset, size and count is checked against the file, and each
// rule that fails is reported with its own message (see elf_image.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "value.h"

namespace microscope {

enum SegmentAccess : uint8_t { kRead = 1, kWrite = 2, kExecute = 4 };

struct Segment {
  int index;              // program header index, for messages
  uint64_t vaddr, memsz;  // as linked (before the load bias)
  uint64_t offset, filesz;
  uint8_t access;  // SegmentAccess bits
};

struct Symbol {
  std::string name;
  uint64_t address;  // as linked (before the load bias)
  uint64_t size;
  bool function;
};

class ElfImage {
 public:
  // Throws EngineError(Elf) with a specific message.
  static ElfImage parse(std::vector<uint8_t> file);

  const std::vector<uint8_t>& file() const { return file_; }
  bool position_independent() const { return pie_; }
  uint64_t entry() const { return entry_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Symbol>& symbols() const { return symbols_; }                     // sorted by address
  const std::vector<uint64_t>& relative_relocations() const { return relocations_; }  // r_offset; addend at [offset]
  const std::vector<int64_t>& relocation_addends() const { return addends_; }
  // The exported functions in source order, and each one's record number in the
  // exports section (what a CALL frame names).
  const std::vector<Signature>& exports() const { return exports_; }
  uint32_t export_record(size_t function) const { return export_records_[function]; }
  // Where the exports section is, as linked (the records are read from there after init).
  uint64_t exports_address() const { return exports_address_; }

  uint64_t lowest_address() const;   // page-aligned down
  uint64_t highest_address() const;  // end of the last segment, page-aligned up

 private:
  void parse_header();
  void parse_segments();
  void parse_sections();
  void parse_symbols(uint32_t symtab_index);
  void parse_exports(uint32_t section_index);
  void parse_dynamic(const void* phdr);
  bool file_offset_of(uint64_t vaddr, uint64_t length, uint64_t* offset) const;

  std::vector<uint8_t> file_;
  bool pie_ = false;
  uint64_t entry_ = 0;
  std::vector<Segment> segments_;
  std::vector<Symbol> symbols_;
  std::vector<uint64_t> relocations_;
  std::vector<int64_t> addends_;
  std::vector<Signature> exports_;
  std::vector<uint32_t> export_records_;
  uint64_t exports_address_ = 0;
};

}  // namespace microscope
