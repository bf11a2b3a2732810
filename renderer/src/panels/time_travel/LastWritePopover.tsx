// The answer to "where was this written?", beside where it was asked: the position of the
// last write before now, the instruction that made it and its source line, the value before
// and after, and Go there (to that position); or that nothing in the recorded part of the
// call wrote it. Escape or ✕ closes it.
import { useEffect, useRef } from 'react';

import { useTimeTravel } from '../../state/time_travel';
import { bytesValue } from '../Toolbar';
import { countText } from './timeline_scale';
import './last_write.css';

/** Room the popover takes, to keep it in the window. */
const width = 340;
const height = 130;

export function LastWritePopover() {
  const { lastWrite, closeLastWrite, goTo } = useTimeTravel();
  const box = useRef<HTMLDivElement>(null);
  const answered = lastWrite?.answer !== undefined || lastWrite?.error !== undefined;

  // The focus on the answer once it is there, for Escape and Go there to be a key away.
  useEffect(() => {
    if (answered) box.current?.focus({ preventScroll: true });
  }, [answered]);

  if (!lastWrite) return null;
  const { label, anchor, answer, error } = lastWrite;
  const left = Math.max(4, Math.min(anchor.x, window.innerWidth - width - 4));
  const top = anchor.y + height + 4 > window.innerHeight ? Math.max(4, anchor.y - height - 24) : anchor.y + 4;
  const where = answer?.file ? ` (${answer.file.split('/').pop()}:${answer.line})` : '';

  return (
    <div
      ref={box}
      role="dialog"
      aria-label={`Where was ${label} written?`}
      className="last-write"
      tabIndex={-1}
      style={{ left, top, width }}
      onKeyDown={(e) => e.key === 'Escape' && closeLastWrite()}
    >
      <div className="last-write-head">
        <strong>Where was {label} written?</strong>
        <button type="button" className="link" aria-label="Close" onClick={closeLastWrite}>
          ✕
        </button>
      </div>
      {!answered && <p className="muted">Looking back through the recording…</p>}
      {error && (
        <p className="problem" role="alert">
          {error}
        </p>
      )}
      {answer && !answer.found && <p aria-label="Answer">not written in the recorded part of this call</p>}
      {answer?.found && answer.position !== undefined && (
        <>
          <dl className="facts" aria-label="Answer">
            <dt>At</dt>
            <dd aria-label="Written at">instruction {countText(answer.position)}</dd>
            <dt>By</dt>
            <dd>
              <code>{answer.symbol ?? answer.instruction ?? '?'}</code>
              {where}
            </dd>
            {answer.oldValue !== undefined && answer.newValue !== undefined && (
              <>
                <dt>Value</dt>
                <dd>
                  <code>
                    {bytesValue(answer.oldValue)} → {bytesValue(answer.newValue)}
                  </code>
                </dd>
              </>
            )}
          </dl>
          <button
            type="button"
            onClick={() => {
              closeLastWrite();
              void goTo(answer.position!);
            }}
          >
            Go there
          </button>
        </>
      )}
    </div>
  );
}
