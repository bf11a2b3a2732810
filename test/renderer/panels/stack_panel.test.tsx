// @vitest-environment happy-dom
// The Stack: each frame as its call with its arguments' values, fib(n=3), and its line; the
// symbol where the frame's function isn't known.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireFrame } from '../../../native/common/protocol/messages';
import { StackPanel } from '../../../renderer/src/panels/StackPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

const frame = (fields: Partial<WireFrame>): WireFrame => ({ rip: '0x100038', rsp: '0xffffa0', symbol: 'fib+0x18', args: [], ...fields });

describe('the Stack panel', () => {
  it('shows each frame as its call, with its line', () => {
    useInspector.setState({
      selectedFrame: 1,
      frames: [
        frame({ symbol: 'fib', function: 'fib', args: [{ name: 'n', value: '2' }], file: '/w/demo.c', line: 13 }),
        frame({
          function: 'visit',
          args: [
            { name: 'shape', value: '0xffffc0' },
            { name: 'depth', value: '3' },
          ],
          file: '/w/variables.c',
          line: 56,
        }),
        frame({ symbol: 'ms_entry+0x4', rsp: '0xfffff8' }),
      ],
    });
    render(<StackPanel />);
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual([
      'fib(n=2) demo.c:13 sp 0xffffa0',
      'visit(shape=0xffffc0, depth=3) variables.c:56 sp 0xffffa0',
      'ms_entry+0x4 sp 0xfffff8',
    ]);
    expect(buttons[1]!.getAttribute('aria-pressed')).toBe('true');
    expect(buttons[0]!.querySelector('.frame-call')!.getAttribute('title')).toBe('fib');
  });
});
