#include "backend_choice.h"

#include "errors.h"
#include "kvm/kvm_device.h"

namespace microscope {

BackendChoice choose_backend(const std::string& requested) {
  const BackendChoice emulated{"emulated", "", false, create_emulated_backend};
  if (requested == "emulated") {
    BackendChoice choice = emulated;
    choice.reason = "requested";
    return choice;
  }
  if (requested != "auto" && requested != "kvm") {
    throw usage_error("unknown backend '" + requested + "': expected auto, emulated or kvm");
  }
  const KvmAvailability kvm = kvm_availability();
  if (kvm.usable) {
    return {"kvm", requested == "kvm" ? "requested" : "auto: /dev/kvm works", true, create_kvm_backend};
  }
  if (requested == "kvm") {
    throw EngineError(ErrorKind::Backend, "the KVM backend can't be used: " + kvm.reason +
                                              ". The emulated backend runs anywhere: --backend emulated (CLI), "
                                              "backend: 'emulated' (Node).");
  }
  BackendChoice choice = emulated;
  choice.reason = "auto: KVM can't be used (" + kvm.reason + "), so the emulated backend runs";
  return choice;
}

}  // namespace microscope
