// A class JS sees, wrapping an engine object: its operations are functions of the object
// and the call's arguments (defined where they are listed, so adding one touches one
// file), each listed once with the number of arguments it takes, and the class is
// defined from that list. The list is also
// the class's static `surface` ([{ name, arity }], arity -1 for an accessor), which
// native/node/api/addon.ts checks at load against its TypeScript declaration (and the
// tests check again), so a method the two sides disagree on is an error naming it, not
// an undefined at the first call. Every operation runs guarded: an EngineError becomes the
// JS error of its kind (the class's throw_error).
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "../core/errors.h"

namespace microscope {

template <typename T>
class WrappedClass : public Napi::ObjectWrap<T> {
 public:
  using Napi::ObjectWrap<T>::ObjectWrap;
  using Operation = Napi::Value (*)(T& self, const Napi::CallbackInfo& info);

  class Surface {
   public:
    // An instance method taking `arity` arguments (the last ones may be optional).
    template <Operation F>
    Surface& method(const char* name, int arity) {
      properties_.push_back(T::InstanceMethod(name, callback<F>()));
      entries_.push_back({name, arity});
      return *this;
    }
    // A read-only property.
    template <Operation F>
    Surface& accessor(const char* name) {
      properties_.push_back(T::InstanceAccessor(name, callback<F>(), nullptr));
      entries_.push_back({name, -1});
      return *this;
    }
    Napi::Function define(Napi::Env env, const char* name) {
      Napi::Array surface = Napi::Array::New(env, entries_.size());
      for (size_t i = 0; i < entries_.size(); ++i) {
        Napi::Object entry = Napi::Object::New(env);
        entry.Set("name", entries_[i].name);
        entry.Set("arity", entries_[i].arity);
        surface.Set(uint32_t(i), entry);
      }
      properties_.push_back(T::StaticValue("surface", surface, napi_enumerable));
      return T::DefineClass(env, name, properties_);
    }

   private:
    struct Entry {
      std::string name;
      int arity;
    };
    // ObjectWrap calls members of T: the guarded call of F, as one.
    using Member = Napi::Value (T::*)(const Napi::CallbackInfo&);
    template <Operation F>
    static Member callback() {
      return static_cast<Member>(&WrappedClass::template guarded<F>);
    }
    std::vector<Napi::ClassPropertyDescriptor<T>> properties_;
    std::vector<Entry> entries_;
  };

 private:
  template <Operation F>
  Napi::Value guarded(const Napi::CallbackInfo& info) {
    T& self = static_cast<T&>(*this);
    try {
      return F(self, info);
    } catch (const EngineError& error) {
      self.throw_error(info.Env(), error);
    }
  }
};

}  // namespace microscope
