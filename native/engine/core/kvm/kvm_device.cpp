#include "kvm_device.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "kvm_registers.h"

namespace microscope {

namespace {

// Closes a file descriptor, or unmaps, on the way out.
struct Descriptor {
  int fd;
  explicit Descriptor(int descriptor) : fd(descriptor) {}
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
};

struct Mapping {
  void* address;
  size_t size;
  ~Mapping() { munmap(address, size); }
};

struct Capability {
  int id;
  const char* name;
};

// What the backend relies on. All are in Linux since 5.10 (the MSR filter, which sends
// every rdmsr and wrmsr to the engine).
const Capability kRequired[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},       {KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"},
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"}, {KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM"},
    {KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR"},     {KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR"},
    {KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER"}, {KVM_CAP_DEBUGREGS, "KVM_CAP_DEBUGREGS"},
};

// A VM with 2 MiB of memory, identity-mapped by one 2 MiB page, that runs `pxor xmm0,
// xmm0; hlt` from the engine's own entry state. Returns what went wrong, or "".
std::string run_probe_guest(int kvm) {
  constexpr uint64_t kSize = 2 << 20, kCode = 0x5000;
  Descriptor vm(ioctl(kvm, KVM_CREATE_VM, 0));
  if (vm.fd < 0) return std::string("KVM_CREATE_VM: ") + std::strerror(errno);
  if (ioctl(vm.fd, KVM_SET_TSS_ADDR, 0xfffbd000) < 0) return std::string("KVM_SET_TSS_ADDR: ") + std::strerror(errno);
  void* memory = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return std::string("mmap: ") + std::strerror(errno);
  Mapping unmap_memory{memory, kSize};
  auto* bytes = static_cast<uint8_t*>(memory);
  const uint64_t pml4 = MS_PAGE_TABLES_ADDRESS, pdpt = pml4 + 0x1000, pd = pdpt + 0x1000;
  const uint64_t entries[] = {pdpt | 0x63, pd | 0x63, 0xe3};  // present, writable, A, D; the PD's: 2 MiB page
  std::memcpy(bytes + pml4, &entries[0], 8);
  std::memcpy(bytes + pdpt, &entries[1], 8);
  std::memcpy(bytes + pd, &entries[2], 8);
  const uint64_t gdt[3] = {0, 0x00af9b000000ffffull, 0x00cf93000000ffffull};
  std::memcpy(bytes + MS_GDT_ADDRESS, gdt, sizeof gdt);
  const uint8_t code[] = {0x66, 0x0f, 0xef, 0xc0, 0xf4};  // pxor xmm0, xmm0; hlt
  std::memcpy(bytes + kCode, code, sizeof code);
  kvm_userspace_memory_region region{0, 0, 0, kSize, uint64_t(uintptr_t(memory))};
  if (ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
    return std::string("KVM_SET_USER_MEMORY_REGION: ") + std::strerror(errno);
  Descriptor vcpu(ioctl(vm.fd, KVM_CREATE_VCPU, 0));
  if (vcpu.fd < 0) return std::string("KVM_CREATE_VCPU: ") + std::strerror(errno);
  if (!set_supported_cpuid(kvm, vcpu.fd)) return std::string("CPUID: ") + std::strerror(errno);
  const int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  void* run = mmap(nullptr, size_t(run_size), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu.fd, 0);
  if (run_size < 0 || run == MAP_FAILED) return std::string("mmap kvm_run: ") + std::strerror(errno);
  Mapping unmap_run{run, size_t(run_size)};
  try {
    write_kvm_entry_state(vcpu.fd, 0);
    kvm_regs regs{};
    regs.rip = kCode;
    regs.rflags = 2;
    if (ioctl(vcpu.fd, KVM_SET_REGS, &regs) < 0) return std::string("KVM_SET_REGS: ") + std::strerror(errno);
  } catch (const std::exception& error) {
    return error.what();
  }
  if (ioctl(vcpu.fd, KVM_RUN, 0) < 0) return std::string("KVM_RUN: ") + std::strerror(errno);
  const auto* state = static_cast<const kvm_run*>(run);
  if (state->exit_reason == KVM_EXIT_HLT) return "";
  if (state->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
    return "KVM could not run an SSE instruction (internal error, suberror " +
           std::to_string(state->internal.suberror) + "), as a paravirtual KVM such as kvm-pvm can't";
  }
  return "a test guest exited with KVM exit reason " + std::to_string(state->exit_reason) + ", not HLT";
}

KvmAvailability probe() {
  const int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) {
      return {false,
              "/dev/kvm does not exist: this machine has no KVM (no hardware virtualization, or the kvm_intel "
              "or kvm_amd module is not loaded)"};
    }
    if (error == EACCES || error == EPERM) {
      return {false,
              "permission denied opening /dev/kvm: add your user to the kvm group (sudo usermod -aG kvm $USER) "
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
  // The last proof: a tiny guest runs, in long mode, with SSE (not every /dev/kvm can:
  // kvm-pvm, the paravirtual one some cloud VMs have, fails on SSE instructions).
  const std::string failure = run_probe_guest(fd);
  close(fd);
  if (!failure.empty()) return {false, "/dev/kvm is there but can't run a guest: " + failure};
  return {true, ""};
}

}  // namespace

const KvmAvailability& kvm_availability() {
  static const KvmAvailability availability = probe();
  return availability;
}

int open_kvm() { return kvm_availability().usable ? open("/dev/kvm", O_RDWR | O_CLOEXEC) : -1; }

bool set_supported_cpuid(int kvm, int vcpu, std::vector<CpuidEntry>* table) {
  // struct kvm_cpuid2 is an 8-byte header (nent, padding) and its entries. In C++ the
  // header's __DECLARE_FLEX_ARRAY puts the entries at offset 12 and makes the ioctl
  // numbers built from the struct wrong, so the buffer is laid out by hand and these are
  // the kernel's numbers.
  constexpr size_t kHeader = 8;
  constexpr unsigned long kGetSupportedCpuid = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x05, kHeader);
  constexpr unsigned long kSetCpuid2 = _IOC(_IOC_WRITE, KVMIO, 0x90, kHeader);
  constexpr uint32_t kEntries = 256;
  std::vector<uint8_t> buffer(kHeader + kEntries * sizeof(kvm_cpuid_entry2));
  std::memcpy(buffer.data(), &kEntries, 4);  // nent: what the buffer holds; KVM sets what it filled
  if (ioctl(kvm, kGetSupportedCpuid, buffer.data()) < 0) return false;
  // No virtualization inside the micro-VM: a guest that could run its own VMs would reach
  // far more of KVM than a guest function needs (and the emulated backend has none).
  uint32_t count;
  std::memcpy(&count, buffer.data(), 4);
  for (uint32_t i = 0; i < count && i < kEntries; ++i) {
    kvm_cpuid_entry2 entry;
    std::memcpy(&entry, buffer.data() + kHeader + i * sizeof entry, sizeof entry);
    if (entry.function == 1) entry.ecx &= ~(1u << 5);           // VMX
    if (entry.function == 0x80000001) entry.ecx &= ~(1u << 2);  // SVM
    std::memcpy(buffer.data() + kHeader + i * sizeof entry, &entry, sizeof entry);
    if (table) {
      table->push_back({entry.function, entry.index, (entry.flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) != 0, entry.eax,
                        entry.ebx, entry.ecx, entry.edx});
    }
  }
  return ioctl(vcpu, kSetCpuid2, buffer.data()) >= 0;
}

}  // namespace microscope
