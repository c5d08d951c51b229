import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, terminate, waitUntil } from './sandbox.js';

/** Seconds since the epoch of each `index <time>` line in the journal. */
const runTimes = (sandbox: Sandbox): number[] =>
  sandbox
    .journal()
    .filter((line) => line.startsWith('index '))
    .map((line) => Number(line.split(' ')[1]));

describe('entrypoint_indexer.sh', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox();
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('runs the indexing command every interval and keeps going after a failed run', { timeout: 10_000 }, async () => {
    // The second run fails, as es-index-data does when Elasticsearch is briefly unreachable.
    sandbox.stub(
      'index-once',
      'journal "index $(date +%s.%N)"; [ "$(grep -c ^index "$SANDBOX/journal.log")" != 2 ] || exit 7',
    );
    const indexer = sandbox.start('entrypoint_indexer.sh', {
      INDEXER_COMMAND: 'index-once',
      INDEXER_INTERVAL_SECONDS: '0.2',
    });

    await waitUntil(() => runTimes(sandbox).length >= 5, 'five indexing runs', indexer);

    const times = runTimes(sandbox);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? time));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.19);
    expect(indexer.output()).toMatch(/indexing run 2 failed with status 7; next run in 0.2 s/);
    expect(indexer.child.exitCode).toBeNull();
  });

  it("defaults to cgap-portal's command and pause: its pinned entrypoint_indexer.sh's", {
    timeout: 10_000,
  }, async () => {
    const pinned = readFileSync(
      resolve(import.meta.dirname, '../../fixtures/cgap/portal/deploy/docker/production/entrypoint_indexer.sh'),
      'utf8',
    );
    expect(pinned).toContain('  poetry run es-index-data production.ini --app-name app ||');
    expect(pinned).toContain('  sleep 1\n');
    sandbox.stub('poetry', 'journal "index $(date +%s.%N) $*"');
    const indexer = sandbox.start('entrypoint_indexer.sh');

    await waitUntil(() => runTimes(sandbox).length >= 2, 'two indexing runs', indexer, 6000);

    const [first, second] = runTimes(sandbox);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(0.9);
    expect((second ?? 0) - (first ?? 0)).toBeLessThan(3);
    expect(sandbox.journal()[0]).toMatch(/ run es-index-data production.ini --app-name app$/);
  });

  it('stops a run in progress and exits promptly on SIGTERM', { timeout: 10_000 }, async () => {
    sandbox.stub(
      'index-slowly',
      'trap \'journal "index stopped"; exit 143\' TERM; journal "index $(date +%s)"; for _ in $(seq 100); do sleep 0.1; done',
    );
    const indexer = sandbox.start('entrypoint_indexer.sh', { INDEXER_COMMAND: 'index-slowly' });
    await waitUntil(() => runTimes(sandbox).length === 1, 'an indexing run', indexer);

    const exit = await terminate(indexer);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(2000);
    expect(sandbox.journal()).toContain('index stopped');
    expect(indexer.output()).toMatch(/stopped after 1 runs/);
  });

  it('exits promptly on SIGTERM between runs', { timeout: 10_000 }, async () => {
    sandbox.stub('index-once', 'journal "index $(date +%s)"');
    const indexer = sandbox.start('entrypoint_indexer.sh', {
      INDEXER_COMMAND: 'index-once',
      INDEXER_INTERVAL_SECONDS: '30',
    });
    await waitUntil(() => runTimes(sandbox).length === 1, 'an indexing run', indexer);

    const exit = await terminate(indexer);

    expect(exit).toMatchObject({ code: 0 });
    expect(exit.ms).toBeLessThan(2000);
  });
});
