// Which lines and instructions a set of calls ran. On the emulated backend, exact: every
// block the guest enters is counted (as the exact CPU profile counts them, without call
// paths) and decoded into instructions at the end. On KVM, by one-shot breakpoints: an
// int3 at the start of every statement the line table has and at every function's entry,
// each taken out the first time it is hit, so a line costs one exit however often it runs
// (cheaper than single-stepping, which costs one per instruction); a line is then hit or
// not, not counted, and the guest reading its own code would see the int3s not yet hit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "../debug/debug_info.h"
#include "../sandbox.h"

namespace microscope {

struct CoverageLine {
  int line;
  uint64_t count;  // exact: times its statements began; KVM: 1 when hit
};

struct CoverageFunction {
  std::string name;
  int line;        // of its first instruction, 0 where unknown
  uint64_t count;  // exact: times entered; KVM: 1 when entered
};

struct CoverageFile {
  std::string path;                 // as the compiler recorded it
  std::vector<CoverageLine> lines;  // every line with code, ascending
  std::vector<CoverageFunction> functions;
};

struct Coverage {
  bool exact = true;
  uint64_t calls = 0;
  // exact: every instruction run, with how often; KVM: the statements and entries hit.
  std::map<uint64_t, uint64_t> instructions;
  std::vector<CoverageFile> files;
};

class CoverageRecorder final : private BlockObserver {
 public:
  CoverageRecorder(Sandbox& sandbox, const DebugInfo& debug_info);
  ~CoverageRecorder() override;  // takes out the int3s still in the code
  CoverageRecorder(const CoverageRecorder&) = delete;
  CoverageRecorder& operator=(const CoverageRecorder&) = delete;

  // One call (restoring the last snapshot first, as calls do), recorded.
  CallOutcome call(size_t function, const std::vector<Value>& args);
  Coverage result() const;

 private:
  void on_block(uint64_t address, uint32_t size, Backend& backend) override;
  void arm();
  void insert();
  void disarm(uint64_t address);

  Sandbox& sandbox_;
  const DebugInfo& debug_info_;
  bool exact_ = true;
  uint64_t calls_ = 0;
  std::unordered_map<uint64_t, std::unordered_map<uint32_t, uint64_t>> blocks_;  // address -> size -> count
  std::map<uint64_t, uint8_t> armed_;  // KVM: int3 address -> the byte it replaced
  std::map<uint64_t, uint64_t> hit_;   // KVM: the int3s taken out
};

}  // namespace microscope
