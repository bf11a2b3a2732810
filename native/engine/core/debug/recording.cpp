#include "recording.h"

#include <algorithm>
#include <cstring>

#include "../errors.h"

namespace microscope {

namespace {

constexpr uint64_t kPage = 4096;

}  // namespace

Recording::Recording(Sandbox& sandbox, const RecordingOptions& options, std::deque<GivenReply> given)
    : sandbox_(sandbox),
      options_(options),
      written_(sandbox.memory().page_count()),
      on_twin_(sandbox.on_emulated_twin()),
      answers_given_(on_twin_),
      given_(std::move(given)) {
  if (!sandbox.backend().count_instructions(true)) {
    throw usage_error(std::string("the ") + sandbox.backend_name() +
                      " backend can't record a call: time travel needs exact instruction counts, which only the "
                      "emulated backend has");
  }
  sandbox.backend().set_position(0);
  snapshot_ = sandbox.snapshots().base_id();
  // The host wrote the output buffer's header as the call began, untracked: those pages
  // are kept as they are now, not as the snapshot has them.
  const Layout& layout = sandbox.layout();
  for (uint64_t at = layout.output_buffer & ~(kPage - 1); at < layout.output_buffer + layout.io_buffer_size;
       at += kPage)
    keep_base(uint32_t(at / kPage));
  keep_base(uint32_t((layout.stack_top - 8) / kPage));
  Checkpoint first;
  first.position = 0;
  first.serial = next_serial_++;
  first.cpu = sandbox.backend().save_cpu();
  first.output_length = sandbox.output().size();
  checkpoints_.push_back(std::move(first));
  attached_ = true;
  sandbox.backend().log_cpu_inputs(this);
  sandbox.memory().track_writes(&written_);
  sandbox.record(this);
}

Recording::~Recording() { detach(); }

void Recording::attach() {
  if (attached_) return;
  if (sandbox_.snapshots().base_id() != snapshot_)
    throw usage_error("the sandbox's snapshot changed after this call was recorded: record it again to go back in it");
  if (on_twin_) sandbox_.use_emulated_twin(true);
  sandbox_.backend().count_instructions(true);
  sandbox_.backend().log_cpu_inputs(this);
  sandbox_.memory().track_writes(&written_);
  sandbox_.record(this);
  attached_ = true;
}

void Recording::detach() {
  if (!attached_) return;
  if (sandbox_.memory().tracked() == &written_) sandbox_.memory().track_writes(nullptr);
  sandbox_.record(nullptr);
  sandbox_.backend().log_cpu_inputs(nullptr);
  sandbox_.backend().count_instructions(false);
  if (on_twin_) sandbox_.use_emulated_twin(false);
  attached_ = false;
}

uint64_t Recording::segment_end(uint64_t position) const {
  auto after = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), position,
                                [](uint64_t p, const Checkpoint& c) { return p < c.position; });
  return after == checkpoints_.end() ? end_ : after->position;
}

void Recording::keep_base(uint32_t page) {
  if (base_.count(page)) return;
  std::vector<uint8_t>& bytes = base_[page];
  bytes.resize(kPage);
  if (next_serial_ == 0) {
    std::memcpy(bytes.data(), sandbox_.memory().host() + uint64_t(page) * kPage, kPage);  // the call's start: now
  } else {
    Snapshots& snapshots = sandbox_.snapshots();  // unchanged since the call began
    snapshots.read(snapshots.base_id(), uint64_t(page) * kPage, bytes.data(), kPage);
  }
  bytes_ += kPage;
}

void Recording::checkpoint(uint64_t position) {
  if (position < checkpoints_.back().position) return;
  if (position == checkpoints_.back().position) {
    // Taken again (the state was edited here): this one replaces it.
    const Checkpoint& last = checkpoints_.back();
    for (uint32_t page : last.pages) {
      auto& held = versions_[page];
      if (!held.empty() && held.back().first == last.serial) held.pop_back();
      written_.add(page);
    }
    bytes_ -= std::min<uint64_t>(bytes_, last.contents.size());
    checkpoints_.pop_back();
  }
  Checkpoint taken;
  taken.position = position;
  taken.serial = next_serial_++;
  taken.cpu = sandbox_.backend().save_cpu();
  taken.output_length = sandbox_.output().size();
  taken.pages = written_.pages();
  std::sort(taken.pages.begin(), taken.pages.end());
  taken.contents.resize(taken.pages.size() * kPage);
  const uint8_t* memory = sandbox_.memory().host();
  for (size_t i = 0; i < taken.pages.size(); ++i) {
    keep_base(taken.pages[i]);
    std::memcpy(&taken.contents[i * kPage], memory + uint64_t(taken.pages[i]) * kPage, kPage);
  }
  written_.clear();
  bytes_ += taken.contents.size() + taken.pages.size() * 4 + 6000;  // and the vCPU's
  checkpoints_.push_back(std::move(taken));
  const Checkpoint& kept = checkpoints_.back();
  for (size_t i = 0; i < kept.pages.size(); ++i)
    versions_[kept.pages[i]].push_back({kept.serial, &kept.contents[i * kPage]});
  while (bytes_ > options_.size_limit && checkpoints_.size() > 2) drop_oldest();
}

