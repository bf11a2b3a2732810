// A paused guest's variables (native/engine/core/debug/frame_variables.cpp, dwarf_types,
// dwarf_location, variable_text) on test/guests/variables.c, built at -O2 like every
// guest: each scope's values and types in several frames, a struct holding arrays and a
// bitfield, a pointer chain followed on demand, a local the optimizer removed, arguments
// of recursive callers kept in callee-saved registers, 100 locals in one frame, and
// setting variables in memory, in a bitfield and in a register.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type DebugSession, Sandbox, type Variable } from '../../../../../native/node/api/index.js';
import { demoGuestPath, testBackend, testGuest } from '../../../../helpers.js';

const text = (v: Variable) => `${v.name}: ${v.type} = ${v.value}`;

let box: Sandbox;
let session: DebugSession | undefined;

beforeEach(async () => {
  box = await Sandbox.create(testGuest('variables'), { backend: testBackend as 'emulated' });
});

afterEach(() => {
  session?.end();
  session = undefined;
  box.dispose();
});

// Paused in visit(), after `total += depth` (variables.c:55), called with scale 9.
async function inVisit(): Promise<void> {
  box.addBreakpoint('variables.c:55');
  session = await box.debug('variables_shapes', [9]);
  const stop = await session.continue();
  expect(stop.reason).toBe('breakpoint');
}

describe('scopes', () => {
  it("lists the running frame's arguments, locals and globals with their types and values", async () => {
    await inVisit();
    const [args, locals, globals] = box.scopes(0);
    expect(args!.name).toBe('Arguments');
    expect(args!.variables.map((v) => `${v.name}: ${v.type}`)).toEqual(['shape: struct shape *', 'list: struct node *', 'depth: int']);
    expect(args!.variables[2]!.value).toBe('3'); // origin.x
    expect(args!.variables.every((v) => /^0x[0-9a-f]+$|^3$/.test(v.value))).toBe(true);
    expect(locals!.variables.map(text)).toEqual(['total: int = 13']); // 9 + 1, then + 3
    expect(globals!.variables.map(text)).toEqual([
      'counter: int = 42',
      'origin: point_t = {x = 3, y = 4}',
      expect.stringMatching(/^greeting: const char \* = 0x[0-9a-f]+ "hello"$/),
      'ratio: double = 1.5',
      'table: int [4] = {10, 20, 30, 40}',
    ]);
  });

  it("reads the caller's locals in its frame: a struct with arrays, an enum, a union, a bitfield, a char array", async () => {
    await inVisit();
    // scale's register is reused by now: DWARF describes it by its value on entry, which
    // the engine gave when it called variables_shapes, and the debugger kept.
    expect(box.scopes(1)[0]!.variables.map(text)).toEqual(['scale: int32_t = 9']);
    expect(box.backtrace()[1]!.args).toEqual([{ name: 'scale', value: '9' }]);
    const locals = box.scopes(1)[1]!.variables;
    expect(locals.map((v) => v.name)).toEqual(['third', 'second', 'first', 'shape']);
    const shape = locals[3]!;
    expect(shape.type).toBe('struct shape');
    expect(shape.value).toBe(
      '{corners = {{x = 1, y = 2}, {x = 9, y = 6}}, color = GREEN, area = {i = 7, f = 1e-44}, flags = {ready = 1, level = 5, delta = -3}, label = "box"}',
    );
    expect(shape.expandable).toBe(true);
    expect(box.children('shape', 1).map(text)).toEqual([
      'corners: struct point [2] = {{x = 1, y = 2}, {x = 9, y = 6}}',
      'color: enum color = GREEN',
      'area: union number = {i = 7, f = 1e-44}',
      'flags: struct flags = {ready = 1, level = 5, delta = -3}',
      'label: char [8] = "box"',
    ]);
    expect(box.children('shape.corners', 1).map((v) => `${v.expression} = ${v.value}`)).toEqual([
      'shape.corners[0] = {x = 1, y = 2}',
      'shape.corners[1] = {x = 9, y = 6}',
    ]);
    expect(box.children('shape.flags', 1).map(text)).toEqual(['ready: unsigned int = 1', 'level: unsigned int = 5', 'delta: int = -3']);
  });

  it('follows a pointer chain on demand, each child with the expression that names it', async () => {
    await inVisit();
    const list = box.children('list');
    expect(list.map((v) => `${v.expression}: ${v.type}`)).toEqual(['list->value: int', 'list->name: const char *', 'list->next: struct node *']);
    expect(list[1]!.value).toMatch(/^0x[0-9a-f]+ "first"$/);
    const next = box.children('list->next');
    expect(next[0]!.value).toBe('2');
    const last = box.children('list->next->next');
    expect(last.map((v) => v.value.replace(/^0x[0-9a-f]+ /, ''))).toEqual(['3', '"third"', '0x0']);
    expect(last[2]!.expandable).toBe(false); // a null pointer has nothing to open
  });

  it('says a local the optimizer removed is optimized out', async () => {
    box.addBreakpoint('optimized');
    session = await box.debug('variables_optimized', [4]);
    await session.continue();
    const never = box.scopes(0)[1]!.variables.find((v) => v.name === 'never')!;
    expect(never.value).toBe('<optimized out>');
    expect(never.unavailable).toBe('optimized out');
    expect(box.scopes(0)[0]!.variables.map(text)).toEqual(['x: int = 4']);
  });

  it("gives each recursive caller's argument, kept in a callee-saved register the CFI recovers", async () => {
    box.addBreakpoint('variables.c:72'); // int bottom = 100, in the call with n = 0
    session = await box.debug('variables_depth', [3]);
    await session.continue();
    expect(box.backtrace().map((f) => `${f.function}(${f.args.map((a) => `${a.name}=${a.value}`).join(', ')})`)).toEqual([
      'depth(n=0)',
      'depth(n=1)',
      'depth(n=2)',
      'depth(n=3)',
    ]);
    for (let frame = 0; frame < 4; ++frame) expect(box.evaluate('n', frame).value).toBe(String(frame));
    expect(() => box.scopes(4)).toThrow('there is no frame 4: the stack has 4');
  });

  it('gives an inlined call a frame of its own, before the function it is inlined into, at the line of the call', async () => {
    const lines = await Sandbox.create(testGuest('lines'), { backend: testBackend as 'emulated' });
    try {
      lines.addBreakpoint('walk+0x17'); // inside twice(), inlined into walk's loop
      const walk = await lines.debug('lines_walk', [3]);
      await walk.continue();
      expect(lines.backtrace().map((f) => `${f.function} ${f.file?.replace(/^.*\//, '')}:${f.line}`)).toEqual([
        'twice lines.c:7',
        'walk lines.c:14',
        'lines_walk lines.c:20',
      ]);
      expect(lines.backtrace()[0]!.rip).toBe(lines.backtrace()[1]!.rip); // one machine frame
      expect(lines.scopes(0).map((s) => s.variables.map((v) => v.name))).toEqual([['x'], ['doubled'], []]);
      expect(lines.scopes(1)[1]!.variables.map(text)).toEqual(['i: uint32_t = 0', 'sum: uint64_t = 0']);
      expect(lines.evaluate('*n', 1).value).toBe('3');
      expect(() => lines.evaluate('sum', 0)).toThrow("'sum': column 1: nothing is named 'sum' in frame 0");
      expect(lines.evaluate('count', 2).value).toBe('3');
      walk.end();
    } finally {
      lines.dispose();
    }
  });

  it('lists all 100 locals of a frame with their values', async () => {
    box.addBreakpoint('variables.c:93'); // int sum = 0, after the 100 stores
    session = await box.debug('variables_many', [1000]);
    await session.continue();
    const locals = box.scopes(0)[1]!.variables.filter((v) => v.name.startsWith('v'));
    expect(locals).toHaveLength(100);
    expect(locals.map((v) => v.value)).toEqual(Array.from({ length: 100 }, (_, i) => String(1000 + i)));
    expect(locals[42]!.type).toBe('volatile int');
    expect(typeof locals[42]!.address).toBe('bigint');
  });

  it("shows the demo's fib frames with their arguments", async () => {
    const demo = await Sandbox.create(demoGuestPath, { backend: testBackend as 'emulated' });
    try {
      demo.addBreakpoint('fib', { condition: 'n == 2' });
      const fib = await demo.debug('fib', [5]);
      await fib.continue();
      expect(demo.backtrace().map((f) => `${f.function}(${f.args.map((a) => `${a.name}=${a.value}`).join(', ')})`)).toEqual([
        'fib(n=2)',
        'fib(n=3)',
        'fib(n=4)',
        'fib(n=5)',
      ]);
      fib.end();
    } finally {
      demo.dispose();
    }
  });
});

