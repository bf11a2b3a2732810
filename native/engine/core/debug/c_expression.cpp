#include "c_expression.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../errors.h"

namespace microscope {

// ---- The syntax tree -------------------------------------------------------------------

struct ExpressionNode {
  enum class Kind {
    Integer,
    Real,
    Name,
    Register,
    Member,
    Arrow,
    Index,
    Unary,
    Cast,
    SizeofType,
    SizeofValue,
    Binary,
    Logical,
    Conditional
  };
  Kind kind = Kind::Integer;
  int column = 1;               // where it starts in the text, from 1
  std::string source;           // its own text, for messages
  std::string name;             // Name, Register, Member, Arrow; the operator of Unary, Binary, Logical
  const CType* type = nullptr;  // Integer and Real: the literal's; Cast, SizeofType: the one named
  uint64_t bits = 0;
  long double real = 0;
  std::vector<std::shared_ptr<const ExpressionNode>> operands;
};

namespace {

using Node = ExpressionNode;
using NodePtr = std::shared_ptr<const Node>;

// ---- Tokens ----------------------------------------------------------------------------

struct Token {
  enum class Kind { End, Name, Number, Char, Punct };
  Kind kind = Kind::End;
  std::string text;
  size_t at = 0;  // offset in the expression
};

const char* const kPuncts[] = {"->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%",
                               "<",  ">",  "!",  "~",  "&",  "|",  "^",  "(",  ")",  "[", "]", ".", "?", ":"};

const char* const kTypeWords[] = {"struct", "union", "enum",  "const", "volatile", "unsigned", "signed", "int",
                                  "char",   "long",  "short", "float", "double",   "_Bool",    "void"};

bool is_type_word(const std::string& word) {
  for (const char* w : kTypeWords) {
    if (word == w) return true;
  }
  return false;
}

class Parser {
 public:
  Parser(const std::string& text, TypeTable& types) : text_(text), types_(types) { tokenize(); }

  NodePtr parse() {
    if (tokens_.size() == 1) fail(0, "the expression is empty");
    NodePtr node = conditional();
    if (peek().kind != Token::Kind::End) fail(peek().at, "unexpected '" + peek().text + "'");
    return node;
  }

 private:
  [[noreturn]] void fail(size_t at, const std::string& message) const {
    throw usage_error("'" + text_ + "': column " + std::to_string(at + 1) + ": " + message);
  }

  void tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (std::isspace(uint8_t(c))) {
        ++i;
        continue;
      }
      Token token;
      token.at = i;
      if (std::isalpha(uint8_t(c)) || c == '_' || c == '$') {
        size_t j = i + 1;
        while (j < text_.size() && (std::isalnum(uint8_t(text_[j])) || text_[j] == '_')) ++j;
        token.kind = Token::Kind::Name;
        token.text = text_.substr(i, j - i);
        if (token.text == "$") fail(i, "'$' must be followed by a register's name, as in $rax");
        i = j;
      } else if (std::isdigit(uint8_t(c)) ||
                 (c == '.' && i + 1 < text_.size() && std::isdigit(uint8_t(text_[i + 1])))) {
        size_t j = i;
        while (j < text_.size() && (std::isalnum(uint8_t(text_[j])) || text_[j] == '.' ||
                                    ((text_[j] == '+' || text_[j] == '-') && j > i &&
                                     (text_[j - 1] == 'e' || text_[j - 1] == 'E') && text_.compare(i, 2, "0x") != 0))) {
          ++j;
        }
        token.kind = Token::Kind::Number;
        token.text = text_.substr(i, j - i);
        i = j;
      } else if (c == '\'') {
        size_t j = i + 1;
        if (j < text_.size() && text_[j] == '\\')
          j += 2;
        else
          ++j;
        if (j > text_.size() || j >= text_.size() || text_[j] != '\'')
          fail(i, "a character constant is one character in quotes, as in 'a' or '\\n'");
        token.kind = Token::Kind::Char;
        token.text = text_.substr(i, j + 1 - i);
        i = j + 1;
      } else if (c == '"') {
        fail(i, "string literals aren't supported; compare characters, as in s[0] == 'a'");
      } else {
        bool matched = false;
        for (const char* p : kPuncts) {
          const size_t n = std::strlen(p);
          if (text_.compare(i, n, p) == 0) {
            token.kind = Token::Kind::Punct;
            token.text = p;
            i += n;
            matched = true;
            break;
          }
        }
        if (!matched && c == '=') fail(i, "'=' assigns, which an expression here can't; compare with '=='");
        if (!matched) fail(i, std::string("unexpected '") + c + "'");
      }
      tokens_.push_back(token);
    }
    Token end;
    end.at = text_.size();
    tokens_.push_back(end);
  }

