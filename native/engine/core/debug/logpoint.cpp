#include "logpoint.h"

#include "../errors.h"
#include "variable_text.h"

namespace microscope {

LogMessage LogMessage::parse(const std::string& text, TypeTable& types) {
  LogMessage message;
  message.text_ = text;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '}')) {
      literal += text[++i];
    } else if (c == '{') {
      const size_t close = text.find('}', i + 1);
      if (close == std::string::npos) {
        throw usage_error("log message '" + text + "': the '{' at column " + std::to_string(i + 1) +
                          " has no '}' (write \\{ for a brace)");
      }
      if (!literal.empty()) message.parts_.push_back({literal, std::nullopt});
      literal.clear();
      message.parts_.push_back({"", Expression::parse(text.substr(i + 1, close - i - 1), types)});
      i = close;
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) message.parts_.push_back({literal, std::nullopt});
  return message;
}

std::vector<const Expression*> LogMessage::expressions() const {
  std::vector<const Expression*> out;
  for (const Part& part : parts_) {
    if (part.expression) out.push_back(&*part.expression);
  }
  return out;
}

std::string LogMessage::render(const FrameContext& frame) const {
  std::string out;
  TextLimits limits;
  for (const Part& part : parts_) {
    if (!part.expression) {
      out += part.literal;
      continue;
    }
    try {
      const DebugValue value = part.expression->evaluate(frame);
      out += value.available() ? value_text(frame, value, limits)
                               : "<" + part.expression->text() + ": " + value.unavailable + ">";
    } catch (const EngineError& e) {
      out += std::string("<") + e.what() + ">";
    }
  }
  return out;
}

}  // namespace microscope
