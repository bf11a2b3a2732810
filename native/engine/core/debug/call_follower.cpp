#include "call_follower.h"

namespace microscope {

CallFollower::CallFollower(Sandbox& sandbox) : memory_(sandbox.memory()) {
  const auto& symbols = sandbox.image().symbols();
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i].function) starts_.emplace(symbols[i].address + sandbox.layout().load_bias, uint32_t(i));
  }
}

void CallFollower::on_block(uint64_t address, Backend& backend, Listener& listener) {
  if (!stack_.empty() && address == stack_.back().return_address) {
    const uint64_t rsp = backend.stack_pointer();
    while (!stack_.empty() && stack_.back().entry_rsp < rsp) {
      listener.leaving();
      stack_.pop_back();
    }
  }
  const auto it = starts_.find(address);
  if (it == starts_.end()) return;
  const uint64_t rsp = backend.stack_pointer();
  if (!stack_.empty() && stack_.back().entry_rsp == rsp) {
    if (stack_.back().symbol == it->second) return;  // a jump back to its own start: the same call
    listener.leaving();                              // a tail call
    stack_.pop_back();
  }
  OpenFrame frame{rsp, 0, it->second};
  if (memory_.contains(rsp, 8)) memory_.read(rsp, &frame.return_address, 8);
  stack_.push_back(frame);
  listener.entered(frame);
}

void CallFollower::close_all(Listener& listener) {
  while (!stack_.empty()) {
    listener.leaving();
    stack_.pop_back();
  }
}

}  // namespace microscope
