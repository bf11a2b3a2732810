#include "js_reports.h"

namespace microscope {

namespace {

const char* access_text(uint8_t access) {
  static const char* const kTexts[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
  return kTexts[access & 7];
}

}  // namespace

Napi::Object layout_to_js(Napi::Env env, const Layout& layout) {
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

Napi::Array differences_to_js(Napi::Env env, const std::vector<PageDifference>& differences) {
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

Napi::Object trace_to_js(Napi::Env env, const CallTrace& trace, const std::vector<std::string>& arguments,
                         const ElfImage& image, uint64_t load_bias, const char* backend, ErrorFactory& errors) {
  const auto& symbols = image.symbols();
  const uint64_t bias = load_bias;
  Napi::Array events = Napi::Array::New(env, trace.events.size());
  for (size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& event = trace.events[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("depth", event.depth);
    object.Set("startNs", double(event.start_ns));
    object.Set("durationNs", double(event.duration_ns));
    switch (event.kind) {
      case TraceEvent::Kind::Function:
        object.Set("kind", "function");
        object.Set("name", symbols[event.index].name);
        object.Set("address", Napi::BigInt::New(env, symbols[event.index].address + bias));
        if (event.arguments < arguments.size() && !arguments[event.arguments].empty())
          object.Set("arguments", arguments[event.arguments]);
        break;
      case TraceEvent::Kind::HostCall: {
        const HostCallRecord& call = trace.host_calls[event.index];
        object.Set("kind", "host");
        object.Set("name", call.name);
        Napi::Array args = Napi::Array::New(env, call.args.size());
        for (size_t a = 0; a < call.args.size(); ++a) args.Set(uint32_t(a), to_js(env, call.args[a]));
        object.Set("args", args);
        if (call.failed)
          object.Set("error", call.error);
        else
          object.Set("result", to_js(env, call.result));
        break;
      }
      case TraceEvent::Kind::Exit:
        object.Set("kind", "exit");
        object.Set("name", trace.exits[event.index]);
        break;
    }
    events.Set(uint32_t(i), object);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("events", events);
  result.Set("truncated", trace.truncated);
  result.Set("durationNs", double(trace.duration_ns));
  result.Set("restoreNs", double(trace.outcome.timings.restore_ns));
  result.Set("backend", backend);
  const CallOutcome& outcome = trace.outcome;
  if (outcome.kind == OutcomeKind::Returned)
    result.Set("value", to_js(env, outcome.value));
  else
    result.Set("error", errors.from_outcome(env, outcome, backend));
  result.Set("output", outcome.output);
  return result;
}

}  // namespace microscope