  const Token& peek(size_t ahead = 0) const { return tokens_[std::min(next_ + ahead, tokens_.size() - 1)]; }
  const Token& take() { return tokens_[std::min(next_++, tokens_.size() - 1)]; }
  bool punct(const char* p, size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::Punct && peek(ahead).text == p;
  }
  void expect(const char* p) {
    if (!punct(p)) {
      fail(peek().at, std::string("expected '") + p + "'" +
                          (peek().kind == Token::Kind::End ? " at the end" : ", found '" + peek().text + "'"));
    }
    take();
  }

  std::shared_ptr<Node> node(Node::Kind kind, size_t at) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->column = int(at + 1);
    return n;
  }
  NodePtr finish(std::shared_ptr<Node> n, size_t from) {
    const size_t to = next_ > 0 ? tokens_[next_ - 1].at + tokens_[next_ - 1].text.size() : from;
    n->source = text_.substr(from, to > from ? to - from : 0);
    return n;
  }

  // Each nesting level (parentheses, brackets, unary operators) recurses through unary(): a
  // bound keeps a pathological expression from exhausting the stack.
  struct Nested {
    Parser& parser;
    explicit Nested(Parser& p) : parser(p) {
      if (++parser.depth_ > 256)
        parser.fail(parser.peek().at, "the expression is nested too deeply (256 levels at most)");
    }
    ~Nested() { --parser.depth_; }
  };

  NodePtr conditional() {
    const size_t from = peek().at;
    NodePtr test = binary(0);
    if (!punct("?")) return test;
    take();
    NodePtr yes = conditional();
    expect(":");
    NodePtr no = conditional();
    auto n = node(Node::Kind::Conditional, from);
    n->operands = {test, yes, no};
    return finish(n, from);
  }

  // Binary operators by C's precedence, loosest first.
  static int level_of(const std::string& op) {
    static const char* const levels[][4] = {
        {"||"},       {"&&"},     {"|"},          {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="},
        {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};
    for (int level = 0; level < 10; ++level) {
      for (const char* candidate : levels[level]) {
        if (candidate && op == candidate) return level;
      }
    }
    return -1;
  }

  NodePtr binary(int level) {
    if (level == 10) return unary();
    const size_t from = peek().at;
    NodePtr left = binary(level + 1);
    while (peek().kind == Token::Kind::Punct && level_of(peek().text) == level) {
      const Token op = take();
      NodePtr right = binary(level + 1);
      auto n = node(level <= 1 ? Node::Kind::Logical : Node::Kind::Binary, from);
      n->name = op.text;
      n->operands = {left, right};
      left = finish(n, from);
    }
    return left;
  }

  bool type_ahead() const {
    if (!punct("(") || peek(1).kind != Token::Kind::Name) return false;
    const std::string& word = peek(1).text;
    return is_type_word(word) || (word[0] != '$' && types_.named(word) != nullptr);
  }

  // A type name, after its '(': specifiers, then '*'s; the ')' is the caller's.
  const CType* type_name_here() {
    const size_t from = peek().at;
    std::string words, tag;
    const CType* type = nullptr;
    while (peek().kind == Token::Kind::Name) {
      const std::string word = peek().text;
      if (word == "const" || word == "volatile") {
        take();
        continue;
      }
      if (word == "struct" || word == "union" || word == "enum") {
        take();
        if (peek().kind != Token::Kind::Name) fail(peek().at, "expected the " + word + "'s name");
        tag = word + " " + take().text;
        continue;
      }
      if (is_type_word(word)) {
        words += (words.empty() ? "" : " ") + take().text;
        continue;
      }
      if (words.empty() && tag.empty() && !type) {
        type = types_.named(take().text);
        continue;
      }
      break;
    }
    if (!tag.empty()) {
      type = types_.named(tag);
      if (!type) fail(from, "the program has no " + tag);
    } else if (!words.empty()) {
      type = types_.named(words);
      if (!type) fail(from, "'" + words + "' is not a C type");
    }
    if (!type) fail(from, "expected a type");
    while (punct("*")) {
      take();
      type = types_.pointer_to(type);
      while (peek().kind == Token::Kind::Name && (peek().text == "const" || peek().text == "volatile")) take();
    }
    return type;
  }

  NodePtr unary() {
    const Nested nested(*this);
    const size_t from = peek().at;
    if (peek().kind == Token::Kind::Punct) {
      const std::string op = peek().text;
      if (op == "-" || op == "+" || op == "!" || op == "~" || op == "*" || op == "&") {
        take();
        auto n = node(Node::Kind::Unary, from);
        n->name = op;
        n->operands = {unary()};
        return finish(n, from);
      }
      if (type_ahead()) {
        take();
        const CType* type = type_name_here();
        expect(")");
        auto n = node(Node::Kind::Cast, from);
        n->type = type;
        n->operands = {unary()};
        return finish(n, from);
      }
    }
    if (peek().kind == Token::Kind::Name && peek().text == "sizeof") {
      take();
      if (type_ahead()) {
        take();
        auto n = node(Node::Kind::SizeofType, from);
        n->type = type_name_here();
        expect(")");
        return finish(n, from);
      }
      auto n = node(Node::Kind::SizeofValue, from);
      n->operands = {unary()};
      return finish(n, from);
    }
    return postfix();
  }

  NodePtr postfix() {
    const size_t from = peek().at;
    NodePtr left = primary();
    for (;;) {
      if (punct("[")) {
        take();
        NodePtr index = conditional();
        expect("]");
        auto n = node(Node::Kind::Index, from);
        n->operands = {left, index};
        left = finish(n, from);
      } else if (punct(".") || punct("->")) {
        const bool arrow = take().text == "->";
        if (peek().kind != Token::Kind::Name || peek().text[0] == '$') {
          fail(peek().at, std::string("expected a member's name after '") + (arrow ? "->" : ".") + "'");
        }
        auto n = node(arrow ? Node::Kind::Arrow : Node::Kind::Member, from);
        n->name = take().text;
        n->operands = {left};
        left = finish(n, from);
      } else if (punct("(")) {
        fail(peek().at, "function calls aren't supported: the guest can't run while it is paused");
      } else {
        return left;
      }
    }
  }

  NodePtr primary() {
    const Token& token = peek();
    const size_t from = token.at;
    switch (token.kind) {
      case Token::Kind::End: fail(from, "expected a value at the end");
      case Token::Kind::Number: take(); return finish(number(token), from);
      case Token::Kind::Char: {
        take();
        auto n = node(Node::Kind::Integer, from);
        n->type = types_.builtin("char");
        n->bits = character(token);
        return finish(n, from);
      }
      case Token::Kind::Name: {
        take();
        if (is_type_word(token.text) || token.text == "sizeof") fail(from, "unexpected '" + token.text + "'");
        const bool reg = token.text[0] == '$';
        auto n = node(reg ? Node::Kind::Register : Node::Kind::Name, from);
        n->name = reg ? token.text.substr(1) : token.text;
        return finish(n, from);
      }
      case Token::Kind::Punct:
        if (token.text == "(") {
          take();
          NodePtr inner = conditional();
          expect(")");
          return inner;
        }
        fail(from, "expected a value, found '" + token.text + "'");
      default: fail(from, "expected a value");
    }
  }

  uint64_t character(const Token& token) {
    const std::string body = token.text.substr(1, token.text.size() - 2);
    if (body[0] != '\\') return uint8_t(body[0]);
    switch (body[1]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return 0;
      case '\\': return '\\';
      case '\'': return '\'';
      case '"': return '"';
      default: fail(token.at, "unknown escape '" + body + "'");
    }
  }

  std::shared_ptr<Node> number(const Token& token) {
    const std::string& text = token.text;
    const bool hex_digits = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (!hex_digits && (text.find_first_of(".eE") != std::string::npos)) {
      auto n = node(Node::Kind::Real, token.at);
      char* end = nullptr;
      n->real = std::strtold(text.c_str(), &end);
      std::string suffix(end);
      if (suffix == "f" || suffix == "F")
        n->type = types_.builtin("float");
      else if (suffix.empty())
        n->type = types_.builtin("double");
      else
        fail(token.at, "'" + text + "' is not a number");
      return n;
    }
    errno = 0;
    char* end = nullptr;
    const uint64_t value = std::strtoull(text.c_str(), &end, 0);
    std::string suffix(end);
    for (char& c : suffix) c = char(std::tolower(uint8_t(c)));
    if (suffix != "" && suffix != "u" && suffix != "l" && suffix != "ul" && suffix != "lu" && suffix != "ll" &&
        suffix != "ull" && suffix != "llu") {
      fail(token.at, "'" + text + "' is not a number");
    }
    if (errno == ERANGE) fail(token.at, text + " does not fit 64 bits");
    const bool is_unsigned = suffix.find('u') != std::string::npos;
    const bool is_long = suffix.find('l') != std::string::npos;
    const bool decimal = !(text[0] == '0' && text.size() > 1);
    auto n = node(Node::Kind::Integer, token.at);
    n->bits = value;
    // C's rule: the first of int, (unsigned int,) long, unsigned long that holds it.
    if (!is_long && !is_unsigned && value <= 0x7fffffff)
      n->type = types_.builtin("int");
    else if (!is_long && (is_unsigned || !decimal) && value <= 0xffffffff)
      n->type = types_.builtin("unsigned int");
    else if (!is_unsigned && value <= 0x7fffffffffffffff)
      n->type = types_.builtin("long");
    else
      n->type = types_.builtin("unsigned long");
    return n;
  }

  std::string text_;
  TypeTable& types_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
};

// ---- Evaluation ------------------------------------------------------------------------

// A scalar's value for arithmetic: an integer (its bits, sign-extended when signed), a
// floating-point number, or an address (a pointer, an array or function decayed).
struct Number {
  enum class Kind { Integer, Real, Pointer } kind = Kind::Integer;
  const CType* type = nullptr;  // stripped; Pointer: the pointer type
  uint64_t bits = 0;
  long double real = 0;
  bool is_signed() const { return kind == Kind::Integer && type && type->is_signed && type->kind != CType::Kind::Bool; }
};

std::string kind_words(const CType* type) {
  const CType* t = strip(type);
  if (!t) return "void";
  const std::string name = type_name(type);
  const bool vowel = !name.empty() && std::strchr("aeiou", name[0]);
  return (vowel ? "an " : "a ") + name;
}

class Evaluator {
 public:
  Evaluator(const FrameContext& frame, const std::string& text) : frame_(frame), text_(text) {}

  [[noreturn]] void fail(const Node& node, const std::string& message) const {
    throw usage_error("'" + text_ + "': column " + std::to_string(node.column) + ": " + message);
  }

  DebugValue eval(const Node& node) {
    switch (node.kind) {
      case Node::Kind::Integer: return integer(node.type, node.bits);
      case Node::Kind::Real: return real(node.type, node.real);
      case Node::Kind::Name: return name(node);
      case Node::Kind::Register: {
        DebugValue value;
        if (!register_value(frame_, node.name, &value)) fail(node, "there is no register '" + node.name + "'");
        return value;
      }
      case Node::Kind::Member:
      case Node::Kind::Arrow: return member(node);
      case Node::Kind::Index: return index(node);
      case Node::Kind::Unary: return unary(node);
      case Node::Kind::Cast: return convert(node, number(node, eval(*node.operands[0])), node.type);
      case Node::Kind::SizeofType: return sizeof_of(node, node.type);
      case Node::Kind::SizeofValue: return sizeof_of(node, eval(*node.operands[0]).type);
      case Node::Kind::Binary: return binary(node);
      case Node::Kind::Logical: {
        const bool left = truth(*node.operands[0]);
        const bool result = node.name == "&&" ? left && truth(*node.operands[1]) : left || truth(*node.operands[1]);
        return integer(types().int_type(), result);
      }
      case Node::Kind::Conditional: return truth(*node.operands[0]) ? eval(*node.operands[1]) : eval(*node.operands[2]);
    }
    fail(node, "can't evaluate this");
  }

  bool truth(const Node& node) {
    const Number n = number(node, eval(node));
    return n.kind == Number::Kind::Real ? n.real != 0 : n.bits != 0;
  }

  // A scalar's value; fails for a struct, or a value that can't be read.
  Number number(const Node& node, const DebugValue& value) {
    if (!value.available()) fail(node, node.source + " has no value: " + value.unavailable);
    const CType* type = strip(value.type);
    Number n;
    if (!type || type->kind == CType::Kind::Void) fail(node, node.source + " is void");
    if (type->kind == CType::Kind::Array || type->kind == CType::Kind::Function) {
      if (value.place != DebugValue::Place::Memory) fail(node, node.source + " is not in memory: it has no address");
      n.kind = Number::Kind::Pointer;
      n.type = types().pointer_to(type->kind == CType::Kind::Array ? type->target : value.type);
      n.bits = value.address;
      return n;
    }
    if (type->kind == CType::Kind::Struct || type->kind == CType::Kind::Union) {
      fail(node, node.source + " is " + kind_words(value.type) + ", not a number or a pointer");
    }
    n.type = type;
    if (type->kind == CType::Kind::Float) {
      std::vector<uint8_t> bytes;
      std::string why;
      if (!read_value(frame_, value, 0, type->size, &bytes, &why)) fail(node, node.source + ": " + why);
      n.kind = Number::Kind::Real;
      if (type->size == 4) {
        float f;
        std::memcpy(&f, bytes.data(), 4);
        n.real = f;
      } else if (type->size == 8) {
        double d;
        std::memcpy(&d, bytes.data(), 8);
        n.real = d;
      } else {
        long double ld = 0;
        std::memcpy(&ld, bytes.data(), std::min<size_t>(sizeof ld, bytes.size()));
        n.real = ld;
      }
      return n;
    }
    std::string why;
    if (!scalar_bits(frame_, value, &n.bits, &why)) fail(node, node.source + ": " + why);
    n.kind = type->kind == CType::Kind::Pointer ? Number::Kind::Pointer : Number::Kind::Integer;
    if (n.kind == Number::Kind::Pointer) n.type = value.type;
    return n;
  }

  DebugValue convert(const Node& node, const Number& n, const CType* to) {
    const CType* target = strip(to);
    if (!target || target->kind == CType::Kind::Void) fail(node, "can't convert to void");
    if (!is_scalar(target)) fail(node, "can't convert to " + type_name(to) + ": only to numbers and pointers");
    if (target->kind == CType::Kind::Float) {
      long double v = n.kind == Number::Kind::Real ? n.real
                      : n.is_signed()              ? static_cast<long double>(int64_t(n.bits))
                                                   : static_cast<long double>(n.bits);
      if (n.kind == Number::Kind::Pointer) fail(node, "can't convert a pointer to " + type_name(to));
      return real(to, v);
    }
    uint64_t bits = n.bits;
    if (n.kind == Number::Kind::Real) {
      if (target->kind == CType::Kind::Pointer) fail(node, "can't convert a floating-point number to a pointer");
      if (std::isnan(n.real) || std::fabs(n.real) >= 18446744073709551616.0L) {
        fail(node, "the value is out of the range of " + type_name(to));
      }
      bits = n.real < 0 ? uint64_t(int64_t(n.real)) : uint64_t(n.real);
    }
    if (target->kind == CType::Kind::Bool) bits = n.kind == Number::Kind::Real ? n.real != 0 : bits != 0;
    return integer(to, bits);
  }

  DebugValue integer(const CType* type, uint64_t bits) {
    DebugValue value;
    value.type = type;
    uint64_t size = strip(type) ? strip(type)->size : 8;
    if (!size) size = 4;
    value.bytes.resize(size);
    std::memcpy(value.bytes.data(), &bits, std::min<uint64_t>(size, 8));
    return value;
  }

  DebugValue real(const CType* type, long double v) {
    DebugValue value;
    value.type = type;
    const uint64_t size = strip(type)->size;
    value.bytes.resize(size);
    if (size == 4) {
      const float f = float(v);
      std::memcpy(value.bytes.data(), &f, 4);
    } else if (size == 8) {
      const double d = double(v);
      std::memcpy(value.bytes.data(), &d, 8);
    } else {
      std::memcpy(value.bytes.data(), &v, std::min<size_t>(size, sizeof v));
    }
    return value;
  }

 private:
  TypeTable& types() { return frame_.types; }

  DebugValue name(const Node& node) {
    DebugValue value;
    if (lookup_name(frame_, node.name, &value)) return value;
    if (register_value(frame_, node.name, &value)) return value;
    fail(node, "nothing is named '" + node.name + "' in frame " + std::to_string(frame_.number) +
                   " (no variable, function, enumerator or register)");
  }

  DebugValue sizeof_of(const Node& node, const CType* type) {
    const CType* t = strip(type);
    if (!t || t->kind == CType::Kind::Void || t->kind == CType::Kind::Function)
      fail(node, "sizeof " + type_name(type) + " isn't defined");
    if ((t->kind == CType::Kind::Struct || t->kind == CType::Kind::Union) && !t->complete) {
      fail(node, type_name(type) + " is declared but not defined here: its size isn't known");
    }
    return integer(types().builtin("unsigned long"), t->size);
  }

  static const Member* find_member(const CType* type, const std::string& name, uint64_t* offset, int depth = 0) {
    if (depth > 16) return nullptr;  // anonymous members within anonymous members: a malformed file's cycle
    for (const Member& member : type->members) {
      if (member.name == name) {
        *offset += member.offset;
        return &member;
      }
      const CType* inner = strip(member.type);
      if (member.name.empty() && inner && (inner->kind == CType::Kind::Struct || inner->kind == CType::Kind::Union)) {
        uint64_t inner_offset = *offset + member.offset;
        if (const Member* found = find_member(inner, name, &inner_offset, depth + 1)) {
          *offset = inner_offset;
          return found;
        }
      }
    }
    return nullptr;
  }

  DebugValue member(const Node& node) {
    const Node& left = *node.operands[0];
    DebugValue base = eval(left);
    if (node.kind == Node::Kind::Arrow) {
      const CType* pointer = strip(base.type);
      if (!pointer || pointer->kind != CType::Kind::Pointer) {
        fail(node, left.source + " is " + kind_words(base.type) + ", not a pointer: use '.' for a member");
      }
      base = dereference(left, base);
    }
    if (!base.available()) fail(node, left.source + " has no value: " + base.unavailable);
    const CType* type = strip(base.type);
    if (!type || (type->kind != CType::Kind::Struct && type->kind != CType::Kind::Union)) {
      fail(node,
           left.source + " is " + kind_words(base.type) + ", not a struct or union" +
               (type && type->kind == CType::Kind::Pointer && node.kind == Node::Kind::Member ? ": use '->'" : ""));
    }
    if (!type->complete) fail(node, type_name(base.type) + " is declared but not defined here");
    uint64_t offset = 0;
    const Member* m = find_member(type, node.name, &offset);
    if (!m) fail(node, type_name(base.type) + " has no member '" + node.name + "'");
    DebugValue part = part_of(base, m->type, offset);
    part.bit_offset = m->bit_offset;
    part.bit_size = m->bit_size;
    return part;
  }

  DebugValue dereference(const Node& node, const DebugValue& value) {
    const Number n = number(node, value);
    if (n.kind != Number::Kind::Pointer) fail(node, node.source + " is " + kind_words(value.type) + ", not a pointer");
    const CType* target = strip(n.type)->target;
    if (!strip(target) || strip(target)->kind == CType::Kind::Void)
      fail(node, "can't dereference " + node.source + ": it is a void *");
    DebugValue result;
    result.type = target;
    result.place = DebugValue::Place::Memory;
    result.address = n.bits;
    const CType* t = strip(target);
    if (t->kind != CType::Kind::Function && !frame_.memory.contains(n.bits, std::max<uint64_t>(1, t->size))) {
      result.unavailable = "can't read memory at " + hex(n.bits) + " (outside guest memory)";
    }
    return result;
  }

  DebugValue index(const Node& node) {
    const Node& left = *node.operands[0];
    const DebugValue base = eval(left);
    const Number at = number(*node.operands[1], eval(*node.operands[1]));
    if (at.kind != Number::Kind::Integer) fail(*node.operands[1], "an index must be an integer");
    const int64_t i = at.is_signed() ? int64_t(at.bits) : int64_t(at.bits);
    const CType* type = strip(base.type);
    if (type && type->kind == CType::Kind::Array && base.place != DebugValue::Place::Memory) {
      if (!base.available()) fail(node, left.source + " has no value: " + base.unavailable);
      if (i < 0 || uint64_t(i) >= type->count) {
        fail(node, "index " + std::to_string(i) + " is outside " + left.source + " (" + std::to_string(type->count) +
                       " elements)");
      }
      return part_of(base, type->target, uint64_t(i) * type->target->size);
    }
    Number pointer = number(left, base);
    if (pointer.kind != Number::Kind::Pointer)
      fail(node, left.source + " is " + kind_words(base.type) + ", not an array or a pointer");
    const CType* element = strip(pointer.type)->target;
    const uint64_t size = strip(element) && strip(element)->kind != CType::Kind::Void ? element->size : 0;
    if (!size) fail(node, "can't index " + left.source + ": its elements have no size");
    DebugValue pointer_value = integer(pointer.type, pointer.bits + uint64_t(i) * size);
    return dereference(node, pointer_value);
  }

  DebugValue unary(const Node& node) {
    const Node& operand = *node.operands[0];
    const std::string& op = node.name;
    if (op == "&") {
      const DebugValue value = eval(operand);
      if (value.bit_size) fail(node, "can't take the address of " + operand.source + ": it is a bitfield");
      if (value.place == DebugValue::Place::Register) {
        fail(node, "can't take the address of " + operand.source + ": it is in a register");
      }
      if (value.place != DebugValue::Place::Memory)
        fail(node, "can't take the address of " + operand.source + ": it isn't in memory");
      return integer(types().pointer_to(value.type), value.address);
    }
    if (op == "*") {
      const DebugValue value = eval(operand);
      const CType* type = strip(value.type);
      if (type && type->kind == CType::Kind::Function) return value;
      return dereference(operand, value);
    }
    const Number n = number(operand, eval(operand));
    if (op == "!") return integer(types().int_type(), n.kind == Number::Kind::Real ? n.real == 0 : n.bits == 0);
    if (n.kind == Number::Kind::Pointer) fail(node, "can't apply '" + op + "' to a pointer");
    if (n.kind == Number::Kind::Real) {
      if (op == "~") fail(node, "can't apply '~' to a floating-point number");
      return real(n.type, op == "-" ? -n.real : n.real);
    }
    const CType* promoted = promote(n.type);
    const uint64_t bits = op == "-" ? 0 - n.bits : op == "~" ? ~n.bits : n.bits;
    return integer(promoted, bits);
  }

  // C's integer promotions: anything narrower than int is an int.
  const CType* promote(const CType* type) {
    const CType* t = strip(type);
    if (!t || t->size < 4 || t->kind == CType::Kind::Bool) return types().int_type();
    // An enumeration constant is an int; a value of gcc's enum types (unsigned int when
    // none of its constants is negative) computes as one too, as a debugger user expects.
    if (t->kind == CType::Kind::Enum) return types().builtin(t->size > 4 ? "long" : "int");
    return t;
  }

  // The usual arithmetic conversions of two integers' types.
  const CType* common(const CType* a, const CType* b) {
    a = strip(promote(a));
    b = strip(promote(b));
    const uint64_t size = std::max(a->size, b->size);
    bool is_unsigned;
    if (a->is_signed == b->is_signed)
      is_unsigned = !a->is_signed;
    else {
      const CType* u = a->is_signed ? b : a;
      const CType* s = a->is_signed ? a : b;
      is_unsigned = u->size >= s->size;
    }
    return types().builtin(size > 4 ? (is_unsigned ? "unsigned long" : "long")
                                    : (is_unsigned ? "unsigned int" : "int"));
  }

  static uint64_t truncated(uint64_t bits, const CType* type) {
    const uint64_t size = strip(type)->size;
    if (size >= 8) return bits;
    const uint64_t mask = (uint64_t(1) << (size * 8)) - 1;
    bits &= mask;
    if (strip(type)->is_signed && (bits >> (size * 8 - 1) & 1)) bits |= ~mask;
    return bits;
  }

  DebugValue binary(const Node& node) {
    const std::string& op = node.name;
    const Number a = number(*node.operands[0], eval(*node.operands[0]));
    const Number b = number(*node.operands[1], eval(*node.operands[1]));
    const bool compare = op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=";
    const CType* int_type = types().int_type();

    if (a.kind == Number::Kind::Pointer || b.kind == Number::Kind::Pointer) {
      if (compare) {
        if (a.kind == Number::Kind::Real || b.kind == Number::Kind::Real)
          fail(node, "can't compare a pointer with a floating-point number");
        return integer(int_type, compared(op, a.bits, b.bits, false));
      }
      if (op == "+" || op == "-") {
        if (a.kind == Number::Kind::Pointer && b.kind == Number::Kind::Pointer) {
          if (op == "+") fail(node, "can't add two pointers");
          const uint64_t size = element_size(a.type);
          return integer(types().builtin("long"), uint64_t((int64_t(a.bits) - int64_t(b.bits)) / int64_t(size)));
        }
        const Number& pointer = a.kind == Number::Kind::Pointer ? a : b;
        const Number& offset = a.kind == Number::Kind::Pointer ? b : a;
        if (offset.kind != Number::Kind::Integer) fail(node, "a pointer's offset must be an integer");
        if (op == "-" && b.kind == Number::Kind::Pointer) fail(node, "can't subtract a pointer from an integer");
        const uint64_t delta = offset.bits * element_size(pointer.type);
        return integer(pointer.type, op == "+" ? pointer.bits + delta : pointer.bits - delta);
      }
      fail(node, "can't apply '" + op + "' to a pointer");
    }

    if (a.kind == Number::Kind::Real || b.kind == Number::Kind::Real) {
      if (op == "%" || op == "<<" || op == ">>" || op == "&" || op == "|" || op == "^") {
        fail(node, "can't apply '" + op + "' to a floating-point number");
      }
      const long double x = as_real(a), y = as_real(b);
      if (compare)
        return integer(int_type, op == "=="   ? x == y
                                 : op == "!=" ? x != y
                                 : op == "<"  ? x < y
                                 : op == ">"  ? x > y
                                 : op == "<=" ? x <= y
                                              : x >= y);
      const CType* type = wider_real(a, b);
      if (op == "/" && y == 0) fail(node, "division by zero");
      return real(type, op == "+" ? x + y : op == "-" ? x - y : op == "*" ? x * y : x / y);
    }

    if (op == "<<" || op == ">>") {
      const CType* type = promote(a.type);
      const uint64_t count = b.bits;
      if (count >= strip(type)->size * 8)
        fail(node, "shift by " + std::to_string(int64_t(count)) + " is out of range for " + type_name(type));
      const uint64_t bits = op == "<<"               ? a.bits << count
                            : strip(type)->is_signed ? uint64_t(int64_t(a.bits) >> count)
                                                     : truncated(a.bits, types().builtin("unsigned long")) >> count;
      return integer(type, truncated(bits, type));
    }
    const CType* type = common(a.type, b.type);
    const bool is_signed = strip(type)->is_signed;
    const uint64_t x = truncated(a.bits, type), y = truncated(b.bits, type);
    if (compare) return integer(int_type, compared(op, x, y, is_signed));
    uint64_t bits = 0;
    if (op == "+")
      bits = x + y;
    else if (op == "-")
      bits = x - y;
    else if (op == "*")
      bits = x * y;
    else if (op == "&")
      bits = x & y;
    else if (op == "|")
      bits = x | y;
    else if (op == "^")
      bits = x ^ y;
    else {
      if (y == 0) fail(node, op == "/" ? "division by zero" : "remainder by zero");
      if (is_signed)
        bits = op == "/" ? uint64_t(int64_t(x) / int64_t(y)) : uint64_t(int64_t(x) % int64_t(y));
      else
        bits = op == "/" ? x / y : x % y;
    }
    return integer(type, truncated(bits, type));
  }

  static bool compared(const std::string& op, uint64_t x, uint64_t y, bool is_signed) {
    if (is_signed) {
      const int64_t a = int64_t(x), b = int64_t(y);
      return op == "=="   ? a == b
             : op == "!=" ? a != b
             : op == "<"  ? a < b
             : op == ">"  ? a > b
             : op == "<=" ? a <= b
                          : a >= b;
    }
    return op == "=="   ? x == y
           : op == "!=" ? x != y
           : op == "<"  ? x < y
           : op == ">"  ? x > y
           : op == "<=" ? x <= y
                        : x >= y;
  }

  static long double as_real(const Number& n) {
    if (n.kind == Number::Kind::Real) return n.real;
    return n.is_signed() ? static_cast<long double>(int64_t(n.bits)) : static_cast<long double>(n.bits);
  }

  // The usual arithmetic conversions where one side is floating-point: the widest
  // floating-point type among them (an integer converts to the other's).
  const CType* wider_real(const Number& a, const Number& b) {
    uint64_t size = 0;
    for (const Number* n : {&a, &b}) {
      if (n->kind == Number::Kind::Real) size = std::max(size, n->type->size);
    }
    return types().builtin(size > 8 ? "long double" : size == 8 ? "double" : "float");
  }

  static uint64_t element_size(const CType* pointer) {
    const CType* target = strip(strip(pointer)->target);
    return !target || target->kind == CType::Kind::Void || target->kind == CType::Kind::Function || !target->size
               ? 1
               : target->size;
  }

  const FrameContext& frame_;
  const std::string& text_;
};

}  // namespace

