// @vitest-environment happy-dom
// The debug toolbar: which actions a state allows, VS Code's keys for them (by line, or by
// instruction while the Disassembly has the focus), going back in a recorded call (the same
// keys with Alt), and what it says of a stop.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { WireStop } from '../../../native/common/protocol/messages';
import { DisassemblyPanel } from '../../../renderer/src/panels/DisassemblyPanel';
import { stopText, Toolbar } from '../../../renderer/src/panels/Toolbar';
import { type ResumeHow, useInspector } from '../../../renderer/src/state/store';
import { type ReverseHow, useTimeTravel } from '../../../renderer/src/state/time_travel';

afterEach(cleanup);

const enabled = () =>
  screen
    .getAllByRole('button')
    .filter((b) => !(b as HTMLButtonElement).disabled)
    .map((b) => b.getAttribute('aria-label'));

const registers = { values: {}, flags: {} };
const stopAt = (line?: number): WireStop => ({ reason: 'step', rip: '0x100020', symbol: 'fib', file: '/src/demo.c', ...(line ? { line } : {}), registers });

describe('the toolbar', () => {
  it('allows what the state allows, each action an icon with its name and keys', () => {
    useInspector.setState({ debugging: false, running: false, stop: null });
    const { rerender } = render(<Toolbar />);
    expect(enabled()).toEqual([]);
    useInspector.setState({ debugging: true, running: false });
    rerender(<Toolbar />);
    expect(enabled()).toEqual(['Continue', 'Step Over', 'Step Into', 'Step Out', 'Step Over Instruction', 'Step Into Instruction', 'Restart', 'Stop']);
    expect(screen.getByRole('button', { name: 'Step Over' }).getAttribute('title')).toBe('Step Over (F10)');
    expect(screen.getByRole('button', { name: 'Step Out' }).getAttribute('title')).toBe('Step Out (Shift+F11)');
    expect(screen.getByRole('button', { name: 'Step Over' }).querySelector('.codicon-debug-step-over')).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Debugger state' }).textContent).toBe('Paused');
    useInspector.setState({ debugging: true, running: true });
    rerender(<Toolbar />);
    // Pause takes Continue's place while the call runs.
    expect(enabled()).toEqual(['Pause', 'Stop']);
  });

  it("answers VS Code's keys: F10 and F11 by line, by instruction in the Disassembly", () => {
    const done: string[] = [];
    useInspector.setState({
      debugging: true,
      running: false,
      stop: stopAt(13),
      disassembly: [{ address: '0x100020', bytes: '55', mnemonic: 'push', operands: 'rbp', symbol: 'fib' }],
      breakpoints: [],
      resume: async (how: ResumeHow) => void done.push(how),
      restart: async () => void done.push('restart'),
      stopDebugging: async () => void done.push('stop'),
    });
    render(
      <>
        <Toolbar />
        <DisassemblyPanel />
      </>,
    );
    fireEvent.keyDown(window, { key: 'F5' });
    fireEvent.keyDown(window, { key: 'F10' });
    fireEvent.keyDown(window, { key: 'F11' });
    fireEvent.keyDown(window, { key: 'F11', shiftKey: true });
    fireEvent.keyDown(window, { key: 'F5', shiftKey: true, ctrlKey: true });
    fireEvent.keyDown(window, { key: 'F5', shiftKey: true });
    expect(done).toEqual(['continue', 'line-over', 'line-into', 'out', 'restart', 'stop']);

    done.length = 0;
    (screen.getByRole('region', { name: 'Disassembly' }).querySelector('.code-grid') as HTMLElement).focus();
    fireEvent.keyDown(window, { key: 'F10' });
    fireEvent.keyDown(window, { key: 'F11' });
    expect(done).toEqual(['over', 'step']);
  });

  it('steps by instruction where the stop has no source line', () => {
    const done: string[] = [];
    useInspector.setState({ debugging: true, running: false, stop: stopAt(), resume: async (how: ResumeHow) => void done.push(how) });
    render(<Toolbar />);
    fireEvent.keyDown(window, { key: 'F10' });
    fireEvent.click(screen.getByRole('button', { name: 'Step Into Instruction' }));
    expect(done).toEqual(['over', 'step']);
  });

  it('says why the engine refused a step, beside the stop', () => {
    useInspector.setState({ debugging: true, running: false, stop: stopAt(13), debugError: 'no call is being debugged' });
    render(<Toolbar />);
    expect(screen.getByRole('alert', { name: 'Debugger error' }).textContent).toBe('no call is being debugged');
  });
});

