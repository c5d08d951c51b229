import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_DIR } from './sandbox.js';

/** Runs `script` in bash with docker/lib/common.sh sourced, as the entrypoints do; its wall time. */
function withCommon(script: string): { status: number | null; ms: number } {
  const started = performance.now();
  const run = spawnSync(
    'bash',
    [
      '-c',
      `set -euo pipefail; LOG_NAME=test; source ${JSON.stringify(join(DOCKER_DIR, 'lib', 'common.sh'))}; ${script}`,
    ],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  return { status: run.status, ms: performance.now() - started };
}

describe('docker/lib/common.sh: pause', () => {
  it('sleeps the whole pause when nothing interrupts it', () => {
    const run = withCommon('pause 0.5');
    expect(run.status).toBe(0);
    expect(run.ms).toBeGreaterThanOrEqual(490);
  });

  // The race a stop can lose: the trap runs after the caller decided to pause but before the pause's
  // sleep has a PID to kill. The pause must still end at once, not after its 30 s.
  it('ends at once when interrupted before it started', () => {
    const run = withCommon('interrupt_pause; pause 30');
    expect(run.status).toBe(0);
    expect(run.ms).toBeLessThan(2000);
  });

  it('ends at once when a trapped SIGTERM interrupts it', () => {
    const run = withCommon('trap interrupt_pause TERM; ( sleep 0.3; kill -TERM $$ ) & pause 30');
    expect(run.status).toBe(0);
    expect(run.ms).toBeLessThan(2000);
  });
});