void Recording::drop_oldest() {
  // The second oldest becomes the start: its pages are the base from now on, and so are
  // the pages the oldest holds (only a start whose state was edited holds any), which
  // the second sees unless it holds them too.
  Checkpoint& oldest = checkpoints_.front();
  for (size_t i = 0; i < oldest.pages.size(); ++i) {
    std::vector<std::pair<uint64_t, const uint8_t*>>& held = versions_[oldest.pages[i]];
    std::memcpy(base_[oldest.pages[i]].data(), held.front().second, kPage);
    held.erase(held.begin());
  }
  bytes_ -= std::min<uint64_t>(bytes_, oldest.contents.size() + oldest.pages.size() * 4 + 6000);
  checkpoints_.pop_front();
  // The new oldest's own pages become base too, so that it needs no versions before it.
  Checkpoint& first = checkpoints_.front();
  for (size_t i = 0; i < first.pages.size(); ++i) {
    std::vector<std::pair<uint64_t, const uint8_t*>>& held = versions_[first.pages[i]];
    std::memcpy(base_[first.pages[i]].data(), held.front().second, kPage);
    held.erase(held.begin());
  }
  bytes_ -= std::min<uint64_t>(bytes_, first.contents.size());
  first.contents.clear();
  first.contents.shrink_to_fit();
  first.pages.clear();
  while (!host_calls_.empty() && host_calls_.front().position < first.position) host_calls_.pop_front();
  while (!cpu_inputs_.empty() && cpu_inputs_.front().position < first.position) cpu_inputs_.pop_front();
  dropped_ = true;
}

const Recording::Checkpoint& Recording::checkpoint_at(uint64_t position) const {
  auto after = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), position,
                                [](uint64_t p, const Checkpoint& c) { return p < c.position; });
  if (after == checkpoints_.begin()) {
    throw usage_error("position " + std::to_string(position) + " is before the recording's start (" +
                      std::to_string(start()) + "): the oldest part was dropped for its size limit");
  }
  return *(after - 1);
}

const uint8_t* Recording::page_at(uint32_t page, uint64_t serial) const {
  auto held = versions_.find(page);
  if (held != versions_.end()) {
    const auto& list = held->second;
    auto after = std::upper_bound(list.begin(), list.end(), serial,
                                  [](uint64_t s, const std::pair<uint64_t, const uint8_t*>& v) { return s < v.first; });
    if (after != list.begin()) return (after - 1)->second;
  }
  return base_.at(page).data();
}

uint64_t Recording::restore(uint64_t position) {
  const Checkpoint& at = checkpoint_at(position);
  GuestMemory& memory = sandbox_.memory();
  // Every page the call has written, as it was there.
  for (uint32_t page : written_.pages()) keep_base(page);
  for (const auto& kept : base_) {
    const uint32_t page = kept.first;
    const uint8_t* bytes = page_at(page, at.serial);
    uint8_t* target = memory.host() + uint64_t(page) * kPage;
    if (std::memcmp(target, bytes, kPage) != 0) std::memcpy(target, bytes, kPage);
    memory.dirty().add(page);  // the sandbox's next restore puts it back too
  }
  // `written_` keeps the pages written since the last checkpoint: a replay adds only
  // pages the call writes, so it stays a superset of the live segment's.
  sandbox_.rewind_call(at.output_length);
  sandbox_.backend().restore_cpu(*at.cpu);
  sandbox_.backend().set_position(at.position);
  return at.position;
}

std::vector<uint64_t> Recording::segments_writing(uint32_t page) const {
  std::vector<uint64_t> positions;
  if (written_.contains(page)) positions.push_back(checkpoints_.back().position);
  for (size_t i = checkpoints_.size(); i-- > 1;) {
    const std::vector<uint32_t>& pages = checkpoints_[i].pages;
    if (std::binary_search(pages.begin(), pages.end(), page)) positions.push_back(checkpoints_[i - 1].position);
  }
  // The first checkpoint's own pages were folded into the base when older ones were dropped.
  return positions;
}

