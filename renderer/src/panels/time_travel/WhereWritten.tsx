// "Where was this written?": a small button beside a register, a variable or selected
// memory, while the call is recorded and paused; its answer opens beside it
// (LastWritePopover). The search leaves the call where it is.
import type { MouseEvent } from 'react';

import { useInspector } from '../../state/store';
import { useTimeTravel, type WrittenThing } from '../../state/time_travel';
import './last_write.css';

/** `label` names it in the question: "Where was rax written?". */
export function WhereWritten({ thing, label }: { thing: WrittenThing; label: string }) {
  const { recording, askLastWrite } = useTimeTravel();
  const running = useInspector((state) => state.running);
  if (!recording) return null;
  const ask = (event: MouseEvent<HTMLButtonElement>) => {
    // A row's click (a variable's expanding) is not this one's.
    event.stopPropagation();
    const box = event.currentTarget.getBoundingClientRect();
    void askLastWrite(thing, label, { x: box.left, y: box.bottom });
  };
  return (
    <button
      type="button"
      className="icon-button where-written"
      aria-label={`Where was ${label} written?`}
      title={running ? 'Where was this written? (once the call is paused)' : `Where was ${label} written? (its last write before now, in the recording)`}
      disabled={running}
      onClick={ask}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <span className="codicon codicon-history" aria-hidden="true" />
    </button>
  );
}
