// /dev/kvm: whether it can be used here, and if not, why and what to do about it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../backend.h"

namespace microscope {

struct KvmAvailability {
  bool usable;
  std::string reason;  // when not usable: what is wrong and what to do
};

// Opens /dev/kvm once per process and checks the API version (12) and every capability
// the backend uses.
const KvmAvailability& kvm_availability();

// A new KVM file descriptor (the caller closes it); -1 when KVM can't be used.
int open_kvm();

// Gives the vCPU every CPUID feature KVM supports but virtualization (VMX, SVM). False with errno set on failure.
// `table` (may be null) gets the entries set.
bool set_supported_cpuid(int kvm, int vcpu, std::vector<CpuidEntry>* table = nullptr);

std::unique_ptr<Backend> create_kvm_backend(GuestMemory& memory, const Layout& layout);

}  // namespace microscope
