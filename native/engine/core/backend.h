// What a hypervisor gives the engine: one vCPU over the guest's memory, registers to get
// and set, a run loop that ends at an exit, a stop that works from any thread, and the
// pages the guest wrote. Nothing above this interface knows which backend runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "guest_memory.h"
#include "layout.h"

namespace microscope {

struct Registers {
  uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
  uint64_t rip, rflags;
};

struct SegmentRegister {
  uint16_t selector;
  uint64_t base;
  uint32_t limit;
};

struct DescriptorTable {
  uint64_t base;
  uint16_t limit;
};

struct SpecialRegisters {
  SegmentRegister cs, ds, es, fs, gs, ss, tr;
  DescriptorTable gdt, idt;
  uint64_t cr0, cr2, cr3, cr4, efer;
};

// SSE: XMM0-15 (16 bytes each, little-endian) and MXCSR.
struct SseRegisters {
  uint8_t xmm[16][16];
  uint32_t mxcsr;
};

// The registers set before each entry (init or call); the rest come from the snapshot.
// Arguments go in the SysV argument registers: RDI, RSI, RDX, RCX, R8, R9 and XMM0-7.
struct EntryRegisters {
  uint64_t rip, rsp;
  uint8_t integer_count = 0, float_count = 0;
  uint64_t integers[6] = {};
  double floats[8] = {};
};

// A whole vCPU state, opaque: each backend saves it in its cheapest form.
class CpuState {
 public:
  virtual ~CpuState() = default;
};

// Vectors beyond the 256 of the IDT, for exits that are not exceptions.
constexpr int kVectorTripleFault = 256;  // the CPU shut down: a fault while delivering a fault
constexpr int kVectorStrayHalt = 257;    // `hlt` executed somewhere other than the engine's halt stub
constexpr int kVectorBadPort = 258;      // `in`/`out` on a port the engine doesn't serve
constexpr int kVectorUnsupported = 260;  // an instruction the backend can't run (core/control_policy.h)

struct Fault {
  int vector = 0;
  uint64_t rip = 0;
  // False for a triple fault: KVM's shutdown exit leaves no faulting instruction (AMD's
  // SVM resets the vCPU), so neither backend names one.
  bool rip_known = true;
  // RIP is past the faulting instruction (KVM completes a write to read-only memory
  // before it exits); the sandbox finds the instruction by decoding its function.
  bool rip_after = false;
  bool has_error_code = false;
  uint32_t error_code = 0;
  bool has_cr2 = false;
  uint64_t cr2 = 0;
  std::string detail;  // what the backend knows beyond the vector, may be empty
};

enum class ExitKind {
  Halted,      // reached the engine's halt stub: the entry returned
  Fault,       // an exception, triple fault or stray halt; after it, restore a CpuState before running
  Stopped,     // request_stop(): the state is good only for restoring, not for running on
  Yielded,     // request_yield(), or an I/O handler asked to yield: run() may continue it
  Error,       // the backend itself failed
  Stepped,     // DebugControl::single_step: one instruction ran; run() may continue
  Breakpoint,  // DebugControl::breakpoints: an int3 ran; RIP is back on it; run() may continue
  Watched,     // DebugControl::watches: an instruction accessed a watched range; RIP is past it
  Positioned,  // Backend::stop_at_block_of(): the block holding that position is about to begin
};

// An instruction count no run reaches: no position.
constexpr uint64_t kNoPosition = ~uint64_t(0);

// What the debugger (core/debug) asks of the runs that follow, besides their exits.
struct WatchRange {
  uint64_t address;
  uint32_t length;
  bool read, write;
};

// Told of every store to a range, without stopping the run (a recording's "last write"
// search, debug/time_travel.cpp). Called inside the store, before it lands.
class WriteListener {
 public:
  virtual ~WriteListener() = default;
  virtual void on_write(uint64_t position, uint64_t instruction, uint64_t address, uint32_t size, uint64_t value) = 0;
};

// Told of every instruction before it runs, with the registers that say which frame it is
// in (a recording's history, for reverse line steps).
class InstructionListener {
 public:
  virtual ~InstructionListener() = default;
  virtual void on_instruction(uint64_t position, uint64_t rip, uint64_t rsp, uint64_t rbp) = 0;
};

// What the guest reads from the CPU that a replay would not compute again: the time
// stamp counter (rdtsc, rdtscp) and the random number generator (rdrand, rdseed). After
// such an instruction ran, the registers it wrote, by their position in `values`.
class CpuInputLog {
 public:
  virtual ~CpuInputLog() = default;
  // True when a replay has recorded values for the instruction at `position`: they
  // replace `values`. Otherwise `values` are what it read, to record.
  virtual bool replayed_input(uint64_t position, uint64_t values[3], int count) = 0;
  virtual void recorded_input(uint64_t position, const uint64_t values[3], int count) = 0;
};

// One CPUID answer: for leaf `function` (and subleaf `index`, where `indexed`).
struct CpuidEntry {
  uint32_t function, index;
  bool indexed;
  uint32_t eax, ebx, ecx, edx;
};

struct DebugControl {
  bool single_step = false;  // stop after one instruction
  // Stop after this many instructions (0: no limit). Only where instructions are counted
  // (count_instructions()); a single step is 1.
  uint64_t instructions = 0;
  bool breakpoints = false;  // an int3 stops the run (the engine writes them at its breakpoints)
  std::vector<WatchRange> watches;
  // Only where instructions are counted: listeners that never stop the run.
  WriteListener* write_listener = nullptr;
  uint64_t listened_address = 0;
  uint32_t listened_length = 0;
  InstructionListener* instruction_listener = nullptr;
};

// After a Watched exit: which access. The emulated backend knows the access exactly;
// KVM's debug registers know the watched piece it touched, not the instruction, which
// has run by then (instruction_known false).
struct WatchHit {
  size_t watch = 0;  // index into DebugControl::watches
  uint64_t address = 0;
  uint32_t size = 0;
  bool write = false;
  bool instruction_known = false;
  uint64_t instruction = 0;
};

struct RunExit {
  ExitKind kind;
};

// What the guest's `out`/`in` get back, and what the run does next.
struct IoAction {
  enum Next { Continue, Yield, Stop };
  uint64_t rax;
  Next next;
};

class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // Called on the thread running the guest, while the guest waits in the instruction.
  virtual IoAction on_out(uint16_t port, uint32_t value) = 0;
  virtual IoAction on_in(uint16_t port) = 0;
};

