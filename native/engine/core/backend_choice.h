// Which backend a sandbox gets: "emulated", "kvm", or "auto" (KVM where it works,
// otherwise emulated), and why, so every result can say which one ran.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "backend.h"

namespace microscope {

struct BackendChoice {
  std::string name;
  std::string reason;
  bool nx;  // the backend enables EFER.NXE: the page tables carry the NX bit
  std::function<std::unique_ptr<Backend>(GuestMemory&, const Layout&)> create;
};

// Throws EngineError(Backend) when the requested backend can't be used, saying why and
// what to do; EngineError(Usage) for a name that is no backend.
BackendChoice choose_backend(const std::string& requested);

}  // namespace microscope