describe('setVariable', () => {
  it('sets a member in memory, and the guest computes with it', async () => {
    await inVisit();
    expect(box.setVariable('shape->corners[1].x', '40', 0).value).toBe('40');
    expect(box.evaluate('shape->corners[1].x').value).toBe('40');
    expect(box.setVariable('total', 'total * 2').value).toBe('26');
    const stop = await session!.continue();
    expect(stop.value).toBe(26); // visit returns total
  });

  it('sets a bitfield without touching its neighbours', async () => {
    await inVisit();
    box.setVariable('shape->flags.delta', '-2');
    expect(box.evaluate('shape->flags').value).toBe('{ready = 1, level = 5, delta = -2}');
    box.setVariable('shape->flags.level', '9'); // 3 bits: 9 is 1
    expect(box.evaluate('shape->flags').value).toBe('{ready = 1, level = 1, delta = -2}');
  });

  it("sets an argument in a register of the running frame; refuses a value that isn't a place", async () => {
    box.addBreakpoint('optimized');
    session = await box.debug('variables_optimized', [4]);
    await session.continue();
    expect(box.setVariable('x', '10').value).toBe('10');
    expect(box.registers().rdi & 0xffffffffn).toBe(10n);
    expect(() => box.setVariable('x + 1', '3')).toThrow("'x + 1': column 1: can't set x + 1: it is a value, not a place in memory or a register");
    expect(() => box.setVariable('never', '3')).toThrow("can't set never: optimized out");
    const stop = await session.continue();
    expect(stop.value).toBe(30);
  });
});
