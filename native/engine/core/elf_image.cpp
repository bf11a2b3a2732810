#include "elf_image.h"

#include <elf.h>

#include <algorithm>
#include <cstring>

#include "errors.h"

namespace microscope {

namespace {

constexpr uint64_t kPage = MS_PAGE_SIZE;
constexpr uint32_t kMaxProgramHeaders = 256;
constexpr uint32_t kMaxSections = 65280;  // below SHN_LORESERVE

// [offset, offset + length) lies inside a buffer of `size` bytes, without overflow.
bool within(uint64_t offset, uint64_t length, uint64_t size) { return offset <= size && length <= size - offset; }

std::string range_text(uint64_t offset, uint64_t length) {
  return "[" + hex(offset) + ", " + hex(offset + length) + ")";
}

const char* type_text(uint16_t type) {
  switch (type) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "ET_REL, a relocatable object: link it into an executable";
    case ET_CORE: return "ET_CORE, a core dump";
    default: return "unknown";
  }
}

std::string access_text(uint8_t access) {
  std::string text = "---";
  if (access & kRead) text[0] = 'r';
  if (access & kWrite) text[1] = 'w';
  if (access & kExecute) text[2] = 'x';
  return text;
}

}  // namespace

ElfImage ElfImage::parse(std::vector<uint8_t> file) {
  ElfImage image;
  image.file_ = std::move(file);
  image.parse_header();
  image.parse_segments();
  image.parse_sections();
  return image;
}

void ElfImage::parse_header() {
  const uint64_t size = file_.size();
  if (size < sizeof(Elf64_Ehdr)) {
    if (size >= SELFMAG && std::memcmp(file_.data(), ELFMAG, SELFMAG) != 0) {
      throw elf_error("bad magic: not an ELF file (it does not start with 7f 45 4c 46)");
    }
    throw elf_error("truncated: the ELF header needs 64 bytes, the file has " + std::to_string(size));
  }
  Elf64_Ehdr header;
  std::memcpy(&header, file_.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    throw elf_error("bad magic: not an ELF file (it does not start with 7f 45 4c 46)");
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64) {
    throw elf_error("bad class " + std::to_string(header.e_ident[EI_CLASS]) +
                    ": only 64-bit ELF (ELFCLASS64 = 2) is supported");
  }
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) {
    throw elf_error("bad data encoding " + std::to_string(header.e_ident[EI_DATA]) +
                    ": only little-endian ELF (ELFDATA2LSB = 1) is supported");
  }
  if (header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT) {
    throw elf_error("bad ELF version " + std::to_string(header.e_version) + ": expected 1");
  }
  if (header.e_type != ET_EXEC && header.e_type != ET_DYN) {
    throw elf_error("bad type " + std::to_string(header.e_type) + " (" + type_text(header.e_type) +
                    "): expected an executable, ET_EXEC or ET_DYN");
  }
  if (header.e_machine != EM_X86_64) {
    throw elf_error("bad machine " + std::to_string(header.e_machine) +
                    ": Microscope runs x86-64 guests (EM_X86_64 = 62)");
  }
  if (header.e_ehsize < sizeof(Elf64_Ehdr)) {
    throw elf_error("bad e_ehsize " + std::to_string(header.e_ehsize) + ": an ELF64 header is 64 bytes");
  }
  pie_ = header.e_type == ET_DYN;
  entry_ = header.e_entry;
}

