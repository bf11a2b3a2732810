// The Latency view's runs link to their CPU profiles: a run recorded with `cpu` opens its
// profile in the CPU profile tab.
import { useCpuProfiles } from '../../state/cpu_profile';

export function CpuProfileLink({ id, run }: { id: number; run: string }) {
  const open = useCpuProfiles((state) => state.open);
  return (
    <button
      type="button"
      className="link"
      aria-label={`CPU profile of ${run}`}
      title="Open the CPU profile recorded with this run"
      onClick={() => void open(id)}
    >
      CPU profile
    </button>
  );
}
