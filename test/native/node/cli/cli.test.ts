// The microscope command line, run as a user runs it: output, JSON shapes, exit status.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { demoGuestPath, projectRoot, testBackend, testGuest } from '../../../helpers.js';

function microscope(...args: string[]) {
  return microscopeIn(undefined, ...args);
}

function microscopeIn(cwd: string | undefined, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(projectRoot, 'dist/native/node/cli/main.js'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(...args: string[]) {
  const result = microscope(...args, '--json');
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  // The CLI's JSON as JSON.parse gives it: each test asserts the fields it reads.
  return { status: result.status, value: JSON.parse(lines[0]!) };
}

describe('microscope functions', () => {
  it('lists names and signatures as JSON', () => {
    const { status, value } = json('functions', 'demo');
    expect(status).toBe(0);
    expect(value).toEqual([
      { name: 'add', params: ['i64', 'i64'], returns: 'i64' },
      { name: 'fib', params: ['u32'], returns: 'u64' },
      { name: 'sha256', params: ['bytes'], returns: 'bytes' },
      { name: 'greet', params: ['str'], returns: 'str' },
      { name: 'crash_null', params: [], returns: 'i32' },
      { name: 'divide', params: ['i32', 'i32'], returns: 'i32' },
      { name: 'spin', params: [], returns: 'void' },
      { name: 'alloc', params: ['u32'], returns: 'u64' },
      { name: 'abort_with', params: ['i32'], returns: 'void' },
    ]);
  });

  it('prints signatures with parameter names', () => {
    const { status, stdout } = microscope('functions', demoGuestPath);
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('i64 add(i64 a, i64 b)');
  });
});

describe('microscope call', () => {
  it('prints the result', () => {
    expect(microscope('call', 'demo', 'add', '40', '2')).toMatchObject({ status: 0, stdout: '42\n' });
    expect(microscope('call', 'demo', 'add', '-5', '0x10').stdout).toBe('11\n');
    expect(microscope('call', 'demo', 'greet', 'World').stdout).toBe('Hello, World!\nHello, World!\n');
    expect(microscope('call', 'demo', 'sha256', '616263').stdout).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n');
  });

  it('prints exactly one JSON object for a result', () => {
    const { status, value } = json('call', 'demo', 'greet', 'Ann');
    expect(status).toBe(0);
    expect(value).toMatchObject({ ok: true, type: 'str', value: 'Hello, Ann!', output: 'Hello, Ann!', backend: testBackend });
    expect(Object.keys(value.timings).sort()).toEqual(['hostNs', 'restoreNs', 'restoredPages', 'runNs', 'totalNs']);
    expect(json('call', 'demo', 'fib', '30').value.value).toBe(832040);
    expect(json('call', 'demo', 'sha256', '').value.value).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(json('call', 'demo', 'spin', '--timeout', '10').value.error.kind).toBe('cancelled');
  });

  it('writes integers beyond 2^53 as strings', () => {
    const types = testGuest('types');
    expect(json('call', types, 'echo_u64', '18446744073709551615').value.value).toBe('18446744073709551615');
    expect(json('call', types, 'echo_i64', '-9007199254740993').value.value).toBe('-9007199254740993');
    expect(json('call', types, 'echo_i64', '9007199254740991').value.value).toBe(9007199254740991);
    expect(json('call', types, 'echo_bool', 'true').value).toMatchObject({ type: 'bool', value: true });
    expect(json('call', types, 'echo_f64', '2.5').value.value).toBe(2.5);
    expect(json('call', types, 'echo_bytes', '00ff10').value.value).toBe('00ff10');
    expect(json('call', types, 'nothing').value).toMatchObject({ type: 'void', value: null });
  });

  it('reports a fault with vector, RIP, symbol and CR2, and exits 1', () => {
    const { status, value } = json('call', 'demo', 'crash_null');
    expect(status).toBe(1);
    expect(value.ok).toBe(false);
    expect(value.error).toMatchObject({ kind: 'fault', vector: '#PF', vectorNumber: 14, cr2: '0x0' });
    expect(value.error.rip).toMatch(/^0x10[0-9a-f]{4}$/);
    expect(value.error.symbol).toMatch(/^crash_null\+0x/);
    expect(value.backend).toBe(testBackend);
    const text = microscope('call', 'demo', 'crash_null');
    expect(text.status).toBe(1);
    expect(text.stderr).toMatch(/^fault: #PF at 0x[0-9a-f]+ \(crash_null\+0x[0-9a-f]+\), CR2 0x0\n$/);
  });

  it('reports aborts, cancellations and exits 1', () => {
    expect(json('call', 'demo', 'abort_with', '9')).toMatchObject({
      status: 1,
      value: { ok: false, error: { kind: 'abort', code: 9, message: 'abort_with was asked to abort' } },
    });
    expect(json('call', 'demo', 'alloc', '100000000').value.error).toMatchObject({ kind: 'abort', code: 12, message: 'out of memory' });
    const spin = json('call', 'demo', 'spin', '--timeout', '30');
    expect(spin.status).toBe(1);
    expect(spin.value.error).toEqual({ kind: 'cancelled', message: 'timed out after 30 ms', reason: 'timeout' });
    expect(microscope('call', 'demo', 'abort_with', '3').stderr).toBe('abort: code 3: abort_with was asked to abort\n');
  });

  it('exits 2 on bad input: arguments, options, files, ELF', () => {
    expect(json('call', 'demo', 'add', 'x', '1')).toMatchObject({
      status: 2,
      value: { ok: false, error: { kind: 'usage', message: "argument 1 (a) must be an i64 in decimal or 0x-hex, got 'x'" } },
    });
    expect(json('call', 'demo', 'add', '1').value.error.message).toBe('add takes 2 arguments (i64 add(i64 a, i64 b)), got 1');
    expect(json('call', 'demo', 'divide', '2147483648', '1').value.error.message).toBe('argument 1 (a) is out of range for i32: 2147483648');
    expect(json('call', 'demo', 'nope').value.error.message).toMatch(/^the guest exports no function 'nope'/);
    expect(json('call', 'demo', 'add', '1', '2', '--backend', 'qemu').value.error.message).toBe("--backend must be one of auto, emulated, kvm, got 'qemu'");
    expect(json('call', 'demo', 'add', '1', '2', '--timeout', '-1').status).toBe(2);
    expect(json('call', 'missing.elf', 'add').value.error).toEqual({
      kind: 'usage',
      message: "can't read the guest file 'missing.elf': ENOENT",
    });
    const notElf = join(tmpdir(), 'microscope-not-an-elf');
    writeFileSync(notElf, 'hello');
    expect(json('call', notElf, 'add').value.error).toEqual({
      kind: 'elf',
      message: 'bad magic: not an ELF file (it does not start with 7f 45 4c 46)',
    });
    expect(microscope('frobnicate').status).toBe(2);
    expect(microscope('call', 'demo').status).toBe(2);
    expect(microscope('call', 'demo', 'add', '1', '2', '--bogus').stderr).toBe('usage: call: unknown option --bogus\n');
  });
});

describe('microscope bench', () => {
  it('prints the profile as JSON: summary, phases, the encoded histogram', () => {
    const { status, value } = json('bench', 'demo', 'add', '1', '2', '--iterations', '500', '--mode', 'warm', '--warmup', '50');
    expect(status).toBe(0);
    expect(value).toMatchObject({
      format: 'microscope-profile/1',
      function: 'add',
      args: ['1', '2'],
      mode: 'warm',
      iterations: 500,
      warmupIterations: 50,
      backend: testBackend,
      cancelled: false,
    });
    const ns = value.summary as Record<string, number>;
    expect(Object.keys(ns)).toEqual(['count', 'min', 'mean', 'stdev', 'p50', 'p75', 'p90', 'p99', 'p99_9', 'p99_99', 'max']);
    expect(ns.min! > 0 && ns.min! <= ns.p50! && ns.p50! <= ns.p90! && ns.p90! <= ns.p99! && ns.p99! <= ns.max!).toBe(true);
    expect(value.histogram).toMatch(/^HISTF/);
  });

  it("prints wrk2's percentile table, writes the JSON and a CSV of every call", () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-bench-'));
    const { status, stdout } = microscope(
      'bench',
      'demo',
      'fib',
      '10',
      '--iterations',
      '200',
      '--mode',
      'cold',
      '--warmup',
      '2',
      '--out',
      join(dir, 'cold.json'),
      '--csv',
      join(dir, 'cold.csv'),
      '--histogram',
      join(dir, 'cold.hist'),
    );
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`fib(10) × 200 calls, cold, ${testBackend} backend; latency in µs`);
    expect(stdout).toContain('       Value     Percentile TotalCount 1/(1-Percentile)');
    expect(stdout).toMatch(/#\[Mean {4}= +[\d.]+, StdDeviation {3}= +[\d.]+\]/);
    expect(stdout).toMatch(/where a call's time goes \(mean\): create [\d.]+ µs, run [\d.]+ µs/);
    const saved = JSON.parse(readFileSync(join(dir, 'cold.json'), 'utf8')) as { iterations: number; mode: string };
    expect(saved).toMatchObject({ iterations: 200, mode: 'cold' });
    expect(readFileSync(join(dir, 'cold.hist'), 'utf8')).toBe(`${(saved as unknown as { histogram: string }).histogram}\n`);
    const csv = readFileSync(join(dir, 'cold.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('iteration,total_ns,create_ns,restore_ns,run_ns,host_ns,engine_ns');
    expect(csv).toHaveLength(201);
    const [iteration, total, create] = csv[200]!.split(',').map(Number);
    expect(iteration).toBe(199);
    expect(create).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(create!);
  });

  it('runs for a duration', () => {
    const { status, value } = json('bench', 'demo', 'add', '1', '2', '--duration', '0.2', '--warmup', '0');
    expect(status).toBe(0);
    expect(value.wallMs).toBeGreaterThanOrEqual(200);
    expect(microscope('bench', 'demo', 'add', '1', '2', '--duration', '1', '--iterations', '5').stderr).toBe(
      'usage: bench: give --iterations or --duration, not both\n',
    );
    expect(microscope('bench', 'demo', 'add', '1', '2', '--duration', 'soon').stderr).toBe(
      "usage: --duration must be a number of seconds above 0, got 'soon'\n",
    );
  });
});

describe('microscope compare', () => {
  it('puts two profiles side by side with B/A at each percentile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-compare-'));
    const [a, b] = [join(dir, 'warm.json'), join(dir, 'cold.json')];
    expect(microscope('bench', 'demo', 'add', '1', '2', '--iterations', '300', '--mode', 'warm', '--out', a).status).toBe(0);
    expect(microscope('bench', 'demo', 'add', '1', '2', '--iterations', '30', '--mode', 'cold', '--out', b).status).toBe(0);
    const summaries = [a, b].map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { summary: Record<string, number> }).summary);
    const { status, value } = json('compare', a, b);
    expect(status).toBe(0);
    expect(value.a).toMatchObject({ file: a, label: `add(1, 2) warm ${testBackend}`, count: 300 });
    expect(value.ratios.p50).toBeCloseTo(summaries[1]!.p50! / summaries[0]!.p50!, 6);
    expect(value.ratios['p99.9']).toBeCloseTo(summaries[1]!.p99_9! / summaries[0]!.p99_9!, 6);
    expect(value.ratios.p50).toBeGreaterThan(10); // a new sandbox per call

    const table = microscope('compare', a, b).stdout.split('\n');
    expect(table[2]).toBe('                  A µs          B µs       B/A');
    expect(table[4]).toMatch(/^p50 +[\d.]+ +[\d.]+ +[\d.]+×$/);
  });

  it('says what is wrong with a file that is not a profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-compare-'));
    const good = join(dir, 'good.json');
    expect(microscope('bench', 'demo', 'add', '1', '2', '--iterations', '10', '--out', good).status).toBe(0);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...JSON.parse(readFileSync(good, 'utf8')), histogram: 'HISTFnope' }));
    const notJson = join(dir, 'notes.txt');
    writeFileSync(notJson, 'hello');
    expect(microscope('compare', good, notJson)).toMatchObject({ status: 2, stderr: expect.stringMatching(/^usage: compare: .*notes\.txt is not JSON: /) });
    expect(microscope('compare', good, broken).stderr).toMatch(/^usage: compare: \S+broken\.json: histogram: not a readable encoded HdrHistogram/);
    writeFileSync(broken, JSON.stringify({ format: 'something-else' }));
    expect(microscope('compare', good, broken).stderr).toMatch(/is not a Microscope profile \(microscope-profile\/1\): format: /);
  });
});

