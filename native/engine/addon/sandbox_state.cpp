// What a sandbox holds, read and changed from JS while it is idle: its layout, snapshots,
// dirty pages, memory and registers (these two also while a debugged call is paused).
// Changes happen on the vCPU thread.
#include <algorithm>

#include "arguments.h"
#include "js_registers.h"
#include "js_values.h"
#include "sandbox_object.h"

namespace microscope {

namespace {

const char* access_text(uint8_t access) {
  static const char* const kTexts[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
  return kTexts[access & 7];
}

}  // namespace

Napi::Value SandboxObject::Layout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const microscope::Layout& layout = idle_sandbox().layout();
  Napi::Object object = Napi::Object::New(env);
  object.Set("memorySize", double(layout.memory_size));
  object.Set("loadBias", double(layout.load_bias));
  object.Set("inputBuffer", double(layout.input_buffer));
  object.Set("outputBuffer", double(layout.output_buffer));
  object.Set("ioBufferSize", double(layout.io_buffer_size));
  object.Set("heapBegin", double(layout.heap_begin));
  object.Set("heapEnd", double(layout.heap_end));
  object.Set("stackBase", double(layout.stack_base));
  object.Set("stackTop", double(layout.stack_top));
  Napi::Array regions = Napi::Array::New(env, layout.regions.size());
  for (size_t i = 0; i < layout.regions.size(); ++i) {
    const Region& region = layout.regions[i];
    Napi::Object r = Napi::Object::New(env);
    r.Set("name", region.name);
    r.Set("begin", double(region.begin));
    r.Set("end", double(region.end));
    r.Set("access", access_text(region.access));
    regions.Set(uint32_t(i), r);
  }
  object.Set("regions", regions);
  return object;
}

Napi::Value SandboxObject::TakeSnapshot(const Napi::CallbackInfo& info) {
  Sandbox& box = idle_sandbox();
  uint64_t id = 0;
  vcpu_->run_and_wait([&] { id = box.snapshots().take(); });
  return Napi::Number::New(info.Env(), double(id));
}

Napi::Value SandboxObject::RestoreSnapshot(const Napi::CallbackInfo& info) {
  Sandbox& box = idle_sandbox();
  const uint64_t id = count_argument(info[0], "snapshot");
  std::optional<EngineError> error;
  vcpu_->run_and_wait([&] {
    try {
      box.snapshots().restore(id);
    } catch (const EngineError& e) {
      error = e;
    }
  });
  if (error) throw *error;
  return info.Env().Undefined();
}

Napi::Value SandboxObject::DropSnapshot(const Napi::CallbackInfo& info) {
  Sandbox& box = idle_sandbox();
  box.snapshots().drop(count_argument(info[0], "snapshot"));
  return info.Env().Undefined();
}

// compareSnapshots(a: number, b?: number): where snapshot a differs from snapshot b, or
// from guest memory now: [{ page, ranges: [{ address, length }] }], addresses in guest memory.
Napi::Value SandboxObject::CompareSnapshots(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Sandbox& box = inspectable_sandbox();
  const uint64_t a = count_argument(info[0], "snapshot");
  const uint64_t b = info[1].IsUndefined() ? 0 : count_argument(info[1], "snapshot");
  std::vector<PageDifference> differences;
  std::optional<EngineError> error;
  vcpu_->run_and_wait([&] {
    try {
      differences = box.snapshots().compare(a, b);
    } catch (const EngineError& e) {
      error = e;
    }
  });
  if (error) throw *error;
  Napi::Array array = Napi::Array::New(env, differences.size());
  for (size_t i = 0; i < differences.size(); ++i) {
    const uint64_t page = uint64_t(differences[i].page) * MS_PAGE_SIZE;
    Napi::Object object = Napi::Object::New(env);
    object.Set("page", double(page));
    Napi::Array ranges = Napi::Array::New(env, differences[i].runs.size());
    for (size_t r = 0; r < differences[i].runs.size(); ++r) {
      Napi::Object range = Napi::Object::New(env);
      range.Set("address", double(page + differences[i].runs[r].first));
      range.Set("length", differences[i].runs[r].second);
      ranges.Set(uint32_t(r), range);
    }
    object.Set("ranges", ranges);
    array.Set(uint32_t(i), object);
  }
  return array;
}

// The guest addresses of the pages written since the last snapshot was taken or restored.
Napi::Value SandboxObject::DirtyPages(const Napi::CallbackInfo& info) {
  Sandbox& box = idle_sandbox();
  std::vector<uint32_t> pages;
  vcpu_->run_and_wait([&] {
    box.backend().collect_dirty_pages();
    pages = box.memory().dirty().pages();
  });
  std::sort(pages.begin(), pages.end());
  Napi::Array array = Napi::Array::New(info.Env(), pages.size());
  for (size_t i = 0; i < pages.size(); ++i) array.Set(uint32_t(i), double(uint64_t(pages[i]) * MS_PAGE_SIZE));
  return array;
}

// readMemory(address: number | bigint, length: number): Uint8Array
Napi::Value SandboxObject::ReadMemory(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  const uint64_t address = address_argument(info[0]);
  const uint64_t length = count_argument(info[1], "length");
  if (!box.memory().contains(address, length)) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, length));
  }
  std::string bytes(length, '\0');
  box.memory().read(address, bytes.data(), length);
  return to_js(info.Env(), microscope::Value::of_bytes(std::move(bytes)));
}

// readSnapshot(id: number, address: number | bigint, length: number): Uint8Array, the bytes
// as snapshot `id` holds them.
Napi::Value SandboxObject::ReadSnapshot(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  const uint64_t id = count_argument(info[0], "snapshot");
  const uint64_t address = address_argument(info[1]);
  const uint64_t length = count_argument(info[2], "length");
  if (!box.memory().contains(address, length)) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, length));
  }
  std::string bytes(length, '\0');
  box.snapshots().read(id, address, reinterpret_cast<uint8_t*>(bytes.data()), length);
  return to_js(info.Env(), microscope::Value::of_bytes(std::move(bytes)));
}

// writeMemory(address: number | bigint, bytes: Uint8Array): void
Napi::Value SandboxObject::WriteMemory(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  const uint64_t address = address_argument(info[0]);
  const std::vector<uint8_t> bytes = bytes_argument(info[1], "bytes");
  if (!box.memory().contains(address, bytes.size())) {
    throw EngineError(ErrorKind::Memory, box.memory().describe_range(address, bytes.size()));
  }
  vcpu_->run_and_wait([&] {
    box.memory().write(address, bytes.data(), bytes.size());
    box.backend().code_rewritten(address, address + bytes.size());
  });
  return info.Env().Undefined();
}

// registers(): the vCPU's registers as the last call or restore left them.
Napi::Value SandboxObject::GetRegisters(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  RegisterSet registers;
  vcpu_->run_and_wait([&] { registers = RegisterSet::read(box.backend()); });
  return registers_to_js(info.Env(), registers);
}

// setRegisters(changes): changes the registers named; the next call sets its own entry
// registers (native/README.md, "Entry state") and a restore puts the snapshot's back.
Napi::Value SandboxObject::SetRegisters(const Napi::CallbackInfo& info) {
  Sandbox& box = inspectable_sandbox();
  RegisterSet registers;
  vcpu_->run_and_wait([&] { registers = RegisterSet::read(box.backend()); });
  apply_register_changes(info[0], &registers);
  vcpu_->run_and_wait([&] { registers.write(box.backend()); });
  return info.Env().Undefined();
}

}  // namespace microscope
