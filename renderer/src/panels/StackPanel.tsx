// Stack: the backtrace at the stop, the running frame first; selecting a frame shows its
// code and the memory at its stack.
import { useInspector } from '../state/store';

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
                <code>{frame.symbol}</code>
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
