// Coverage for the overlay's tests: fib(5) on demo.c as the emulated backend counts it
// (fib entered 15 times, its recursive lines 7 times each, add's line never), and the same
// run as KVM sees it (hit or not, only the statement starts and entries listed).
import type { WireCoverage } from '../../../native/common/protocol/messages';

export const demo = '/src/demo.c';
export const header = '/src/microscope.h';

export const exactCoverage: WireCoverage = {
  call: 'fib(5)',
  backend: 'emulated',
  exact: true,
  calls: 1,
  files: [
    {
      path: demo,
      lines: [
        [8, 0],
        [12, 15],
        [13, 15],
        [14, 7],
        [15, 7],
        [16, 7],
        [17, 15],
      ],
    },
    { path: header, lines: [[40, 0]] },
  ],
  // fib's entry, its compare (line 13), a recursive call (line 14); add's entry is not here.
  instructions: [
    ['0x100020', 15],
    ['0x100024', 15],
    ['0x100030', 7],
  ],
  failures: [],
};

export const kvmCoverage: WireCoverage = {
  ...exactCoverage,
  backend: 'kvm',
  exact: false,
  files: exactCoverage.files.map((f) => ({ ...f, lines: f.lines.map(([line, count]) => [line, Math.min(1, count)] as [number, number]) })),
  // The statement starts hit: fib's entry and line 14's first instruction.
  instructions: [
    ['0x100020', 1],
    ['0x100030', 1],
  ],
};
