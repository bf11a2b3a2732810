// @vitest-environment happy-dom
// The Functions panel's form: one field per parameter, checked as the user types.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { argumentProblem, FunctionsPanel } from '../../../renderer/src/panels/FunctionsPanel';
import { useInspector } from '../../../renderer/src/state/store';

afterEach(cleanup);

describe('argumentProblem', () => {
  it('says what each type takes', () => {
    expect(argumentProblem('i32', '-2147483648')).toBeNull();
    expect(argumentProblem('i32', '2147483648')).toBe('i32: out of range (-2147483648 to 2147483647)');
    expect(argumentProblem('u32', '-1')).toBe('u32: out of range (0 to 4294967295)');
    // max + 1 is refused, never wrapped
    expect(argumentProblem('i64', '9223372036854775808')).toBe('i64: out of range (-9223372036854775808 to 9223372036854775807)');
    expect(argumentProblem('i64', '-9223372036854775809')).toBe('i64: out of range (-9223372036854775808 to 9223372036854775807)');
    expect(argumentProblem('u64', '0x10000000000000000')).toBe('u64: out of range (0 to 18446744073709551615)');
    expect(argumentProblem('u64', '0xffffffffffffffff')).toBeNull();
    expect(argumentProblem('u64', '12a')).toBe('u64: a decimal or 0x-hex integer');
    expect(argumentProblem('f64', '0.5')).toBeNull();
    expect(argumentProblem('f64', '')).toBe('f64: a number');
    expect(argumentProblem('bool', 'yes')).toBe('bool: true or false');
    expect(argumentProblem('bytes', 'abc')).toBe('bytes: hex, two digits a byte');
    expect(argumentProblem('str', 'anything')).toBeNull();
  });
});

describe('the Functions panel', () => {
  it('lists signatures and checks each argument as it is typed', () => {
    useInspector.setState({
      guest: {
        path: 'demo.elf',
        backend: 'emulated',
        backendReason: 'requested',
        memorySize: '0x1000000',
        regions: [],
        functions: [
          {
            name: 'add',
            params: [
              { name: 'a', type: 'i64' },
              { name: 'b', type: 'i64' },
            ],
            returns: 'i64',
          },
          { name: 'greet', params: [{ name: 'name', type: 'str' }], returns: 'str' },
        ],
      },
    });
    render(<FunctionsPanel />);
    expect(screen.getByRole('region', { name: 'Functions' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'i64 add(i64 a, i64 b)' }).getAttribute('aria-pressed')).toBe('true');
    const a = screen.getByLabelText('a') as HTMLInputElement;
    fireEvent.change(a, { target: { value: '9223372036854775808' } });
    expect(a.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('i64: out of range (-9223372036854775808 to 9223372036854775807)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(a, { target: { value: '-0x10' } });
    expect(a.getAttribute('aria-invalid')).toBe('false');
    expect((screen.getByRole('button', { name: 'Call' }) as HTMLButtonElement).disabled).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'str greet(str name)' }));
    expect(screen.getByRole('form', { name: 'Call greet' })).toBeTruthy();
  });
});
