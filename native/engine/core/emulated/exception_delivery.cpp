#include "exception_delivery.h"

#include <cstring>

#include "../../../include/microscope/abi.h"
#include "../errors.h"
#include "../outcome.h"

namespace microscope {

namespace {

constexpr uint64_t kGateSize = 16;

bool read_table_entry(const GuestMemory& memory, const uc_x86_mmr& table, uint64_t offset, uint64_t size, void* out) {
  if (offset + size - 1 > table.limit) return false;
  const uint8_t* bytes = memory.range(table.base + offset, size);
  if (!bytes) return false;
  std::memcpy(out, bytes, size);
  return true;
}

}  // namespace

Delivery deliver_exception(uc_engine* uc, const GuestMemory& memory, int vector) {
  const std::string name = vector_name(vector);
  uc_x86_mmr idtr{}, gdtr{};
  uc_reg_read(uc, UC_X86_REG_IDTR, &idtr);
  uc_reg_read(uc, UC_X86_REG_GDTR, &gdtr);

  uint8_t gate[kGateSize];
  if (!read_table_entry(memory, idtr, uint64_t(vector) * kGateSize, kGateSize, gate)) {
    return {Delivery::TripleFault, "the guest's IDT (lidt " + hex(idtr.base) + ", limit " + hex(idtr.limit) +
                                       ") has no readable gate for " + name};
  }
  const uint8_t* engine_gate = memory.host() + MS_IDT_ADDRESS + uint64_t(vector) * kGateSize;
  const uint8_t type = gate[5];
  const bool present_gate = (type & 0x80) && ((type & 0x0f) == 0x0e || (type & 0x0f) == 0x0f);
  if (!present_gate) return {Delivery::TripleFault, "the guest's IDT holds no usable gate for " + name};
  if (std::memcmp(gate, engine_gate, kGateSize) != 0) {
    return {Delivery::GuestHandler,
            "the guest's IDT leads " + name + " to a handler of its own, which the emulated backend can't run"};
  }
  // The gate's code segment, from the GDT the guest has loaded.
  uint16_t selector;
  std::memcpy(&selector, gate + 2, 2);
  uint64_t descriptor = 0;
  if ((selector & 4) || !read_table_entry(memory, gdtr, selector & ~7u, 8, &descriptor)) {
    return {Delivery::TripleFault, "the GDT (lgdt " + hex(gdtr.base) + ", limit " + hex(gdtr.limit) +
                                       ") has no readable code segment " + hex(selector) + " to deliver " + name};
  }
  const bool present = (descriptor >> 47) & 1, code = ((descriptor >> 43) & 3) == 3, long_mode = (descriptor >> 53) & 1;
  if (!present || !code || !long_mode) {
    return {Delivery::TripleFault, "GDT entry " + hex(selector) + " is no 64-bit code segment to deliver " + name};
  }
  return {Delivery::Delivered, ""};
}

}  // namespace microscope
