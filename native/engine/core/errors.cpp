#include "errors.h"

#include <cstdio>

namespace microscope {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Elf: return "elf";
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Backend: return "backend";
    case ErrorKind::Memory: return "memory";
    case ErrorKind::Busy: return "busy";
    case ErrorKind::Internal: return "internal";
  }
  return "internal";
}

std::string hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace microscope
