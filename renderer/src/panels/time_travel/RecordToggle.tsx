// "Record (time travel)" beside the debug actions: whether the next Debug records its call
// to go back in. On by default and remembered; off, and saying why, where the guest's
// backend can't record (KVM).
import { useInspector } from '../../state/store';
import { useRecordChoice, whyNotRecordable } from '../../state/record_choice';

export function RecordToggle() {
  const guest = useInspector((state) => state.guest);
  const { wanted, setWanted } = useRecordChoice();
  const why = whyNotRecordable(guest);
  const title = why
    ? `Record (time travel) is off: ${why}`
    : 'Record each debugged call (from the next Debug on), to step back in it and go to any point of it';
  return (
    <label className={why ? 'record-switch off' : 'record-switch'} title={title}>
      <input type="checkbox" checked={wanted && !why} disabled={why !== null} onChange={(e) => setWanted(e.target.checked)} />
      <span className="codicon codicon-record" aria-hidden="true" />
      Record (time travel)
    </label>
  );
}
