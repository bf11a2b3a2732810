#include "condition.h"

#include <cerrno>
#include <cstdlib>
#include <regex>

#include "../errors.h"

namespace microscope {

Condition Condition::parse(const std::string& text, TypeTable& types) {
  Condition condition;
  if (text.find_first_not_of(" \t") == std::string::npos) return condition;
  condition.text_ = text;
  condition.expression_ = Expression::parse(text, types);
  return condition;
}

bool Condition::holds(const FrameContext& frame, std::string* error) const {
  if (!expression_) return true;
  try {
    return is_true(frame, expression_->evaluate(frame), text_);
  } catch (const EngineError& e) {
    *error = e.what();
    return true;
  }
}

HitCondition HitCondition::parse(const std::string& text) {
  HitCondition condition;
  if (text.find_first_not_of(" \t") == std::string::npos) return condition;
  static const std::regex pattern(R"(^\s*(==|>=|<=|>|<|%)?\s*([0-9]+)\s*$)");
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) {
    throw usage_error(
        "hit condition '" + text +
        "' is not a count ('3': from the third hit on), a comparison ('>= 3', '> 3', '<= 3', '< 3', '== 3') or "
        "'% 3' (every third hit)");
  }
  errno = 0;
  condition.count_ = std::strtoull(match[2].str().c_str(), nullptr, 10);
  if (errno == ERANGE) throw usage_error("hit condition '" + text + "': the count does not fit 64 bits");
  const std::string op = match[1];
  condition.op_ = op == "=="               ? Op::Equal
                  : op == "" || op == ">=" ? Op::GreaterOrEqual
                  : op == "<="             ? Op::LessOrEqual
                  : op == ">"              ? Op::Greater
                  : op == "<"              ? Op::Less
                                           : Op::Every;
  if (condition.op_ == Op::Every && condition.count_ == 0)
    throw usage_error("hit condition '" + text + "': '% 0' never holds");
  condition.text_ = text;
  return condition;
}

bool HitCondition::holds(uint64_t hits) const {
  if (text_.empty()) return true;
  switch (op_) {
    case Op::Equal: return hits == count_;
    case Op::Greater: return hits > count_;
    case Op::GreaterOrEqual: return hits >= count_;
    case Op::Less: return hits < count_;
    case Op::LessOrEqual: return hits <= count_;
    case Op::Every: return hits % count_ == 0;
  }
  return true;
}

}  // namespace microscope