describe('microscope trace', () => {
  interface ChromeEvent {
    name: string;
    ph: string;
    ts: number;
    dur?: number;
    cat: string;
  }

  it('writes fib(10) as 177 complete fib events, nested as the recursion was', () => {
    const file = join(tmpdir(), `microscope-trace-${process.pid}.json`);
    const { status, stdout, stderr } = microscope('trace', 'demo', 'fib', '10', '--out', file, '--backend', testBackend);
    expect(status).toBe(0);
    expect(stdout).toBe('55\n');
    expect(stderr).toMatch(new RegExp(`^${file}: 177 function calls, 0 host calls, 1 exits in [0-9.]+ ms on ${testBackend}\\n$`));
    const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: ChromeEvent[]; otherData: Record<string, string> };
    expect(trace.otherData).toMatchObject({ call: 'fib(10)', outcome: '55' });
    const fibs = trace.traceEvents.filter((e) => e.name === 'fib' && e.ph === 'X');
    expect(fibs).toHaveLength(177);
    // Nested by time as the recursion was: fib(n) contains fib(n-1) and fib(n-2), so the
    // number of fib events inside each one is that of a fib call tree.
    const sorted = [...fibs].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const inside = (outer: ChromeEvent) => sorted.filter((e) => e !== outer && e.ts >= outer.ts && e.ts + e.dur! <= outer.ts + outer.dur!).length;
    const treeSizes = new Set([0, 2, 4, 8, 14, 24, 40, 66, 108, 176]); // fib(n) calls made inside fib(n), n = 0..10 (1 and 0 alike)
    for (const event of sorted) expect(treeSizes.has(inside(event))).toBe(true);
    expect(inside(sorted[0]!)).toBe(176);
  });

  it('needs --out', () => {
    const { status, stderr } = microscope('trace', 'demo', 'fib', '3');
    expect(status).toBe(2);
    expect(stderr).toBe('usage: trace: --out FILE.json or --otlp FILE.json|URL is required\n');
  });
});

