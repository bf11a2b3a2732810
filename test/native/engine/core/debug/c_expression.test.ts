// C expressions in a paused frame (native/engine/core/debug/c_expression.cpp) on
// test/guests/variables.c at -O2, paused in visit(): names, members, pointers, casts and
// C's conversions, each with its exact value and type, and errors that say what is wrong
// and at which column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DebugSession, Sandbox } from '../../../../../native/node/api/index.js';
import { testBackend, testGuest } from '../../../../helpers.js';

let box: Sandbox;
let session: DebugSession;

beforeAll(async () => {
  box = await Sandbox.create(testGuest('variables'), { backend: testBackend as 'emulated' });
  box.addBreakpoint('variables.c:55'); // in visit(&shape, &first, 3) with scale 9
  session = await box.debug('variables_shapes', [9]);
  expect((await session.continue()).reason).toBe('breakpoint');
});

afterAll(() => {
  session.end();
  box.dispose();
});

const value = (expression: string, frame = 0) => {
  const v = box.evaluate(expression, frame);
  return `${v.type} ${v.value}`;
};

describe('evaluate', () => {
  it.each([
    ['total', 'int 13'],
    ['shape->corners[1].x', 'int 9'],
    ['(*shape).corners[0].y', 'int 2'],
    ['list->next->next->value * 10', 'int 30'],
    ['shape->flags.delta', 'int -3'],
    ['shape->color', 'enum color GREEN'],
    ['shape->color == GREEN', 'int 1'],
    ['BLUE - GREEN', 'int 1'],
    ['table[3] / table[0]', 'int 4'],
    ['table[1] % 7', 'int 6'],
    ['-table[0] >> 1', 'int -5'],
    ['~0u', 'unsigned int 4294967295'],
    ['-1 < 0u', 'int 0'], // -1 converts to unsigned int, as in C
    ['-1 < 0', 'int 1'],
    ['0xffffffff', 'unsigned int 4294967295'],
    ['2147483648', 'long int 2147483648'],
    ['(char)65', "char 65 'A'"],
    ["'a' + 1", 'int 98'],
    ['(unsigned char)300', "unsigned char 44 ','"],
    ['ratio * 2', 'double 3'],
    ['7 / 2.0f', 'float 3.5'],
    ['(int)ratio', 'int 1'],
    ['sizeof(struct shape)', 'long unsigned int 36'],
    ['sizeof shape->label', 'long unsigned int 8'],
    ['sizeof(point_t)', 'long unsigned int 8'],
    ['!list', 'int 0'],
    ['list && list->next->next->next == 0', 'int 1'],
    ['list->value ? 7 : 8', 'int 7'],
    ['greeting[1]', "const char 101 'e'"],
    ['*greeting', "const char 104 'h'"],
    ['shape->label', 'char [8] "box"'],
    ['&shape->corners[1] - &shape->corners[0]', 'long int 1'],
    ['(long)&shape->corners[1] - (long)shape', 'long int 8'],
    ['*&total', 'int 13'],
    ['origin.x + origin.y', 'int 7'],
    ['counter', 'int 42'],
    ['depth == 3 && rdi != 0', 'int 1'],
  ])('%s is %s', (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });

  it('reads registers by name, and by $name where a variable could have it', () => {
    const registers = box.registers();
    expect(box.evaluate('rsp').value).toBe(String(registers.rsp));
    expect(box.evaluate('$rip').type).toBe('long unsigned int');
    expect(box.evaluate('$rip').value).toBe(String(registers.rip));
    expect(box.evaluate('eax').value).toBe(String(Number(BigInt.asIntN(32, registers.rax))));
  });

  it('gives a pointer its address and a char * its string', () => {
    const pointer = box.evaluate('list->name');
    expect(pointer.value).toMatch(/^0x[0-9a-f]+ "first"$/);
    expect(box.evaluate('&shape->corners[1]').type).toBe('struct point *');
    expect(box.evaluate('(void *)0').value).toBe('0x0');
    expect(box.evaluate('&shape->corners[1]').value).toBe(`0x${(BigInt(box.evaluate('(long)shape').value) + 8n).toString(16)}`);
    expect(box.evaluate('shape->corners[1]').address).toBe(BigInt(box.evaluate('(long)shape').value) + 8n);
  });

  it("evaluates in a caller's frame", () => {
    expect(value('shape.corners[1].x + first.value', 1)).toBe('int 10');
    expect(value('second.next->name[0]', 1)).toBe("const char 116 't'");
  });

  it.each([
    ['nope', "'nope': column 1: nothing is named 'nope' in frame 0 (no variable, function, enumerator or register)"],
    ['shape.x', "'shape.x': column 1: shape is a struct shape *, not a struct or union: use '->'"],
    ['total->x', "'total->x': column 1: total is an int, not a pointer: use '.' for a member"],
    ['shape->zz', "'shape->zz': column 1: struct shape has no member 'zz'"],
    ['total +', "'total +': column 8: expected a value at the end"],
    ['(total', "'(total': column 7: expected ')' at the end"],
    ['total )', "'total )': column 7: unexpected ')'"],
    ['1 / (total - 13)', "'1 / (total - 13)': column 1: division by zero"],
    ['*total', "'*total': column 2: total is an int, not a pointer"],
    ['*(void *)shape', "'*(void *)shape': column 2: can't dereference (void *)shape: it is a void *"],
    ['total = 3', "'total = 3': column 7: '=' assigns, which an expression here can't; compare with '=='"],
    ['visit(1)', "'visit(1)': column 6: function calls aren't supported: the guest can't run while it is paused"],
    ['"x"', "'\"x\"': column 1: string literals aren't supported; compare characters, as in s[0] == 'a'"],
    ['(struct nothing *)0', "'(struct nothing *)0': column 2: the program has no struct nothing"],
    ['*shape + 1', "'*shape + 1': column 1: *shape is a struct shape, not a number or a pointer"],
    ['$xyz', "'$xyz': column 1: there is no register 'xyz'"],
    ['', "'': column 1: the expression is empty"],
    ['table[2', "'table[2': column 8: expected ']' at the end"],
    ['99999999999999999999', "'99999999999999999999': column 1: 99999999999999999999 does not fit 64 bits"],
    ['('.repeat(300) + '1' + ')'.repeat(300), 'column 257: the expression is nested too deeply (256 levels at most)'],
  ])('%s fails: %s', (expression, message) => {
    expect(() => box.evaluate(expression)).toThrow(message);
  });
});
