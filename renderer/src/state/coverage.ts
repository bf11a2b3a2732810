// Coverage runs: a function called with a list of argument lists (coverage.run), the lines
// and instructions they ran laid over the code views (the code overlay) with the function
// opened in them; and the last run as an lcov tracefile (coverage.lcov), for genhtml.
import { showFunctionCode, useCodeOverlay } from './code_overlay';
import { download } from './download';
import { useSource } from './source';
import { useInspector } from './store';

/** Runs `fn` once for each argument list of `calls`, and shows what they ran. */
export async function runCoverage(fn: string, calls: string[][]): Promise<void> {
  useInspector.setState({ running: true });
  const coverage = await useInspector.getState().attempt((engine) => engine.request('coverage.run', { function: fn, calls }));
  useInspector.setState({ running: false });
  useInspector.getState().memoryChanged();
  if (!coverage) return;
  useCodeOverlay.getState().showCoverage(coverage, calls);
  // Opened at its entry: the first of its instructions with a line.
  const code = await showFunctionCode(fn);
  const entry = code.find((i) => i.file !== undefined && i.line !== undefined);
  if (entry) await useSource.getState().show(entry.file!, entry.line);
}

/** Saves the last coverage run as `fn.info`. */
export async function exportLcov(): Promise<void> {
  const file = await useInspector.getState().attempt((engine) => engine.request('coverage.lcov', {}));
  if (file) download(file.name, file.lcov, 'text/plain');
}
