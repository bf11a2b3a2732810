// Stepping by source line, as gdb's `next` and `step` do, from the instruction steps the
// rest of the debugger makes. The step ends at the start of a statement (an is_stmt row)
// of another line, or of the same line reached again by a jump back (a loop's next turn).
// A call runs to its return (over) or is entered when it has lines (into; a function
// without lines, the SDK's thunks among them, is stepped out of). A return that lands
// mid-line in the caller finishes that line; one that lands on a statement stops there.
// A next steps over an inlined call's lines too (code inside DW_TAG_inlined_subroutine
// scopes); a step in stops in them. A breakpoint, watchpoint, fault, pause or the call's
// end stops it as it stops any resume.
#include "../../../include/microscope/abi.h"
#include "debugger.h"
#include "frames.h"
#include "line_table.h"

namespace microscope {

namespace {

// The frame's identity: the RSP its caller sees (CFI's CFA), which no push, call or
// recursion inside it changes; the RSP itself where the caller isn't found.
uint64_t frame_of(const DebugInfo& info, const GuestMemory& memory, const Registers& r) {
  FrameState frame = FrameState::minimal(r.rip, r.rsp, r.rbp), caller;
  return caller_frame(&info, memory, &frame, true, &caller) ? caller.rsp() : r.rsp;
}

}  // namespace

const Stop& Debugger::step_line(bool into) {
  const DebugInfo& info = code_.debug_info();
  const LineTable& table = info.lines();
  Registers r = sandbox_.backend().registers();
  const LineRow* row = table.statement_at(r.rip);
  if (!row) row = table.row_at(r.rip);
  if (!row) {
    // No line here: an instruction step, over a call or into it.
    if (into) return step_once();
    target_ = step_over_target(code_, r);
    return target_ ? run_to_stop() : step_once();
  }
  uint32_t file = row->file;
  int line = row->line;
  uint64_t frame = frame_of(info, sandbox_.memory(), r);
  uint64_t line_start = r.rip;
  int depth = info.inline_depth(r.rip);
  for (;;) {
    const Stop* stop;
    if (into) {
      stop = &step_once();
    } else {
      target_ = step_over_target(code_, r);
      stop = target_ ? &run_to_stop() : &step_once();
    }
    if (stop->reason != StopReason::Step) return *stop;
    r = sandbox_.backend().registers();
    if (r.rip == MS_HALT_ADDRESS) continue;  // the call returns with the next step
    row = table.row_at(r.rip);
    const uint64_t now = frame_of(info, sandbox_.memory(), r);
    if (now < frame) {
      // Into a called function (step into only).
      if (row && !code_.in_sdk_thunk(r.rip)) return *stop;
      target_ = step_out_target(code_, sandbox_.memory(), r);
      stop = &run_to_stop();
      if (stop->reason != StopReason::Step) return *stop;
      r = sandbox_.backend().registers();
      row = table.row_at(r.rip);
      if (frame_of(info, sandbox_.memory(), r) != frame) continue;
    } else if (now > frame) {
      // Returned into the caller: at a statement's start, that is the next line; mid-line,
      // finish the line.
      if (table.statement_at(r.rip)) return *stop;
      if (!row) continue;
      file = row->file;
      line = row->line;
      frame = now;
      line_start = r.rip;
      depth = info.inline_depth(r.rip);
      continue;
    }
    const LineRow* statement = table.statement_at(r.rip);
    if (!statement) continue;
    if (statement->file != file || statement->line != line) {
      // A next steps over an inlined call as over a real one.
      if (!into && info.inline_depth(r.rip) > depth) continue;
      return *stop;
    }
    if (r.rip <= line_start) return *stop;  // the same line again, by a jump back
  }
}

}  // namespace microscope