void ElfImage::parse_segments() {
  Elf64_Ehdr header;
  std::memcpy(&header, file_.data(), sizeof header);
  if (header.e_phnum == 0) throw elf_error("no program headers: nothing to load");
  if (header.e_phentsize != sizeof(Elf64_Phdr)) {
    throw elf_error("bad e_phentsize " + std::to_string(header.e_phentsize) + ": an ELF64 program header is 56 bytes");
  }
  if (header.e_phnum > kMaxProgramHeaders) {
    throw elf_error("too many program headers: " + std::to_string(header.e_phnum) + " (at most " +
                    std::to_string(kMaxProgramHeaders) + ")");
  }
  const uint64_t table_size = uint64_t(header.e_phnum) * sizeof(Elf64_Phdr);
  if (!within(header.e_phoff, table_size, file_.size())) {
    throw elf_error("truncated: program headers " + range_text(header.e_phoff, table_size) +
                    " extend past the end of the file (" + std::to_string(file_.size()) + " bytes)");
  }

  Elf64_Phdr dynamic{};
  bool has_dynamic = false;
  Elf64_Phdr phdr;
  for (int i = 0; i < header.e_phnum; ++i) {
    std::memcpy(&phdr, file_.data() + header.e_phoff + uint64_t(i) * sizeof phdr, sizeof phdr);
    const std::string where = "segment " + std::to_string(i);
    if (phdr.p_type == PT_INTERP) {
      throw elf_error(where + ": PT_INTERP asks for a dynamic loader; build the guest with -static or -static-pie");
    }
    if (phdr.p_type == PT_DYNAMIC) {
      dynamic = phdr;
      has_dynamic = true;
    }
    if (phdr.p_type != PT_LOAD) continue;
    if (!within(phdr.p_offset, phdr.p_filesz, file_.size())) {
      throw elf_error(where + ": file range " + range_text(phdr.p_offset, phdr.p_filesz) +
                      " extends past the end of the file (" + std::to_string(file_.size()) + " bytes)");
    }
    if (phdr.p_filesz > phdr.p_memsz) {
      throw elf_error(where + ": p_filesz " + hex(phdr.p_filesz) + " > p_memsz " + hex(phdr.p_memsz));
    }
    if (phdr.p_memsz == 0) continue;
    if (phdr.p_memsz > UINT64_MAX - kPage || phdr.p_vaddr > UINT64_MAX - kPage - phdr.p_memsz) {
      throw elf_error(where + ": address range at " + hex(phdr.p_vaddr) + " + " + hex(phdr.p_memsz) + " overflows");
    }
    uint8_t access = 0;
    if (phdr.p_flags & PF_R) access |= kRead;
    if (phdr.p_flags & PF_W) access |= kWrite;
    if (phdr.p_flags & PF_X) access |= kExecute;
    segments_.push_back({i, phdr.p_vaddr, phdr.p_memsz, phdr.p_offset, phdr.p_filesz, access});
  }
  if (segments_.empty()) throw elf_error("no loadable segment (PT_LOAD)");

  std::sort(segments_.begin(), segments_.end(), [](const Segment& a, const Segment& b) { return a.vaddr < b.vaddr; });
  for (size_t i = 1; i < segments_.size(); ++i) {
    const Segment& before = segments_[i - 1];
    const Segment& after = segments_[i];
    if (before.vaddr + before.memsz > after.vaddr) {
      throw elf_error("segments " + std::to_string(before.index) + " and " + std::to_string(after.index) +
                      " overlap at " + hex(after.vaddr));
    }
    // Permissions are per page: two segments sharing a page must agree on them.
    const uint64_t last_page_before = (before.vaddr + before.memsz - 1) / kPage;
    if (last_page_before == after.vaddr / kPage && before.access != after.access) {
      throw elf_error("segments " + std::to_string(before.index) + " (" + access_text(before.access) + ") and " +
                      std::to_string(after.index) + " (" + access_text(after.access) + ") share the page at " +
                      hex(last_page_before * kPage) + " with different permissions");
    }
  }

  bool entry_ok = false;
  for (const Segment& segment : segments_) {
    if ((segment.access & kExecute) && entry_ >= segment.vaddr && entry_ < segment.vaddr + segment.memsz) {
      entry_ok = true;
    }
  }
  if (!entry_ok) throw elf_error("entry point " + hex(entry_) + " is not inside an executable segment");

  if (has_dynamic) parse_dynamic(&dynamic);
}

bool ElfImage::file_offset_of(uint64_t vaddr, uint64_t length, uint64_t* offset) const {
  for (const Segment& segment : segments_) {
    if (vaddr >= segment.vaddr && within(vaddr - segment.vaddr, length, segment.filesz)) {
      *offset = segment.offset + (vaddr - segment.vaddr);
      return true;
    }
  }
  return false;
}

