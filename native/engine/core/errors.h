// The engine's errors for bad input. Each message names the rule that was broken, so
// it reads as documentation ("segment 2: p_filesz 0x2000 > p_memsz 0x1000").
// Outcomes of a guest call (faults, aborts, ...) are not errors: see outcome.h.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace microscope {

enum class ErrorKind {
  Elf,       // the guest file is not a loadable Microscope guest
  Usage,     // a wrong argument from the API, CLI or UI
  Backend,   // the requested backend can't be used here
  Memory,    // a guest address range outside guest memory
  Busy,      // the sandbox is running a call
  Internal,  // the engine or the emulator failed; a bug or a broken installation
};

class EngineError : public std::runtime_error {
 public:
  EngineError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

inline EngineError elf_error(const std::string& message) { return EngineError(ErrorKind::Elf, message); }
inline EngineError usage_error(const std::string& message) { return EngineError(ErrorKind::Usage, message); }

const char* error_kind_name(ErrorKind kind);

std::string hex(uint64_t value);

}  // namespace microscope
