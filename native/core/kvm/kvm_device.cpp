#include "kvm_device.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace microscope {

namespace {

struct Capability {
  int id;
  const char* name;
};

// What the backend relies on. All are in Linux since 4.11.
const Capability kRequired[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
    {KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"},
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
    {KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM"},
    {KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR"},
};

KvmAvailability probe() {
  const int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) {
      return {false,
              "/dev/kvm does not exist: this machine has no KVM (no hardware virtualization, or the kvm module "
              "is not loaded); use --backend emulated"};
    }
    if (error == EACCES || error == EPERM) {
      return {false, "permission denied opening /dev/kvm: add your user to the kvm group (sudo usermod -aG kvm $USER) "
                     "and log in again"};
    }
    return {false, std::string("can't open /dev/kvm: ") + std::strerror(error)};
  }
  const int version = ioctl(fd, KVM_GET_API_VERSION, 0);
  if (version != KVM_API_VERSION) {
    close(fd);
    return {false, "/dev/kvm speaks KVM API version " + std::to_string(version) + ", not " +
                       std::to_string(KVM_API_VERSION) + "; the kernel is too old or too new for this build"};
  }
  for (const Capability& capability : kRequired) {
    if (ioctl(fd, KVM_CHECK_EXTENSION, capability.id) <= 0) {
      close(fd);
      return {false, std::string("the kernel's KVM lacks ") + capability.name + "; use a newer kernel"};
    }
  }
  // The last proof: a VM can be made (a nested guest without SVM or VMX fails here).
  const int vm = ioctl(fd, KVM_CREATE_VM, 0);
  if (vm < 0) {
    const std::string reason = std::string("KVM_CREATE_VM failed: ") + std::strerror(errno);
    close(fd);
    return {false, reason};
  }
  close(vm);
  close(fd);
  return {true, ""};
}

}  // namespace

const KvmAvailability& kvm_availability() {
  static const KvmAvailability availability = probe();
  return availability;
}

int open_kvm() { return kvm_availability().usable ? open("/dev/kvm", O_RDWR | O_CLOEXEC) : -1; }

}  // namespace microscope