void ElfImage::parse_dynamic(const void* raw) {
  Elf64_Phdr phdr;
  std::memcpy(&phdr, raw, sizeof phdr);
  if (!within(phdr.p_offset, phdr.p_filesz, file_.size())) {
    throw elf_error("PT_DYNAMIC: file range " + range_text(phdr.p_offset, phdr.p_filesz) +
                    " extends past the end of the file");
  }
  uint64_t rela = 0, rela_size = 0, rela_entry = sizeof(Elf64_Rela);
  bool has_rela = false;
  for (uint64_t at = 0; at + sizeof(Elf64_Dyn) <= phdr.p_filesz; at += sizeof(Elf64_Dyn)) {
    Elf64_Dyn entry;
    std::memcpy(&entry, file_.data() + phdr.p_offset + at, sizeof entry);
    if (entry.d_tag == DT_NULL) break;
    switch (entry.d_tag) {
      case DT_RELA:
        rela = entry.d_un.d_ptr;
        has_rela = true;
        break;
      case DT_RELASZ: rela_size = entry.d_un.d_val; break;
      case DT_RELAENT: rela_entry = entry.d_un.d_val; break;
      case DT_REL:
      case DT_JMPREL:
        throw elf_error("PT_DYNAMIC: only RELA relocations of a static PIE are supported (found DT_REL or DT_JMPREL)");
      case DT_NEEDED:
        throw elf_error("PT_DYNAMIC: the guest needs a shared library (DT_NEEDED); build it with -static-pie");
      default: break;
    }
  }
  if (!has_rela || rela_size == 0) return;
  if (rela_entry != sizeof(Elf64_Rela)) {
    throw elf_error("PT_DYNAMIC: bad DT_RELAENT " + std::to_string(rela_entry) + ": an Elf64_Rela is 24 bytes");
  }
  uint64_t offset = 0;
  if (!file_offset_of(rela, rela_size, &offset)) {
    throw elf_error("PT_DYNAMIC: the relocation table " + range_text(rela, rela_size) +
                    " is not inside a loaded part of the file");
  }
  for (uint64_t at = 0; at + sizeof(Elf64_Rela) <= rela_size; at += sizeof(Elf64_Rela)) {
    Elf64_Rela entry;
    std::memcpy(&entry, file_.data() + offset + at, sizeof entry);
    const uint64_t index = at / sizeof(Elf64_Rela);
    const uint32_t type = ELF64_R_TYPE(entry.r_info);
    if (type == R_X86_64_NONE) continue;
    if (type != R_X86_64_RELATIVE) {
      throw elf_error("relocation " + std::to_string(index) + ": type " + std::to_string(type) +
                      " is not supported; a static PIE guest needs only R_X86_64_RELATIVE (8)");
    }
    bool inside = false;
    for (const Segment& segment : segments_) {
      if (entry.r_offset >= segment.vaddr && within(entry.r_offset - segment.vaddr, 8, segment.memsz)) inside = true;
    }
    if (!inside) {
      throw elf_error("relocation " + std::to_string(index) + ": target " + hex(entry.r_offset) +
                      " is not inside a loadable segment");
    }
    relocations_.push_back(entry.r_offset);
    addends_.push_back(entry.r_addend);
  }
}

void ElfImage::parse_sections() {
  Elf64_Ehdr header;
  std::memcpy(&header, file_.data(), sizeof header);
  if (header.e_shnum == 0) {
    throw elf_error("no section headers, so no " MS_EXPORTS_SECTION
                    " section: build the guest with the Microscope SDK");
  }
  if (header.e_shentsize != sizeof(Elf64_Shdr)) {
    throw elf_error("bad e_shentsize " + std::to_string(header.e_shentsize) + ": an ELF64 section header is 64 bytes");
  }
  if (header.e_shnum > kMaxSections) throw elf_error("too many sections: " + std::to_string(header.e_shnum));
  const uint64_t table_size = uint64_t(header.e_shnum) * sizeof(Elf64_Shdr);
  if (!within(header.e_shoff, table_size, file_.size())) {
    throw elf_error("truncated: section headers " + range_text(header.e_shoff, table_size) +
                    " extend past the end of the file (" + std::to_string(file_.size()) + " bytes)");
  }
  if (header.e_shstrndx == SHN_UNDEF || header.e_shstrndx >= header.e_shnum) {
    throw elf_error("bad e_shstrndx " + std::to_string(header.e_shstrndx) + ": there are " +
                    std::to_string(header.e_shnum) + " sections");
  }

  auto section = [&](uint32_t index) {
    Elf64_Shdr shdr;
    std::memcpy(&shdr, file_.data() + header.e_shoff + uint64_t(index) * sizeof shdr, sizeof shdr);
    return shdr;
  };
  for (uint32_t i = 0; i < header.e_shnum; ++i) {
    const Elf64_Shdr shdr = section(i);
    if (shdr.sh_type != SHT_NOBITS && shdr.sh_type != SHT_NULL && !within(shdr.sh_offset, shdr.sh_size, file_.size())) {
      throw elf_error("section " + std::to_string(i) + ": file range " + range_text(shdr.sh_offset, shdr.sh_size) +
                      " extends past the end of the file (" + std::to_string(file_.size()) + " bytes)");
    }
  }
  const Elf64_Shdr names = section(header.e_shstrndx);
  if (names.sh_type != SHT_STRTAB) throw elf_error("section name table (e_shstrndx) is not a string table");

  auto section_name = [&](uint32_t index, const Elf64_Shdr& shdr) -> std::string {
    if (shdr.sh_name >= names.sh_size) {
      throw elf_error("section " + std::to_string(index) + ": name offset " + hex(shdr.sh_name) +
                      " is outside the section name table");
    }
    const char* start = reinterpret_cast<const char*>(file_.data() + names.sh_offset + shdr.sh_name);
    const size_t limit = names.sh_size - shdr.sh_name;
    const size_t length = strnlen(start, limit);
    if (length == limit) {
      throw elf_error("section " + std::to_string(index) + ": name is not NUL-terminated inside the name table");
    }
    return std::string(start, length);
  };

  int64_t exports_index = -1, symtab_index = -1;
  for (uint32_t i = 0; i < header.e_shnum; ++i) {
    const Elf64_Shdr shdr = section(i);
    if (shdr.sh_type == SHT_NULL) continue;
    const std::string name = section_name(i, shdr);
    if (name == MS_EXPORTS_SECTION) exports_index = i;
    if (shdr.sh_type == SHT_SYMTAB) symtab_index = i;
  }
  if (symtab_index >= 0) parse_symbols(uint32_t(symtab_index));
  if (exports_index < 0) {
    throw elf_error("no " MS_EXPORTS_SECTION
                    " section: the guest exports no functions (build it with the Microscope SDK)");
  }
  parse_exports(uint32_t(exports_index));
}

