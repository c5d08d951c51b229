import { describe, expect, it } from 'vitest';
import { localOutputOf, quietLine, releaseChanges } from '../../../scripts/lib/local-output.js';
import { completedRelease } from '../../support/release-fixtures.js';

/** Lines as serverless-offline and the Lambdas print them while local mode idles (from an `npm start`). */
const IDLE = [
  '{"level":"INFO","message":"scaling decision","timestamp":"2026-12-06T22:40:49.807Z","service":"ecs-conductor","environment":"cgap-prod","queue":"ingestion","serviceKey":"ingester","visible":0,"inFlight":0,"need":1,"desiredCount":1,"change":false,"direction":"none","reason":"keep 1: need 1 = ceil((0 visible + 0 in flight) / 1 per task) in [1, 4]","stored":"none"}',
  '{"_aws":{"Timestamp":1796596849808,"CloudWatchMetrics":[]},"service":"ecs-conductor","environment":"cgap-mastertest","ecsService":"ingester","QueueVisible":0}',
  '{"level":"INFO","message":"autoscale chain","timestamp":"2026-12-06T22:40:49.825Z","trigger":"tick","action":"advance","ran":true}',
  '(λ: autoscale) RequestId: 8db09266-9146-43c3-91b1-8ebe4b88df06  Duration: 81.79 ms  Billed Duration: 82 ms',
  'Successfully invoked scheduled function: [reconcile]',
  '{"level":"INFO","message":"environment reconciled","timestamp":"2026-12-06T22:41:00.255Z","environment":"cgap-mastertest"}',
  '{"level":"INFO","message":"request","timestamp":"2026-12-06T22:41:00.255Z","method":"GET","path":"/environments/cgap-mastertest","status":200}',
  '',
];

describe("npm start's quiet output", () => {
  it('prints nothing for what an idle local mode logs: ticks, reconciles, metrics, kept counts, requests', () => {
    expect(IDLE.map(quietLine).filter((line) => line !== undefined)).toEqual([]);
  });

  it('prints one line for a scaling decision that changed a count', () => {
    const line =
      '{"level":"INFO","message":"scaling decision","timestamp":"2026-12-06T22:41:05.140Z","environment":"cgap-mastertest","serviceKey":"ingester","change":true,"reason":"scale out 1 → 3: need 3 = ceil(3 visible / 1 per task)"}';
    expect(quietLine(line)).toBe(
      '22:41:05  cgap-mastertest ingester: scale out 1 → 3: need 3 = ceil(3 visible / 1 per task)',
    );
  });

  it('prints a request that changes something, with its status, and no read', () => {
    const request = (method: string) =>
      `{"level":"INFO","message":"request","timestamp":"2026-12-06T22:50:45.000Z","method":"${method}","path":"/environments/cgap-mastertest/services/ingester/scale","status":200}`;
    expect(quietLine(request('POST'))).toBe(
      '22:50:45  POST /environments/cgap-mastertest/services/ingester/scale → 200',
    );
    expect(quietLine(request('GET'))).toBeUndefined();
  });

  it('prints warnings and errors, from the Lambdas and from serverless-offline, without terminal escapes', () => {
    const error =
      '{"level":"ERROR","message":"environment not reconciled","timestamp":"2026-12-06T22:42:00.000Z","environment":"cgap-prod","error":{"name":"Error","message":"boom\\u001b[2J"}}';
    expect(quietLine(error)).toBe('22:42:00  error  environment not reconciled (cgap-prod): boom\\x1b[2J');
    expect(
      quietLine('{"level":"WARN","message":"routine re-run skipped","timestamp":"2026-12-06T22:42:00.000Z"}'),
    ).toBe('22:42:00  warn  routine re-run skipped');
    expect(quietLine('✖ Unhandled exception in handler api')).toBe('✖ Unhandled exception in handler api');
  });

  it('prints a line for each release that is new or changed state, once', () => {
    const seen = new Map<string, string>();
    const release = {
      ...completedRelease('cgap-mastertest', '1.5.0', new Date('2026-12-06T22:00:00Z')),
      state: 'BUILDING' as const,
    };
    const at = new Date('2026-12-06T22:43:01Z');

    expect(releaseChanges(seen, [release], at)).toEqual([`22:43:01  cgap-mastertest 1.5.0 (${release.id}): BUILDING`]);
    expect(releaseChanges(seen, [release], at)).toEqual([]);
    const failed = {
      ...release,
      state: 'FAILED' as const,
      failure: { kind: 'task' as const, step: 'deployment', reason: 'exited with code 3' },
    };
    expect(releaseChanges(seen, [failed], at)).toEqual([
      `22:43:01  cgap-mastertest 1.5.0 (${release.id}): BUILDING → FAILED: exited with code 3`,
    ]);
  });

  it('is quiet unless --verbose or CONDUCTOR_VERBOSE asks for everything', () => {
    expect(localOutputOf([], {})).toBe('quiet');
    expect(localOutputOf(['--verbose'], {})).toBe('verbose');
    expect(localOutputOf([], { CONDUCTOR_VERBOSE: '1' })).toBe('verbose');
    expect(localOutputOf([], { CONDUCTOR_VERBOSE: '0' })).toBe('quiet');
  });
});
