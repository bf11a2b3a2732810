#include "entry_arguments.h"

#include "frame_variables.h"
#include "variable_text.h"

namespace microscope {

std::string EntryArguments::text(uint64_t function_address, const ArgumentRegisters& entry) {
  std::vector<uint64_t> key(entry.registers, entry.registers + 6);
  key.push_back(entry.rsp);
  auto [it, fresh] = known_.try_emplace({function_address, std::move(key)});
  if (!fresh) return it->second;
  if (!code_.debug_info().has_lines()) return it->second;
  FrameState state;
  // DWARF numbers: rdi 5, rsi 4, rdx 1, rcx 2, r8 8, r9 9.
  const int numbers[6] = {5, 4, 1, 2, 8, 9};
  for (int i = 0; i < 6; ++i) state.set(numbers[i], entry.registers[i]);
  state.set(FrameState::kRip, function_address);
  state.set(FrameState::kRsp, entry.rsp);
  const FrameContext frame{sandbox_.memory(), code_.debug_info(), code_.types(), state};
  TextLimits limits;
  limits.string_length = 24;
  limits.elements = 4;
  limits.text = 48;
  std::string text;
  for (const NamedValue& argument : frame_scopes(frame, false).arguments) {
    if (!text.empty()) text += ", ";
    text += argument.name + "=" + value_text(frame, argument.value, limits);
  }
  it->second = text;
  return it->second;
}

}  // namespace microscope