describe('microscope path', () => {
  it('prints the absolute path of the demo guest', () => {
    const { status, stdout } = microscope('path', 'demo');
    expect(status).toBe(0);
    expect(stdout).toBe(demoGuestPath + '\n');
    expect(existsSync(stdout.trim())).toBe(true);
  });
});

describe('microscope cc', () => {
  // Ordinary C with the C library, one gcc option passed through, and a function the CLI then calls.
  const source = [
    '#include <microscope.h>',
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include <string.h>',
    'static int descending(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }',
    'MICROSCOPE_FN(str, describe, (str, words)) {',
    '  int values[4] = {3, 1, 4, 1};',
    '  qsort(values, 4, sizeof values[0], descending);',
    '  static char text[128];',
    '  snprintf(text, sizeof text, "%s %d%d%d%d %.3f %s", GREETING, values[0], values[1], values[2], values[3], strtod("2.5e-1", 0), words);',
    '  puts("printed by puts");',
    '  return text;',
    '}',
  ].join('\n');

  it('builds a guest with the C library that the CLI can call, with gcc options passed through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-cc-'));
    writeFileSync(join(dir, 'words.c'), source);
    const built = microscopeIn(dir, 'cc', '-DGREETING="hi"', '-O1', 'words.c');
    expect(built).toMatchObject({ status: 0, stderr: '' });
    // The output is named after the first source.
    expect(existsSync(join(dir, 'words.elf'))).toBe(true);
    expect(microscope('call', join(dir, 'words.elf'), 'describe', 'there')).toMatchObject({
      status: 0,
      stdout: 'printed by puts\nhi 4311 0.250 there\n',
    });
  });

  it('builds with debug info by default and writes to -o', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-cc-'));
    writeFileSync(join(dir, 'words.c'), source);
    expect(microscopeIn(dir, 'cc', '-o', 'named.elf', '-DGREETING="x"', 'words.c').status).toBe(0);
    const elf = readFileSync(join(dir, 'named.elf'));
    expect(elf.includes(Buffer.from('.debug_info'))).toBe(true);
    expect(elf.includes(Buffer.from('.debug_line'))).toBe(true);
  });

  it("fails with gcc's own messages and status", () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-cc-'));
    writeFileSync(join(dir, 'broken.c'), 'int f(void) { return undeclared_name; }\n');
    const built = microscopeIn(dir, 'cc', 'broken.c');
    expect(built.status).toBe(1);
    expect(built.stderr).toMatch(/broken\.c:1:22: error: .undeclared_name. undeclared/);
    expect(existsSync(join(dir, 'broken.elf'))).toBe(false);
  });

  it('builds freestanding with --no-libc, where the C library is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microscope-cc-'));
    writeFileSync(join(dir, 'bare.c'), '#include <microscope.h>\nMICROSCOPE_FN(i64, twice, (i64, x)) { ms_printf("%d", (int)x); return 2 * x; }\n');
    expect(microscopeIn(dir, 'cc', '--no-libc', 'bare.c')).toMatchObject({ status: 0 });
    expect(microscope('call', join(dir, 'bare.elf'), 'twice', '21').stdout).toBe('21\n42\n');
    writeFileSync(join(dir, 'needs_libc.c'), '#include <stdio.h>\nint f(void) { return printf("x"); }\n');
    const built = microscopeIn(dir, 'cc', '--no-libc', 'needs_libc.c');
    expect(built.status).toBe(1);
    expect(built.stderr).toContain('stdio.h');
  });

  it('says what is missing when no source is given', () => {
    expect(microscope('cc', '-O2')).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: microscope cc') });
  });
});