Expression Expression::parse(const std::string& text, TypeTable& types) {
  Expression expression;
  expression.text_ = text;
  expression.root_ = Parser(text, types).parse();
  return expression;
}

DebugValue Expression::evaluate(const FrameContext& frame) const { return Evaluator(frame, text_).eval(*root_); }

void Expression::check_names(const FrameContext& frame, const std::string& where) const {
  std::vector<const ExpressionNode*> pending{root_.get()};
  while (!pending.empty()) {
    const ExpressionNode* node = pending.back();
    pending.pop_back();
    for (const auto& operand : node->operands) pending.push_back(operand.get());
    DebugValue value;
    if (node->kind == ExpressionNode::Kind::Name && !lookup_name(frame, node->name, &value) &&
        !register_value(frame, node->name, &value)) {
      throw usage_error("'" + text_ + "': column " + std::to_string(node->column) + ": nothing is named '" +
                        node->name + "' at " + where + " (no variable, function, enumerator or register)");
    }
    if (node->kind == ExpressionNode::Kind::Register && !register_value(frame, node->name, &value)) {
      throw usage_error("'" + text_ + "': column " + std::to_string(node->column) + ": there is no register '" +
                        node->name + "'");
    }
  }
}

bool is_true(const FrameContext& frame, const DebugValue& value, const std::string& text) {
  Evaluator evaluator(frame, text);
  Node whole;
  whole.source = text;
  const Number n = evaluator.number(whole, value);
  return n.kind == Number::Kind::Real ? n.real != 0 : n.bits != 0;
}

