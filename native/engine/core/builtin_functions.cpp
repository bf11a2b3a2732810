#include "builtin_functions.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace microscope {

namespace {

const Signature kPrint{"print", Type::Void, {Type::Str}, {"text"}};
const Signature kOutput{"output", Type::Void, {Type::U32, Type::Bytes}, {"stream", "data"}};
const Signature kClock{"clock", Type::I64, {Type::U32}, {"which"}};
const Signature kRandom{"random", Type::Bytes, {Type::U32}, {"length"}};

constexpr uint32_t kMostRandomBytes = 4096;

HostReply failed(std::string error) {
  HostReply reply;
  reply.status = HostReply::Failed;
  reply.error = std::move(error);
  return reply;
}

}  // namespace

const Signature* find_builtin(const std::string& name) {
  for (const Signature* builtin : {&kPrint, &kOutput, &kClock, &kRandom}) {
    if (builtin->name == name) return builtin;
  }
  return nullptr;
}

bool writes_output(const Signature& builtin) { return &builtin == &kPrint || &builtin == &kOutput; }

HostReply serve_builtin(const Signature& builtin, const std::vector<Value>& args) {
  HostReply reply;
  if (&builtin == &kClock) {
    // 0: the real time (ns since 1970), 1: a monotonic clock.
    if (args[0].u64 > 1)
      return failed("clock: which is 0 (real time) or 1 (monotonic), not " + std::to_string(args[0].u64));
    timespec now{};
    clock_gettime(args[0].u64 == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
    reply.value = Value::of_i64(int64_t(now.tv_sec) * 1000000000 + now.tv_nsec);
    return reply;
  }
  if (&builtin == &kRandom) {
    if (args[0].u64 > kMostRandomBytes) {
      return failed("random: at most " + std::to_string(kMostRandomBytes) + " bytes at once, not " +
                    std::to_string(args[0].u64));
    }
    std::string bytes(args[0].u64, '\0');
    for (size_t done = 0; done < bytes.size();) {
      const ssize_t got = getrandom(bytes.data() + done, bytes.size() - done, 0);
      if (got < 0 && errno != EINTR) return failed(std::string("random: getrandom: ") + std::strerror(errno));
      if (got > 0) done += size_t(got);
    }
    reply.value = Value::of_bytes(std::move(bytes));
    return reply;
  }
  return failed("the engine serves " + builtin.name + " itself");
}

}  // namespace microscope