describe('the sqlite guest on the command line', () => {
  it('is named like demo: functions, call, bench and path', () => {
    expect(microscope('functions', 'sqlite').stdout.split('\n')).toEqual([
      'str exec(str sql)',
      'u32 prepare(str sql)',
      'str query(u32 id, i64 parameter)',
      'void finalize(u32 id)',
      'str version()',
      '',
    ]);
    expect(microscope('call', 'sqlite', 'exec', 'select 1+1')).toMatchObject({ status: 0, stdout: '{"columns":["1+1"],"rows":[[2]],"changes":0}\n' });
    const { status, value } = json('bench', 'sqlite', 'exec', 'select 1', '--iterations', '20');
    expect(status).toBe(0);
    expect(value).toMatchObject({ format: 'microscope-profile/1', function: 'exec', args: ['select 1'], iterations: 20 });
    const path = microscope('path', 'sqlite');
    expect(path).toMatchObject({ status: 0, stdout: join(projectRoot, 'dist/guests/sqlite.elf') + '\n' });
  });

  it("fails a statement with SQLite's message and code", () => {
    expect(microscope('call', 'sqlite', 'exec', 'selec 1')).toMatchObject({ status: 1, stderr: 'abort: code 1: near "selec": syntax error\n' });
  });

  it('sizes the sandbox with --memory and --io-buffer', () => {
    const big = 'select length(randomblob(20000000))';
    expect(microscope('call', 'sqlite', 'exec', big)).toMatchObject({ status: 1, stderr: 'abort: code 7: out of memory\n' });
    expect(microscope('call', 'sqlite', 'exec', big, '--memory', '64M').stdout).toBe(
      '{"columns":["length(randomblob(20000000))"],"rows":[[20000000]],"changes":0}\n',
    );
    expect(microscope('call', 'sqlite', 'exec', 'select hex(zeroblob(40000))', '--io-buffer', '256K').status).toBe(0);
    expect(microscope('call', 'sqlite', 'exec', 'select 1', '--memory', 'lots')).toMatchObject({
      status: 2,
      stderr: "usage: --memory must be a size such as 65536, 64K, 16M or 1G, got 'lots'\n",
    });
    expect(microscope('call', 'sqlite', 'exec', 'select 1', '--memory', '5G').stderr).toContain('memory size must be a multiple of 2 MiB from 2 MiB to 3 GiB');
  });
});

describe('microscope help', () => {
  it('lists the commands', () => {
    const { status, stdout } = microscope('help');
    expect(status).toBe(0);
    for (const command of ['functions', 'call', 'bench', 'compare', 'trace', 'path', 'cc']) expect(stdout).toContain(`microscope ${command} `);
  });
});
