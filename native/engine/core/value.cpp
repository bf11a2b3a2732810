#include "value.h"

namespace microscope {

namespace {
const char* const kTypeNames[] = {"void", "i32", "u32", "i64", "u64", "f64", "bool", "str", "bytes"};
}

const char* type_name(Type type) {
  const auto index = static_cast<unsigned>(type);
  return index < MS_TYPE_COUNT ? kTypeNames[index] : "invalid";
}

bool parse_type(const std::string& name, Type* out) {
  for (unsigned i = 0; i < MS_TYPE_COUNT; ++i) {
    if (name == kTypeNames[i]) {
      *out = static_cast<Type>(i);
      return true;
    }
  }
  return false;
}

std::string describe(const Signature& signature) {
  std::string text = std::string(type_name(signature.returns)) + " " + signature.name + "(";
  for (size_t i = 0; i < signature.params.size(); ++i) {
    if (i) text += ", ";
    text += type_name(signature.params[i]);
    if (i < signature.param_names.size() && !signature.param_names[i].empty()) text += " " + signature.param_names[i];
  }
  return text + ")";
}

}  // namespace microscope
