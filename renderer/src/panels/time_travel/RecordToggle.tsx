// "Record (time travel)" beside the debug actions: whether the next Debug records its call
// to go back in, chosen for each backend and remembered (state/record_choice.ts).
import { useInspector } from '../../state/store';
import { howItRecords, useRecordChoice } from '../../state/record_choice';

export function RecordToggle() {
  const guest = useInspector((state) => state.guest);
  const wanted = useRecordChoice((state) => state.wanted);
  const setWanted = useRecordChoice((state) => state.setWanted);
  const how = howItRecords(guest);
  const checked = guest !== null && (wanted[guest.backend] ?? false);
  return (
    <label className={guest ? 'record-switch' : 'record-switch off'} title={how ?? 'Record (time travel): no guest is loaded'}>
      <input type="checkbox" checked={checked} disabled={!guest} onChange={(e) => guest && setWanted(guest.backend, e.target.checked)} />
      <span className="codicon codicon-record" aria-hidden="true" />
      Record (time travel)
    </label>
  );
}
