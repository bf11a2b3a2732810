// @vitest-environment happy-dom
// Coverage summed up over the Source view: the lines executed of the lines with code, in
// the file shown and in all; on KVM that lines are hit, not counted; the calls that failed
// with their arguments and error; Hide coverage clears the overlay.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { CoverageSummary } from '../../../renderer/src/panels/CoverageSummary';
import { useCodeOverlay } from '../../../renderer/src/state/code_overlay';
import { coverageOverlay } from '../../../renderer/src/state/coverage_overlay';
import { demo, exactCoverage, kvmCoverage } from '../state/coverage_fixture';

afterEach(cleanup);

describe('the coverage summary', () => {
  it('says how many lines with code ran, in the file shown and in all', () => {
    render(<CoverageSummary overlay={coverageOverlay(exactCoverage)} file={demo} />);
    expect(screen.getByRole('group', { name: 'Coverage' }).textContent).toMatch(/^fib\(5\)emulated, countedExport lcov/);
    expect(screen.getByLabelText('Coverage summary').textContent).toBe('demo.c: 6 of 7 lines (85.7%) · all files: 6 of 8 lines (75.0%)');
    expect(screen.queryByRole('list', { name: 'Failed calls' })).toBeNull();
  });

  it('says that KVM only knows hits, and a file without code', () => {
    render(<CoverageSummary overlay={coverageOverlay(kvmCoverage)} file="/src/other.c" />);
    expect(screen.getByText('KVM: lines hit, not counted')).toBeTruthy();
    expect(screen.getByLabelText('Coverage summary').textContent).toBe('other.c: no code · all files: 6 of 8 lines (75.0%)');
  });

  it('lists the calls that failed, with their arguments and error', () => {
    const failing = {
      ...exactCoverage,
      call: 'fib × 2 calls',
      calls: 2,
      failures: [{ call: 1, error: { kind: 'timeout', message: 'the call ran past 5 s' } }],
    };
    render(<CoverageSummary overlay={coverageOverlay(failing, [['5'], ['90']])} file={demo} />);
    expect(screen.getByLabelText('Coverage summary').textContent).toMatch(/ · 1 of 2 calls failed$/);
    const failed = screen.getByRole('list', { name: 'Failed calls' });
    expect(failed.textContent).toBe('call 2 (90): timeout: the call ran past 5 s');
  });

  it('hides the coverage', () => {
    act(() => useCodeOverlay.getState().showCoverage(exactCoverage));
    render(<CoverageSummary overlay={coverageOverlay(exactCoverage)} file={demo} />);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Hide coverage' })));
    expect(useCodeOverlay.getState().overlay).toBeNull();
  });
});
