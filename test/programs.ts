// Runs a program a test is about (the conformance suite, the benchmark, the soak) to its
// end, however slow a busy machine makes it, and fails with what it was doing if it hangs:
// the program's last line of standard error, where the long suites say what they run.
import { spawn } from 'node:child_process';

export interface ProgramResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` with `args`; rejects, naming its last stderr line, when it has printed
 * nothing for `silenceMs` (a hang, not slowness: the programs print as they go).
 */
export function runProgram(command: string, args: string[], options: { silenceMs: number; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<ProgramResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout;
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        const last = stderr.trimEnd().split('\n').at(-1) || stdout.trimEnd().split('\n').at(-1) || '(nothing printed)';
        reject(new Error(`${command} printed nothing for ${options.silenceMs / 1000} s and was killed; its last line: ${last}`));
      }, options.silenceMs);
    };
    watch();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      watch();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      watch();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}
