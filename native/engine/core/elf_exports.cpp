// The export records of a guest (include/microscope/abi.h, struct ms_export): its
// functions' names and signatures, read from the file without running it.
#include <elf.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "elf_image.h"
#include "errors.h"

namespace microscope {

namespace {

std::string range_text(uint64_t offset, uint64_t length) {
  return "[" + hex(offset) + ", " + hex(offset + length) + ")";
}

}  // namespace

void ElfImage::parse_exports(uint32_t section_index) {
  Elf64_Ehdr header;
  std::memcpy(&header, file_.data(), sizeof header);
  Elf64_Shdr shdr;
  std::memcpy(&shdr, file_.data() + header.e_shoff + uint64_t(section_index) * sizeof shdr, sizeof shdr);
  const std::string where = MS_EXPORTS_SECTION " section";
  if (shdr.sh_type == SHT_NOBITS) throw elf_error(where + ": has no contents in the file");
  if (shdr.sh_size % MS_EXPORT_SIZE != 0) {
    throw elf_error(where + ": size " + std::to_string(shdr.sh_size) + " is not a multiple of the " +
                    std::to_string(MS_EXPORT_SIZE) + "-byte record");
  }
  if (!(shdr.sh_flags & SHF_ALLOC)) throw elf_error(where + ": is not loaded into memory (no SHF_ALLOC)");
  uint64_t offset = 0;
  if (!file_offset_of(shdr.sh_addr, shdr.sh_size, &offset) || offset != shdr.sh_offset) {
    throw elf_error(where + ": " + range_text(shdr.sh_addr, shdr.sh_size) + " is not inside a loadable segment");
  }

  exports_address_ = shdr.sh_addr;
  std::unordered_set<std::string> seen;
  std::vector<uint8_t> order;
  const uint64_t count = shdr.sh_size / MS_EXPORT_SIZE;
  for (uint64_t i = 0; i < count; ++i) {
    ms_export record;
    std::memcpy(&record, file_.data() + shdr.sh_offset + i * MS_EXPORT_SIZE, sizeof record);
    const std::string at = "export record " + std::to_string(i);
    if (record.magic != MS_EXPORT_MAGIC) throw elf_error(at + ": bad magic " + hex(record.magic));
    if (record.version != MS_ABI_VERSION) {
      throw elf_error(at + ": ABI version " + std::to_string(record.version) + ", this engine speaks " +
                      std::to_string(MS_ABI_VERSION));
    }
    if (!is_valid_type(record.returns)) throw elf_error(at + ": bad return type " + std::to_string(record.returns));
    if (record.param_count > MS_MAX_PARAMS) {
      throw elf_error(at + ": " + std::to_string(record.param_count) + " parameters (at most " +
                      std::to_string(MS_MAX_PARAMS) + ")");
    }
    Signature signature;
    signature.returns = static_cast<Type>(record.returns);
    for (unsigned p = 0; p < record.param_count; ++p) {
      if (!is_valid_type(record.params[p]) || record.params[p] == MS_TYPE_VOID) {
        throw elf_error(at + ": parameter " + std::to_string(p) + " has bad type " + std::to_string(record.params[p]));
      }
      signature.params.push_back(static_cast<Type>(record.params[p]));
    }
    // names: the function's, then one per parameter, each NUL-terminated inside the field.
    size_t position = 0;
    std::vector<std::string> names;
    while (names.size() < 1u + record.param_count) {
      if (position >= MS_EXPORT_NAMES_SIZE) throw elf_error(at + ": names are not NUL-terminated inside the record");
      const size_t length = strnlen(record.names + position, MS_EXPORT_NAMES_SIZE - position);
      if (position + length == MS_EXPORT_NAMES_SIZE) {
        throw elf_error(at + ": names are not NUL-terminated inside the record");
      }
      names.emplace_back(record.names + position, length);
      position += length + 1;
    }
    signature.name = names[0];
    if (signature.name.empty()) throw elf_error(at + ": the function has no name");
    if (!seen.insert(signature.name).second)
      throw elf_error(at + ": function " + signature.name + " is exported twice");
    signature.param_names.assign(names.begin() + 1, names.end());
    exports_.push_back(std::move(signature));
    export_records_.push_back(uint32_t(i));
    order.push_back(record.order);
  }
  // Compilers may emit the records in any order; list the functions as they were written.
  std::vector<size_t> by_order(exports_.size());
  for (size_t i = 0; i < by_order.size(); ++i) by_order[i] = i;
  std::stable_sort(by_order.begin(), by_order.end(), [&](size_t a, size_t b) { return order[a] < order[b]; });
  std::vector<Signature> sorted;
  std::vector<uint32_t> records;
  for (size_t i : by_order) {
    sorted.push_back(std::move(exports_[i]));
    records.push_back(export_records_[i]);
  }
  exports_ = std::move(sorted);
  export_records_ = std::move(records);
}

}  // namespace microscope