class Backend;

// Sees the start of every translated block the guest runs, on the thread that runs it
// (the emulated backend's block hook: how a call is traced and profiled exactly there).
// `size`: the block's bytes, 0 where not known.
class BlockObserver {
 public:
  virtual ~BlockObserver() = default;
  virtual void on_block(uint64_t address, uint32_t size, Backend& backend) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;

  // Runs from the current RIP until an exit.
  virtual RunExit run(IoHandler& io) = 0;
  // After a Fault exit: what happened. After an Error exit: why.
  virtual const Fault& fault() const = 0;
  virtual const std::string& error() const = 0;
  // Safe from any thread, at any time; a stop that arrives while no run is under way may
  // be lost. It ends the run wherever the vCPU is, so the call can't go on afterwards.
  virtual void request_stop() = 0;
  // From any thread: end the run where it can be continued (the emulated backend: at the
  // start of the next translated block), for the call to go on, maybe on another thread.
  virtual void request_yield() = 0;
  // Whether run() may be called from different threads one after another (the emulated
  // backend), or only from the thread that made the vCPU (KVM).
  virtual bool runs_on_any_thread() const = 0;

  virtual void set_entry(const EntryRegisters& entry) = 0;
  // The entry's result as the SysV ABI returns it.
  virtual void read_result(uint64_t* rax, double* xmm0) = 0;

  virtual Registers registers() = 0;
  virtual void set_registers(const Registers& registers) = 0;
  virtual SpecialRegisters special_registers() = 0;
  // Segment attributes follow from the selectors and the GDT. On the emulated backend a
  // CR3 written here leaves stale translations (Unicorn 2.0.1 flushes nothing).
  virtual void set_special_registers(const SpecialRegisters& registers) = 0;
  // RSP alone, as cheaply as the backend reads it.
  virtual uint64_t stack_pointer() = 0;
  // The SysV integer argument registers, RDI, RSI, RDX, RCX, R8 and R9, as cheaply (a
  // call's trace reads them at every function's entry).
  virtual void argument_registers(uint64_t out[6]) = 0;
  virtual SseRegisters sse_registers() = 0;
  virtual void set_sse_registers(const SseRegisters& registers) = 0;

  virtual std::unique_ptr<CpuState> save_cpu() = 0;
  virtual void restore_cpu(const CpuState& state) = 0;

  // Adds the pages the guest wrote since the last call to the memory's dirty set.
  virtual void collect_dirty_pages() = 0;
  // The host rewrote [begin, end) of guest memory; code translated from it is stale.
  virtual void code_rewritten(uint64_t begin, uint64_t end) = 0;

  // For the runs that follow; throws when this backend can't watch those ranges.
  virtual void set_debug(const DebugControl& control) = 0;
  virtual const WatchHit& watch_hit() const = 0;
  // A Yielded exit every `period_ns` from now on, by a timer of the backend's own (KVM: a
  // signal to the vCPU's thread); false when it has none, and a profiler's thread must ask
  // (request_yield). stop_sampling() ends it.
  virtual bool start_sampling(uint64_t /*period_ns*/) { return false; }
  virtual void stop_sampling() {}
  // Exact positions, for recording and replaying a call (debug/recording.h): the count of
  // guest instructions the vCPU has run, each turn of a rep-prefixed instruction counting
  // as one, as single steps count them. The emulated backend counts at each block (its
  // decoded instructions); false where the backend can't count (KVM).
  virtual bool count_instructions(bool /*on*/) { return false; }
  // The count now: exact between runs and inside an I/O handler.
  virtual uint64_t position() { return 0; }
  virtual void set_position(uint64_t /*position*/) {}
  // A Positioned exit, once, at the start of the block that holds instruction `position`
  // (the block it starts, when the count is past it already), but not twice at one block
  // with nothing run between; kNoPosition for none.
  virtual void stop_at_block_of(uint64_t /*position*/) {}
  // Where instructions are counted: rdtsc, rdtscp, rdrand and rdseed results go to `log`
  // (null: no more).
  virtual void log_cpu_inputs(CpuInputLog* /*log*/) {}
  // The CPUID answers the vCPU was given (KVM's table, before the bits it sets at run
  // time); false where they come from the backend's own CPU model (the emulator's).
  virtual bool cpuid_table(std::vector<CpuidEntry>* /*out*/) const { return false; }
  // From now on CPUID answers from `table`, as the backend that has it does (the emulated
  // twin replaying a call recorded on KVM); null: the backend's own answers again.
  virtual void answer_cpuid(const std::vector<CpuidEntry>* /*table*/) {}
  // Reports every block the guest enters from now on to `observer` (null: no more).
  // False when this backend can't (KVM); a trace then stops at breakpoints instead.
  virtual bool observe_blocks(BlockObserver* observer) = 0;
};

std::unique_ptr<Backend> create_emulated_backend(GuestMemory& memory, const Layout& layout);

}  // namespace microscope
