#include "unicorn_engine.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "../errors.h"
#include "unicorn_registers.h"

namespace microscope {

namespace {

// Unicorn 2.0.1 maps a 1 GiB read-write-execute buffer for translated code at an engine's
// first memory map, and if the system refuses (a small VM, `ulimit -v`, strict overcommit,
// a policy against writable-executable memory) it prints "Could not allocate dynamic
// translator buffer" and exits the whole process. So ask for the same mapping first and
// fail the sandbox alone. (Memory can still run out between the two, but no longer for
// any lasting reason.) It costs about a microsecond: nothing is touched.
constexpr size_t kTranslationBufferSize = size_t(1) << 30;

void check_translation_buffer_fits() {
  void* buffer =
      mmap(nullptr, kTranslationBufferSize, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buffer == MAP_FAILED) {
    throw EngineError(ErrorKind::Backend,
                      "the emulated backend can't run here: Unicorn needs 1 GiB of writable, executable address "
                      "space for its translated code and the system refused it (" +
                          std::string(std::strerror(errno)) + "; see ulimit -v and vm.overcommit_memory)");
  }
  munmap(buffer, kTranslationBufferSize);
}

}  // namespace

uc_engine* open_unicorn() {
  check_translation_buffer_fits();
  uc_engine* uc = nullptr;
  unicorn_check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "open an x86-64 engine");
  return uc;
}

UnicornCpuState::UnicornCpuState(uc_engine* uc) {
  unicorn_check(uc_context_alloc(uc, &context_), "allocate a CPU context");
}

UnicornCpuState::~UnicornCpuState() { uc_context_free(context_); }

}  // namespace microscope
