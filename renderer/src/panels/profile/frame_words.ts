// What the profile view says of a frame: its place (file:line), and its self and total
// counts with their shares and, for a sampled profile, the time they stand for.
import type { CpuProfile } from '../../../../native/common/cpu_profile';
import { formatNs } from '../durations';
import { countNs, percent } from './profile_tables';
import type { FlameNode } from './profile_tree';

/** "demo.c:13", "demo.c", or '' where the line table says nothing. */
export function framePlace(node: Pick<FlameNode, 'file' | 'line'>): string {
  if (!node.file) return '';
  const baseName = (file: string) => file.split('/').pop() ?? file;
  return node.line > 0 ? `${baseName(node.file)}:${node.line}` : baseName(node.file);
}

/** "1,234 instructions (5.6%)", with "12.3 ms" for samples. */
export function countWords(profile: CpuProfile, count: number, all: number): string {
  const ns = countNs(profile, count);
  const unit = profile.unit === 'samples' ? (count === 1 ? 'sample' : 'samples') : count === 1 ? 'instruction' : 'instructions';
  return `${count.toLocaleString()} ${unit} (${percent(all ? count / all : 0)})${ns === null ? '' : `, ${formatNs(ns)}`}`;
}

/** The frame's lines in its tooltip: place, then self and total. */
export function frameDetails(node: FlameNode, profile: CpuProfile, all: number): string[] {
  return [framePlace(node), `self ${countWords(profile, node.self, all)}`, `total ${countWords(profile, node.total, all)}`].filter(Boolean);
}

/** "fib (inlined), total 100.0%, self 12.0%": what a screen reader says of a frame. */
export function frameSummary(node: FlameNode, all: number): string {
  const share = (count: number) => percent(all ? count / all : 0);
  return `${node.function}${node.inlined ? ' (inlined)' : ''}, total ${share(node.total)}, self ${share(node.self)}`;
}
