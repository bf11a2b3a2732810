#include "frame.h"

#include <cstring>

#include "errors.h"

namespace microscope {

namespace {

size_t padded(size_t n) { return (n + 7) & ~size_t(7); }

size_t data_size(const Value& value) {
  if (value.type == Type::Str) return padded(value.data.size() + 1);
  if (value.type == Type::Bytes) return padded(value.data.size());
  return 0;
}

void write_header(uint8_t* buffer, ms_frame_kind kind, size_t length, size_t count, uint64_t word) {
  ms_frame header{};
  header.magic = MS_FRAME_MAGIC;
  header.version = MS_ABI_VERSION;
  header.kind = kind;
  header.length = uint32_t(length);
  header.count = uint32_t(count);
  header.word = word;
  std::memcpy(buffer, &header, sizeof header);
}

// Writes `values` as slots after the header and their data after the slots.
void write_values(uint8_t* buffer, const Value* values, size_t count) {
  size_t data = MS_FRAME_HEADER_SIZE + count * MS_SLOT_SIZE;
  for (size_t i = 0; i < count; ++i) {
    const Value& value = values[i];
    ms_slot slot{};
    slot.type = uint8_t(value.type);
    switch (value.type) {
      case Type::I32:
      case Type::I64: slot.as.i64 = value.i64; break;
      case Type::U32:
      case Type::U64:
      case Type::Bool: slot.as.u64 = value.u64; break;
      case Type::F64: slot.as.f64 = value.f64; break;
      case Type::Str:
      case Type::Bytes:
        slot.length = uint32_t(value.data.size());
        slot.as.offset = data;
        std::memcpy(buffer + data, value.data.data(), value.data.size());
        if (value.type == Type::Str) buffer[data + value.data.size()] = 0;
        data += data_size(value);
        break;
      case Type::Void: break;
    }
    std::memcpy(buffer + MS_FRAME_HEADER_SIZE + i * MS_SLOT_SIZE, &slot, sizeof slot);
  }
}

// A frame read out of guest memory, checked as it is read.
class FrameReader {
 public:
  FrameReader(const uint8_t* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {}

  std::string open(ms_frame_kind expected) {
    if (capacity_ < MS_FRAME_HEADER_SIZE) return "the buffer is smaller than a frame header";
    std::memcpy(&header_, buffer_, sizeof header_);
    if (header_.magic != MS_FRAME_MAGIC) return "bad frame magic " + hex(header_.magic);
    if (header_.version != MS_ABI_VERSION) {
      return "frame version " + std::to_string(header_.version) + ", the engine speaks " +
             std::to_string(MS_ABI_VERSION);
    }
    if (header_.kind != expected) {
      return "frame kind " + std::to_string(header_.kind) + " where kind " + std::to_string(expected) + " was expected";
    }
    if (header_.length > capacity_) {
      return "frame length " + std::to_string(header_.length) + " is larger than the " + std::to_string(capacity_) +
             "-byte buffer";
    }
    if (header_.length < MS_FRAME_HEADER_SIZE ||
        header_.count > (header_.length - MS_FRAME_HEADER_SIZE) / MS_SLOT_SIZE) {
      return "frame of " + std::to_string(header_.length) + " bytes can't hold " + std::to_string(header_.count) +
             " slots";
    }
    return "";
  }

  const ms_frame& header() const { return header_; }

  std::string value(uint32_t index, Value* out) const {
    ms_slot slot;
    std::memcpy(&slot, buffer_ + MS_FRAME_HEADER_SIZE + size_t(index) * MS_SLOT_SIZE, sizeof slot);
    const std::string at = "slot " + std::to_string(index) + ": ";
    if (!is_valid_type(slot.type) || slot.type == MS_TYPE_VOID) return at + "bad type " + std::to_string(slot.type);
    out->type = static_cast<Type>(slot.type);
    switch (out->type) {
      case Type::I32:
        if (slot.as.i64 < INT32_MIN || slot.as.i64 > INT32_MAX)
          return at + "i32 value " + hex(slot.as.u64) + " out of range";
        out->i64 = slot.as.i64;
        return "";
      case Type::U32:
        if (slot.as.u64 > UINT32_MAX) return at + "u32 value " + hex(slot.as.u64) + " out of range";
        out->u64 = slot.as.u64;
        return "";
      case Type::Bool:
        if (slot.as.u64 > 1) return at + "bool value " + hex(slot.as.u64) + " is neither 0 nor 1";
        out->u64 = slot.as.u64;
        return "";
      case Type::I64: out->i64 = slot.as.i64; return "";
      case Type::U64: out->u64 = slot.as.u64; return "";
      case Type::F64: out->f64 = slot.as.f64; return "";
      case Type::Str:
      case Type::Bytes: {
        const uint64_t terminator = out->type == Type::Str ? 1 : 0;
        const uint64_t length = header_.length;
        if (slot.as.offset > length || uint64_t(slot.length) + terminator > length - slot.as.offset) {
          return at + std::string(type_name(out->type)) + " of " + std::to_string(slot.length) + " bytes at offset " +
                 hex(slot.as.offset) + " runs past the end of the " + std::to_string(length) + "-byte frame";
        }
        const char* data = reinterpret_cast<const char*>(buffer_) + slot.as.offset;
        if (terminator && data[slot.length] != 0) return at + "str is not NUL-terminated";
        out->data.assign(data, slot.length);
        return "";
      }
      case Type::Void: break;
    }
    return at + "bad type";
  }

 private:
  const uint8_t* buffer_;
  size_t capacity_;
  ms_frame header_{};
};

}  // namespace

size_t frame_size(const std::vector<Value>& args) {
  size_t size = MS_FRAME_HEADER_SIZE + args.size() * MS_SLOT_SIZE;
  for (const Value& value : args) size += data_size(value);
  return size;
}

size_t encode_call(uint8_t* buffer, size_t capacity, uint64_t function_index, const std::vector<Value>& args,
                   std::string* error) {
  const size_t size = frame_size(args);
  if (size > capacity) {
    *error =
        "the arguments need " + std::to_string(size) + " bytes; the input buffer holds " + std::to_string(capacity);
    return 0;
  }
  write_header(buffer, MS_FRAME_CALL, size, args.size(), function_index);
  write_values(buffer, args.data(), args.size());
  return size;
}

size_t encode_host_result(uint8_t* buffer, size_t capacity, const Value& result, std::string* error) {
  const size_t count = result.type == Type::Void ? 0 : 1;
  const size_t size = MS_FRAME_HEADER_SIZE + count * MS_SLOT_SIZE + data_size(result);
  if (size > capacity) {
    *error = "the result needs " + std::to_string(size) + " bytes; the output buffer holds " + std::to_string(capacity);
    return 0;
  }
  write_header(buffer, MS_FRAME_HOST_RESULT, size, count, 0);
  write_values(buffer, &result, count);
  return size;
}

std::string decode_host_call(const uint8_t* buffer, size_t capacity, HostCallRequest* out) {
  FrameReader reader(buffer, capacity);
  std::string error = reader.open(MS_FRAME_HOST_CALL);
  if (!error.empty()) return error;
  if (reader.header().count == 0) return "a host call frame needs the function's name in slot 0";
  Value name;
  error = reader.value(0, &name);
  if (!error.empty()) return error;
  if (name.type != Type::Str)
    return "slot 0 holds a " + std::string(type_name(name.type)) + ", not the function's name";
  out->name = std::move(name.data);
  out->args.resize(reader.header().count - 1);
  for (uint32_t i = 1; i < reader.header().count; ++i) {
    error = reader.value(i, &out->args[i - 1]);
    if (!error.empty()) return error;
  }
  return "";
}

std::string decode_result(const uint8_t* buffer, size_t capacity, Type expected, Value* out) {
  FrameReader reader(buffer, capacity);
  std::string error = reader.open(MS_FRAME_RESULT);
  if (!error.empty()) return "result: " + error;
  if (reader.header().count != 1)
    return "result frame holds " + std::to_string(reader.header().count) + " values, not 1";
  error = reader.value(0, out);
  if (!error.empty()) return "result: " + error;
  if (out->type != expected) {
    return "result is a " + std::string(type_name(out->type)) + " but the function returns " + type_name(expected);
  }
  return "";
}

std::string decode_abort(const uint8_t* buffer, size_t capacity, int32_t* code, std::string* message) {
  FrameReader reader(buffer, capacity);
  std::string error = reader.open(MS_FRAME_ABORT);
  if (!error.empty()) return "abort: " + error;
  const int64_t word = int64_t(reader.header().word);
  if (word < INT32_MIN || word > INT32_MAX) return "abort code " + hex(reader.header().word) + " is not an i32";
  *code = int32_t(word);
  message->clear();
  if (reader.header().count == 0) return "";
  Value text;
  error = reader.value(0, &text);
  if (!error.empty()) return "abort: " + error;
  if (text.type != Type::Str) return "abort: slot 0 holds a " + std::string(type_name(text.type)) + ", not a message";
  *message = std::move(text.data);
  return "";
}

}  // namespace microscope
