// Which backend runs: "auto" takes KVM where /dev/kvm works, "kvm" where it can't fails
// with the reason, and every result names the backend that ran.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BackendError, Sandbox, UsageError } from '../../../../native/node/api/index.js';
import { demoGuestPath, projectRoot } from '../../../helpers.js';

async function backendOf(backend: 'auto' | 'emulated' | 'kvm') {
  const sandbox = await Sandbox.create(demoGuestPath, { backend });
  try {
    const report = await sandbox.invoke('add', [1n, 2n]);
    expect(report.value).toBe(3n);
    return { name: sandbox.backend, reason: sandbox.backendReason, reported: report.backend };
  } finally {
    sandbox.dispose();
  }
}

describe('the backend choice', () => {
  it('runs the emulated backend when asked', async () => {
    expect(await backendOf('emulated')).toEqual({ name: 'emulated', reason: 'requested', reported: 'emulated' });
  });

  it('takes KVM for auto where it works, the emulated backend otherwise, saying why', async () => {
    const auto = await backendOf('auto');
    expect(auto.reported).toBe(auto.name);
    if (auto.name === 'kvm') {
      expect(auto.reason).toBe('auto: /dev/kvm works');
      expect(await backendOf('kvm')).toEqual({ name: 'kvm', reason: 'requested', reported: 'kvm' });
    } else {
      expect(auto.name).toBe('emulated');
      expect(auto.reason).toMatch(/^auto: KVM can't be used \(.+\), so the emulated backend runs$/);
      const error = await Sandbox.create(demoGuestPath, { backend: 'kvm' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toMatch(
        /^the KVM backend can't be used: \S.*\. The emulated backend runs anywhere: --backend emulated \(CLI\), backend: 'emulated' \(Node\)\.$/,
      );
    }
  });

  it('refuses a backend that does not exist', async () => {
    await expect(Sandbox.create(demoGuestPath, { backend: 'qemu' as never })).rejects.toThrow(UsageError);
    await expect(Sandbox.create(demoGuestPath, { backend: 'qemu' as never })).rejects.toThrow("unknown backend 'qemu': expected auto, emulated or kvm");
  });

  it("reaches the CLI, which exits 2 when KVM is asked for and can't be used", async () => {
    const auto = await backendOf('auto');
    const result = spawnSync(
      process.execPath,
      [join(projectRoot, 'dist/native/node/cli/main.js'), 'call', 'demo', 'add', '1', '2', '--backend', 'kvm', '--json'],
      { encoding: 'utf8' },
    );
    const output = JSON.parse(result.stdout) as { ok: boolean; backend?: string; error?: { kind: string } };
    if (auto.name === 'kvm') {
      expect(result.status).toBe(0);
      expect(output.backend).toBe('kvm');
    } else {
      expect(result.status).toBe(2);
      expect(output.error?.kind).toBe('backend');
    }
  });
});