void assign(const FrameContext& frame, const DebugValue& target, const DebugValue& value, const std::string& text,
            const GuestWriter& writer) {
  Evaluator evaluator(frame, text);
  Node whole;
  whole.source = text;
  if (target.place == DebugValue::Place::None) {
    evaluator.fail(
        whole, "can't set " + text + ": " +
                   (target.available() ? "it is a value, not a place in memory or a register" : target.unavailable));
  }
  if (!target.available()) evaluator.fail(whole, "can't set " + text + ": " + target.unavailable);
  const CType* type = strip(target.type);
  std::vector<uint8_t> bytes;
  if (type && (type->kind == CType::Kind::Struct || type->kind == CType::Kind::Union)) {
    if (strip(value.type) != type) {
      evaluator.fail(whole, "can't set " + text + " (" + type_name(target.type) + ") to " + kind_words(value.type));
    }
    std::string why;
    if (!read_value(frame, value, 0, type->size, &bytes, &why)) evaluator.fail(whole, why);
  } else {
    if (!type || !is_scalar(type)) evaluator.fail(whole, "can't set " + text + ": it is " + kind_words(target.type));
    bytes = evaluator.convert(whole, evaluator.number(whole, value), target.type).bytes;
  }
  if (target.bit_size) {
    // Into the bits of the bytes that hold the bitfield.
    const uint64_t span = (target.bit_offset + target.bit_size + 7) / 8;
    std::vector<uint8_t> old;
    std::string why;
    DebugValue whole_bytes = target;
    whole_bytes.bit_size = 0;
    if (!read_value(frame, whole_bytes, 0, span, &old, &why)) evaluator.fail(whole, why);
    uint64_t word = 0, field = 0;
    std::memcpy(&word, old.data(), span);
    std::memcpy(&field, bytes.data(), std::min<size_t>(8, bytes.size()));
    const uint64_t mask = (target.bit_size >= 64 ? ~uint64_t(0) : (uint64_t(1) << target.bit_size) - 1)
                          << target.bit_offset;
    word = (word & ~mask) | ((field << target.bit_offset) & mask);
    bytes.assign(span, 0);
    std::memcpy(bytes.data(), &word, span);
  }
  if (target.place == DebugValue::Place::Memory) {
    if (!frame.memory.contains(target.address, bytes.size())) {
      evaluator.fail(whole, "can't set " + text + ": " + hex(target.address) + " is outside guest memory");
    }
    writer.memory(target.address, bytes);
    return;
  }
  if (frame.index != 0) {
    evaluator.fail(whole, "can't set " + text + ": it is in a register of frame " + std::to_string(frame.number) +
                              ", and only the running frame's registers can be set");
  }
  // The register's other bytes stay as they are.
  std::vector<uint8_t> full(target.reg >= FrameState::kXmm0 ? 16 : 8);
  if (target.reg >= FrameState::kXmm0) {
    std::memcpy(full.data(), frame.state.xmm[target.reg - FrameState::kXmm0], 16);
  } else if (target.reg == FrameState::kRflags) {
    std::memcpy(full.data(), &frame.state.rflags, 8);
  } else {
    std::memcpy(full.data(), &frame.state.gpr[target.reg], 8);
  }
  std::memcpy(full.data(), bytes.data(), std::min(full.size(), bytes.size()));
  writer.reg(target.reg, full);
}

}  // namespace microscope