void ElfImage::parse_symbols(uint32_t symtab_index) {
  Elf64_Ehdr header;
  std::memcpy(&header, file_.data(), sizeof header);
  Elf64_Shdr symtab, strtab;
  std::memcpy(&symtab, file_.data() + header.e_shoff + uint64_t(symtab_index) * sizeof symtab, sizeof symtab);
  if (symtab.sh_entsize != sizeof(Elf64_Sym)) {
    throw elf_error("symbol table: bad sh_entsize " + std::to_string(symtab.sh_entsize) + ": an Elf64_Sym is 24 bytes");
  }
  if (symtab.sh_size % sizeof(Elf64_Sym) != 0) {
    throw elf_error("symbol table: size " + hex(symtab.sh_size) + " is not a multiple of 24");
  }
  if (symtab.sh_link == SHN_UNDEF || symtab.sh_link >= header.e_shnum) {
    throw elf_error("symbol table: sh_link " + std::to_string(symtab.sh_link) + " names no section");
  }
  std::memcpy(&strtab, file_.data() + header.e_shoff + uint64_t(symtab.sh_link) * sizeof strtab, sizeof strtab);
  if (strtab.sh_type != SHT_STRTAB) throw elf_error("symbol table: its string table (sh_link) is not a string table");

  const uint64_t count = symtab.sh_size / sizeof(Elf64_Sym);
  for (uint64_t i = 1; i < count; ++i) {
    Elf64_Sym symbol;
    std::memcpy(&symbol, file_.data() + symtab.sh_offset + i * sizeof symbol, sizeof symbol);
    if (symbol.st_name >= strtab.sh_size) {
      throw elf_error("symbol " + std::to_string(i) + ": name offset " + hex(symbol.st_name) +
                      " is outside the string table (" + hex(strtab.sh_size) + " bytes)");
    }
    const char* start = reinterpret_cast<const char*>(file_.data() + strtab.sh_offset + symbol.st_name);
    const size_t limit = strtab.sh_size - symbol.st_name;
    const size_t length = strnlen(start, limit);
    if (length == limit) throw elf_error("symbol " + std::to_string(i) + ": name is not NUL-terminated");
    const unsigned type = ELF64_ST_TYPE(symbol.st_info);
    if ((type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) || symbol.st_shndx == SHN_UNDEF ||
        symbol.st_shndx == SHN_ABS || length == 0) {
      continue;
    }
    symbols_.push_back({std::string(start, length), symbol.st_value, symbol.st_size, type == STT_FUNC});
  }
  std::stable_sort(symbols_.begin(), symbols_.end(),
                   [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
}

uint64_t ElfImage::lowest_address() const { return segments_.front().vaddr & ~(kPage - 1); }

uint64_t ElfImage::highest_address() const {
  const Segment& last = segments_.back();
  return (last.vaddr + last.memsz + kPage - 1) & ~(kPage - 1);
}

}  // namespace microscope
