#include "backend_choice.h"

#include "errors.h"

namespace microscope {

BackendChoice choose_backend(const std::string& requested) {
  if (requested == "emulated") return {"emulated", "requested", create_emulated_backend};
  if (requested == "auto") {
    return {"emulated", "auto: this build has no KVM backend yet, so the emulated one runs", create_emulated_backend};
  }
  if (requested == "kvm") {
    throw EngineError(ErrorKind::Backend,
                      "the KVM backend is not part of this build yet; use --backend emulated (or auto)");
  }
  throw usage_error("unknown backend '" + requested + "': expected auto, emulated or kvm");
}

}  // namespace microscope