describe('going back', () => {
  const recording = {
    start: 0,
    end: 223,
    position: 40,
    ended: false,
    dropped: false,
    bytes: 1,
    sizeLimit: 1,
    checkpoints: 1,
    checkpointInterval: 1,
    events: [],
  };

  it('is off, saying why, until the call is recorded; then on while paused and after the end', () => {
    useTimeTravel.setState({ recording: null });
    useInspector.setState({ debugging: true, running: false, stop: stopAt(13) });
    const { rerender } = render(<Toolbar />);
    const stepBack = () => screen.getByRole('button', { name: 'Step Back' }) as HTMLButtonElement;
    expect(stepBack().disabled).toBe(true);
    expect(stepBack().getAttribute('title')).toBe('Step Back (Alt+F10): this call is not recorded: debug it with Record (time travel) on');
    useTimeTravel.setState({ recording });
    rerender(<Toolbar />);
    expect(enabled()).toEqual([
      'Continue',
      'Step Over',
      'Step Into',
      'Step Out',
      'Step Over Instruction',
      'Step Into Instruction',
      'Reverse Continue',
      'Step Back',
      'Step Back Into',
      'Step Back Out',
      'Step Back Instruction',
      'Step Back Into Instruction',
      'Restart',
      'Stop',
    ]);
    expect(stepBack().getAttribute('title')).toBe('Step Back (Alt+F10)');
    expect(screen.getByRole('button', { name: 'Step Back Out' }).getAttribute('title')).toBe('Step Back Out (Alt+Shift+F11)');
    // Ended, its recording kept: only going back.
    useInspector.setState({ debugging: false, stop: { ...stopAt(), reason: 'exit', value: '5' } });
    rerender(<Toolbar />);
    expect(enabled()).toEqual(['Reverse Continue', 'Step Back', 'Step Back Into', 'Step Back Out', 'Step Back Instruction', 'Step Back Into Instruction']);
    useInspector.setState({ debugging: true, running: true, stop: stopAt(13) });
    rerender(<Toolbar />);
    expect(stepBack().getAttribute('title')).toBe('Step Back (Alt+F10): the call is running');
  });

  it('answers the keys with Alt: by line, by instruction in the Disassembly', () => {
    const done: string[] = [];
    useTimeTravel.setState({ recording, reverse: async (how: ReverseHow) => void done.push(`back ${how}`) });
    useInspector.setState({
      debugging: true,
      running: false,
      stop: stopAt(13),
      disassembly: [{ address: '0x100020', bytes: '55', mnemonic: 'push', operands: 'rbp', symbol: 'fib' }],
      breakpoints: [],
      resume: async (how: ResumeHow) => void done.push(how),
    });
    render(
      <>
        <Toolbar />
        <DisassemblyPanel />
      </>,
    );
    fireEvent.keyDown(window, { key: 'F5', altKey: true });
    fireEvent.keyDown(window, { key: 'F10', altKey: true });
    fireEvent.keyDown(window, { key: 'F11', altKey: true });
    fireEvent.keyDown(window, { key: 'F11', altKey: true, shiftKey: true });
    expect(done).toEqual(['back continue', 'back line-over', 'back line-into', 'back out']);
    done.length = 0;
    (screen.getByRole('region', { name: 'Disassembly' }).querySelector('.code-grid') as HTMLElement).focus();
    fireEvent.keyDown(window, { key: 'F10', altKey: true });
    fireEvent.keyDown(window, { key: 'F11', altKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Step Back Instruction' }));
    expect(done).toEqual(['back over', 'back step', 'back over']);
  });

  it('records by default on the emulated backend, and on KVM only when asked, saying how', () => {
    const guest = { path: 'demo.elf', backend: 'emulated', backendReason: 'requested', memorySize: '0x1000000', regions: [], functions: [] };
    useInspector.setState({ guest, debugging: false, stop: null });
    const { rerender } = render(<Toolbar />);
    const toggle = () => screen.getByRole('checkbox', { name: 'Record (time travel)' }) as HTMLInputElement;
    expect(toggle().checked).toBe(true);
    fireEvent.click(toggle());
    expect(toggle().checked).toBe(false);
    expect(localStorage.getItem('microscope.record')).toBe('off');
    fireEvent.click(toggle());
    useInspector.setState({ guest: { ...guest, backend: 'kvm' } });
    rerender(<Toolbar />);
    expect(toggle()).toMatchObject({ checked: false, disabled: false });
    expect(toggle().closest('label')!.getAttribute('title')).toMatch(
      /^Record each debugged call .*on kvm the call runs to its end first, then the emulator replays it/,
    );
    fireEvent.click(toggle());
    expect(toggle().checked).toBe(true);
    expect(localStorage.getItem('microscope.record.kvm')).toBe('on');
    expect(localStorage.getItem('microscope.record')).toBe('on');
  });
});

describe('stopText', () => {
  it("gives a watchpoint's access with the old and the new value", () => {
    const watch = { watchpoint: 2, address: '0xffffb8', size: 8, access: 'write' as const, oldValue: 'd0ffff0000000000', newValue: '0500000000000000' };
    expect(stopText({ ...stopAt(14), reason: 'watchpoint', watch })).toBe('watchpoint 2 in fib (demo.c:14): write of 8 bytes at 0xffffb8, 0xffffd0 → 0x5');
    expect(stopText({ ...stopAt(14), reason: 'watchpoint', watch: { ...watch, access: 'read', oldValue: '0500000000000000' } })).toBe(
      'watchpoint 2 in fib (demo.c:14): read of 8 bytes at 0xffffb8, value 0x5',
    );
  });

  it("names a fault's vector in words, and gives an abort's code", () => {
    const fault = { kind: 'fault', message: '#DE at 0x100100 (divide+0x4)', vector: '#DE', rip: '0x100100', symbol: 'divide+0x4' };
    expect(stopText({ ...stopAt(), reason: 'fault', symbol: 'divide+0x4', error: fault })).toBe('#DE (divide error) in divide+0x4');
    const abort = { kind: 'abort', message: 'bad input', code: 7 };
    expect(stopText({ ...stopAt(), reason: 'exit', error: abort })).toBe('ended: abort code 7: bad input');
  });
});
