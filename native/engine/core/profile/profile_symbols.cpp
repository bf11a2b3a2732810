#include "profile_symbols.h"

#include <map>

#include "../debug/debug_info.h"
#include "../debug/frame_variables.h"

namespace microscope {

namespace {

ProfileLocation locate(uint64_t address, bool call, bool by_function, const Sandbox& sandbox,
                       const DebugInfo& debug_info) {
  ProfileLocation location;
  location.address = address;
  location.call = call;
  const uint64_t pc = call ? address - 1 : address;
  location.symbol = sandbox.symbolize(address);
  SourceLine line;
  const bool has_line = debug_info.line_at(pc, &line);
  const std::vector<FunctionAt> chain =
      debug_info.has_lines() ? inline_chain(debug_info, pc) : std::vector<FunctionAt>{};
  if (chain.empty()) {
    const Symbol* symbol = sandbox.function_at(pc);
    ProfileFrame frame{symbol ? symbol->name : location.symbol, has_line ? line.file : "", has_line ? line.line : 0,
                       false};
    location.frames.push_back(std::move(frame));
  } else {
    for (size_t i = 0; i < chain.size(); ++i) {
      ProfileFrame frame;
      frame.function = chain[i].name.empty() ? "??" : chain[i].name;
      frame.inlined = i + 1 < chain.size();
      if (i == 0) {
        if (has_line) {
          frame.file = line.file;
          frame.line = line.line;
        }
      } else {
        frame.file = chain[i].call_file;
        frame.line = chain[i].call_line;
      }
      location.frames.push_back(std::move(frame));
    }
  }
  if (call && by_function) {
    // It stands for every call its function makes: no one line or address.
    location.symbol = location.frames.back().function;
    for (ProfileFrame& frame : location.frames) frame.line = 0;
  }
  return location;
}

}  // namespace

NamedProfile name_profile(const CpuProfile& profile, const Sandbox& sandbox, const DebugInfo& debug_info) {
  NamedProfile named;
  std::map<std::pair<uint64_t, bool>, uint32_t> index;  // (address, call) -> location
  const bool by_function = profile.kind == CpuProfile::Kind::Exact;
  named.samples.reserve(profile.stacks.size());
  for (const ProfileStack& stack : profile.stacks) {
    NamedProfile::Sample sample{{}, stack.count};
    for (size_t i = 0; i < stack.addresses.size(); ++i) {
      const auto key = std::make_pair(stack.addresses[i], i > 0);
      auto [it, fresh] = index.try_emplace(key, uint32_t(named.locations.size()));
      if (fresh) named.locations.push_back(locate(key.first, key.second, by_function, sandbox, debug_info));
      sample.locations.push_back(it->second);
    }
    named.samples.push_back(std::move(sample));
  }
  return named;
}

}  // namespace microscope