void Recording::truncate(uint64_t position) {
  while (checkpoints_.size() > 1 && checkpoints_.back().position > position) {
    const Checkpoint& last = checkpoints_.back();
    for (uint32_t page : last.pages) {
      auto& held = versions_[page];
      if (!held.empty() && held.back().first == last.serial) held.pop_back();
      written_.add(page);  // may differ from the checkpoint before: restores must see it
    }
    bytes_ -= std::min<uint64_t>(bytes_, last.contents.size());
    checkpoints_.pop_back();
  }
  while (!host_calls_.empty() && host_calls_.back().position >= position) host_calls_.pop_back();
  while (!cpu_inputs_.empty() && cpu_inputs_.back().position >= position) cpu_inputs_.pop_back();
  events_.erase(std::remove_if(events_.begin(), events_.end(),
                               [&](const RecordedEvent& event) { return event.position > position; }),
                events_.end());
  end_ = position;
  ended_ = false;
  // The call goes another way from here: any host call it makes is made anew, on the twin.
  given_.clear();
  answers_given_ = false;
}

void Recording::note(const RecordedEvent& event) {
  // Kept in position order, each once (a hit seen going forward and again going back).
  auto from = std::lower_bound(events_.begin(), events_.end(), event.position,
                               [](const RecordedEvent& e, uint64_t p) { return e.position < p; });
  auto at = from;
  for (; at != events_.end() && at->position == event.position; ++at) {
    if (at->kind == event.kind && at->id == event.id) return;
  }
  if (at == events_.end()) {
    events_.push_back(event);
  } else {
    events_.insert(at, event);
  }
  bytes_ += sizeof(RecordedEvent) + event.function.size();
}

const HostReply* Recording::given_reply(const std::string& function, uint64_t position) {
  if (given_.empty() || given_.front().function != function) {
    static thread_local HostReply diverged;
    diverged.status = HostReply::Failed;
    diverged.error =
        "the replay on the emulated backend went another way than the call on " + std::string(sandbox_.backend_name()) +
        ": at position " + std::to_string(position) + " the guest called " + function + ", where " +
        (given_.empty() ? std::string("it had made no more host calls") : "it had called " + given_.front().function);
    return &diverged;
  }
  recorded(function, given_.front().reply, position);
  given_.pop_front();
  return &host_calls_.back().reply;
}

const HostReply* Recording::replayed(const std::string& function, uint64_t position) {
  if (position >= end_) return answers_given_ ? given_reply(function, position) : nullptr;
  auto at = std::lower_bound(host_calls_.begin(), host_calls_.end(), position,
                             [](const HostCall& call, uint64_t p) { return call.position < p; });
  if (at == host_calls_.end() || at->position != position) return nullptr;
  if (at->function != function) {
    // Only a replay that went another way can get here: say so rather than answer wrongly.
    static thread_local HostReply diverged;
    diverged.status = HostReply::Failed;
    diverged.error = "the replay went another way than the recording: at position " + std::to_string(position) +
                     " the guest called " + function + ", where it had called " + at->function;
    return &diverged;
  }
  return &at->reply;
}

void Recording::recorded(const std::string& function, const HostReply& reply, uint64_t position) {
  while (!host_calls_.empty() && host_calls_.back().position >= position) host_calls_.pop_back();
  host_calls_.push_back({position, function, reply});
  bytes_ += sizeof(HostCall) + reply.value.data.size() + reply.error.size();
  RecordedEvent event{RecordedEvent::HostCall, position, 0, function};
  note(event);
}

}  // namespace microscope

namespace microscope {

bool Recording::replayed_input(uint64_t position, uint64_t values[3], int count) {
  if (position >= end_) return false;
  auto at = std::lower_bound(cpu_inputs_.begin(), cpu_inputs_.end(), position,
                             [](const CpuInput& input, uint64_t p) { return input.position < p; });
  if (at == cpu_inputs_.end() || at->position != position) return false;
  for (int i = 0; i < count && i < 3; ++i) values[i] = at->values[i];
  return true;
}

void Recording::recorded_input(uint64_t position, const uint64_t values[3], int count) {
  if (on_twin_ && position < unlogged_input_) unlogged_input_ = position;
  while (!cpu_inputs_.empty() && cpu_inputs_.back().position >= position) cpu_inputs_.pop_back();
  CpuInput input{position, {0, 0, 0}};
  for (int i = 0; i < count && i < 3; ++i) input.values[i] = values[i];
  cpu_inputs_.push_back(input);
  bytes_ += sizeof(CpuInput);
}

}  // namespace microscope
