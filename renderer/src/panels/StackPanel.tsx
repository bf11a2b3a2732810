// Stack: the backtrace at the stop, the running frame first, each as its call, fib(n=3),
// with its line; selecting a frame shows its code, its variables and the memory at its stack.
import type { WireFrame } from '../../../native/common/protocol/messages';
import { useInspector } from '../state/store';

/** `fib(n=3)`: the C function with its arguments' values; the symbol where none is known. */
export function frameCall(frame: WireFrame): string {
  if (!frame.function) return frame.symbol;
  return `${frame.function}(${frame.args.map((a) => `${a.name}=${a.value}`).join(', ')})`;
}

export function StackPanel() {
  const { frames, selectedFrame, selectFrame } = useInspector();
  return (
    <section aria-label="Stack" className="panel">
      <h2>Stack</h2>
      {frames.length === 0 ? (
        <p className="muted">No call is paused.</p>
      ) : (
        <ol className="frames">
          {frames.map((frame, i) => (
            <li key={`${i}:${frame.rip}`}>
              <button
                type="button"
                className={i === selectedFrame ? 'link selected' : 'link'}
                aria-pressed={i === selectedFrame}
                onClick={() => void selectFrame(i)}
              >
                <code className="frame-call" title={frame.symbol}>
                  {frameCall(frame)}
                </code>
                {frame.line !== undefined && (
                  <span className="muted">
                    {' '}
                    {frame.file?.split('/').pop()}:{frame.line}
                  </span>
                )}
                <span className="muted frame-sp"> sp {frame.rsp}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
