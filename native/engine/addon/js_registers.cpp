#include "js_registers.h"

#include <cstring>
#include <string>

#include "../core/errors.h"
#include "arguments.h"

namespace microscope {

namespace {

struct GeneralRegister {
  const char* name;
  uint64_t Registers::*field;
};

const GeneralRegister kGeneral[] = {
    {"rax", &Registers::rax}, {"rbx", &Registers::rbx},       {"rcx", &Registers::rcx}, {"rdx", &Registers::rdx},
    {"rsi", &Registers::rsi}, {"rdi", &Registers::rdi},       {"rbp", &Registers::rbp}, {"rsp", &Registers::rsp},
    {"r8", &Registers::r8},   {"r9", &Registers::r9},         {"r10", &Registers::r10}, {"r11", &Registers::r11},
    {"r12", &Registers::r12}, {"r13", &Registers::r13},       {"r14", &Registers::r14}, {"r15", &Registers::r15},
    {"rip", &Registers::rip}, {"rflags", &Registers::rflags},
};

struct ControlRegister {
  const char* name;
  uint64_t SpecialRegisters::*field;
};

const ControlRegister kControl[] = {{"cr0", &SpecialRegisters::cr0},
                                    {"cr2", &SpecialRegisters::cr2},
                                    {"cr3", &SpecialRegisters::cr3},
                                    {"cr4", &SpecialRegisters::cr4},
                                    {"efer", &SpecialRegisters::efer}};

struct SegmentField {
  const char* name;
  SegmentRegister SpecialRegisters::*field;
};

const SegmentField kSegments[] = {{"cs", &SpecialRegisters::cs}, {"ds", &SpecialRegisters::ds},
                                  {"es", &SpecialRegisters::es}, {"fs", &SpecialRegisters::fs},
                                  {"gs", &SpecialRegisters::gs}, {"ss", &SpecialRegisters::ss},
                                  {"tr", &SpecialRegisters::tr}};

uint64_t u64_of(const Napi::Value& value, const std::string& name) {
  try {
    return address_argument(value);
  } catch (const EngineError&) {
    throw usage_error("register " + name + " must be a number or a bigint from 0 to 2^64 - 1");
  }
}

// An XMM register: a bigint below 2^128, or 16 bytes (little-endian).
void xmm_of(const Napi::Value& value, const std::string& name, uint8_t out[16]) {
  if (value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array &&
      value.As<Napi::Uint8Array>().ElementLength() == 16) {
    std::memcpy(out, value.As<Napi::Uint8Array>().Data(), 16);
    return;
  }
  if (value.IsBigInt()) {
    int sign = 0;
    size_t count = 2;
    uint64_t words[2] = {0, 0};
    value.As<Napi::BigInt>().ToWords(&sign, &count, words);
    if (!sign && count <= 2) {
      std::memcpy(out, words, 16);
      return;
    }
  }
  throw usage_error("register " + name + " must be a bigint from 0 to 2^128 - 1 or 16 bytes");
}

}  // namespace

RegisterSet RegisterSet::read(Backend& backend) {
  return RegisterSet{backend.registers(), backend.special_registers(), backend.sse_registers()};
}

void RegisterSet::write(Backend& backend) const {
  backend.set_special_registers(special);
  backend.set_registers(general);
  backend.set_sse_registers(sse);
}

Napi::Object registers_to_js(Napi::Env env, const RegisterSet& set) {
  const Registers& registers = set.general;
  const SpecialRegisters& special = set.special;
  Napi::Object object = Napi::Object::New(env);
  for (const GeneralRegister& r : kGeneral) object.Set(r.name, Napi::BigInt::New(env, registers.*r.field));
  for (const ControlRegister& r : kControl) object.Set(r.name, Napi::BigInt::New(env, special.*r.field));
  for (const SegmentField& s : kSegments) {
    const SegmentRegister& segment = special.*s.field;
    Napi::Object value = Napi::Object::New(env);
    value.Set("selector", segment.selector);
    value.Set("base", Napi::BigInt::New(env, segment.base));
    value.Set("limit", segment.limit);
    object.Set(s.name, value);
  }
  for (const auto& table : {std::make_pair("gdt", special.gdt), std::make_pair("idt", special.idt)}) {
    Napi::Object value = Napi::Object::New(env);
    value.Set("base", Napi::BigInt::New(env, table.second.base));
    value.Set("limit", table.second.limit);
    object.Set(table.first, value);
  }
  for (int i = 0; i < 16; ++i) {
    uint64_t words[2];
    std::memcpy(words, set.sse.xmm[i], 16);
    object.Set("xmm" + std::to_string(i), Napi::BigInt::New(env, 0, 2, words));
  }
  object.Set("mxcsr", set.sse.mxcsr);
  return object;
}

void apply_register_changes(const Napi::Value& changes, RegisterSet* set) {
  Registers* registers = &set->general;
  SpecialRegisters* special = &set->special;
  if (!changes.IsObject()) throw usage_error("register changes must be an object");
  const Napi::Object object = changes.As<Napi::Object>();
  const Napi::Array names = object.GetPropertyNames();
  for (uint32_t i = 0; i < names.Length(); ++i) {
    const std::string name = names.Get(i).ToString().Utf8Value();
    const Napi::Value value = object.Get(name);
    bool known = false;
    for (const GeneralRegister& r : kGeneral) {
      if (name == r.name) registers->*r.field = u64_of(value, name), known = true;
    }
    for (const ControlRegister& r : kControl) {
      if (name == r.name) special->*r.field = u64_of(value, name), known = true;
    }
    for (const SegmentField& s : kSegments) {
      if (name != s.name) continue;
      known = true;
      if (!value.IsObject()) throw usage_error("register " + name + " must be an object: { selector?, base? }");
      const Napi::Object segment = value.As<Napi::Object>();
      if (segment.Has("selector")) {
        const uint64_t selector = u64_of(segment.Get("selector"), name + ".selector");
        if (selector > 0xffff) throw usage_error("register " + name + ".selector must fit 16 bits");
        (special->*s.field).selector = uint16_t(selector);
      }
      if (segment.Has("base")) (special->*s.field).base = u64_of(segment.Get("base"), name + ".base");
    }
    for (DescriptorTable SpecialRegisters::*field : {&SpecialRegisters::gdt, &SpecialRegisters::idt}) {
      const char* table_name = field == &SpecialRegisters::gdt ? "gdt" : "idt";
      if (name != table_name) continue;
      known = true;
      if (!value.IsObject()) throw usage_error("register " + name + " must be an object: { base?, limit? }");
      const Napi::Object table = value.As<Napi::Object>();
      if (table.Has("base")) (special->*field).base = u64_of(table.Get("base"), name + ".base");
      if (table.Has("limit")) {
        const uint64_t limit = u64_of(table.Get("limit"), name + ".limit");
        if (limit > 0xffff) throw usage_error("register " + name + ".limit must fit 16 bits");
        (special->*field).limit = uint16_t(limit);
      }
    }
    if (name.rfind("xmm", 0) == 0) {
      for (int n = 0; n < 16; ++n) {
        if (name == "xmm" + std::to_string(n)) xmm_of(value, name, set->sse.xmm[n]), known = true;
      }
    }
    if (name == "mxcsr") {
      const uint64_t mxcsr = u64_of(value, name);
      if (mxcsr > 0xffffffff) throw usage_error("register mxcsr must fit 32 bits");
      set->sse.mxcsr = uint32_t(mxcsr);
      known = true;
    }
    if (!known) throw usage_error("there is no register '" + name + "'");
  }
}

}  // namespace microscope
