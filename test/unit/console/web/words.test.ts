import { describe, expect, it } from 'vitest';
import { recordBuildOutcome } from '../../../../src/domain/release.js';
import { RELEASE_STATES } from '../../../../src/domain/release-states.js';
import { LIFECYCLE_STAGES } from '../../../../src/domain/native-deployment.js';
import {
  alarmWatchSaid,
  answerEffect,
  buildSaid,
  gateOutcomeSaid,
  gateWord,
  nativeStageWord,
  serviceProgressDetail,
  decisionSaid,
  failureSaid,
  healthSaid,
  holdSaid,
  plural,
  progressWord,
  releaseSaid,
  serviceRolloutSaid,
  shortDigest,
} from '../../../../src/console/web/words.js';
import { buildingRelease, builtRelease } from '../../../support/release-fixtures.js';

const AT = new Date(Date.UTC(2026, 11, 6, 14, 0, 0));

describe('the console’s words for the states the API names', () => {
  it('says every release state in words, never its name', () => {
    const words = RELEASE_STATES.map((state) => releaseSaid({ state }).word);
    expect(words).toEqual([
      'building',
      'built',
      'waiting for approval',
      'deploying',
      'baking (alarms watched)',
      'deployed',
      'failed',
      'rolled back',
    ]);
    for (const word of words) expect(word).not.toMatch(/[A-Z_]{2,}/);
  });

  it('says what failed: the build, the deploy, the rollback or the routine redeploy', () => {
    expect(releaseSaid({ state: 'FAILED', failure: { kind: 'build' } })).toEqual({ word: 'build failed', tone: 'bad' });
    expect(releaseSaid({ state: 'FAILED', failure: { kind: 'alarm' }, rollout: { kind: 'deploy' } }).word).toBe(
      'alarm tripped',
    );
    expect(releaseSaid({ state: 'FAILED', failure: { kind: 'task' }, rollout: { kind: 'deploy' } }).word).toBe(
      'deploy failed',
    );
    expect(releaseSaid({ state: 'FAILED', failure: { kind: 'service' }, rollout: { kind: 'rollback' } }).word).toBe(
      'rollback failed',
    );
    expect(releaseSaid({ state: 'FAILED', rollout: { kind: 'rerun' } }).word).toBe('routine redeploy failed');
    expect(releaseSaid({ state: 'FAILED', failure: { kind: 'aborted' }, rollout: { kind: 'deploy' } }).word).toBe(
      'aborted',
    );
    expect(releaseSaid({ state: 'ROLLED_BACK' })).toEqual({ word: 'rolled back', tone: 'warn' });
  });

  it('words builds, ECS rollouts, a rollout’s progress and health', () => {
    expect(buildSaid('TIMED_OUT')).toEqual({ word: 'timed out', tone: 'bad' });
    expect(buildSaid('SUCCEEDED')).toEqual({ word: 'built', tone: 'good' });
    expect(serviceRolloutSaid('IN_PROGRESS')).toEqual({ word: 'rolling out', tone: 'busy' });
    expect(serviceRolloutSaid('SOMETHING_NEW')).toEqual({ word: 'something new', tone: 'neutral' });
    expect(progressWord('UPDATING')).toBe('rolling');
    expect(progressWord('SUCCEEDED')).toBe('done');
    expect(healthSaid('Degraded')).toEqual({ word: 'Degraded', tone: 'bad' });
  });

  it('says a failed build once, in words, from the release the conductor recorded', () => {
    const failed = recordBuildOutcome(
      buildingRelease('cgap-mastertest', '1.6.0', AT),
      'wsgi',
      { status: 'FAILED', phase: 'BUILD' },
      AT,
    );
    expect(failed.failure?.reason).toBe('build of wsgi FAILED in phase BUILD');
    expect(failureSaid(failed)).toBe('the wsgi build failed in phase BUILD');
    const task = { ...builtRelease('cgap-mastertest', '1.6.0', AT), state: 'FAILED' as const };
    const reason = 'task deployment exited with code 3';
    expect(failureSaid({ ...task, failure: { kind: 'task', step: 'run task deployment', reason } })).toBe(reason);
    expect(failureSaid(builtRelease('cgap-mastertest', '1.6.0', AT))).toBeUndefined();
  });

  it('counts in the singular for one', () => {
    expect(plural(1, 'scaling decision')).toBe('1 scaling decision');
    expect(plural(0, 'scaling decision')).toBe('0 scaling decisions');
    expect(plural(2, 'task')).toBe('2 tasks');
  });

  it('shortens a digest to twelve hex digits', () => {
    expect(shortDigest(`sha256:${'ab12'.repeat(16)}`)).toBe('ab12ab12ab12');
  });
});

describe('a manual hold beside the autoscaler’s last decision', () => {
  const now = AT.getTime();
  const until = new Date(now + 30 * 60_000).toISOString();
  const hold = { desiredCount: 2, until, by: 'arn:aws:sts::123456789012:assumed-role/ops/alice' };

  it('says the hold with its end and who set it', () => {
    // The same day as `now`: the time alone; another day (here the next) adds the date, day and month in
    // the browser's order.
    expect(holdSaid(hold, now)).toMatch(/^held at 2 until \d\d:\d\d:\d\d by assumed-role\/ops\/alice$/);
    expect(holdSaid(hold, now - 86_400_000)).toMatch(
      /^held at 2 until (\d+ \w+|\w+ \d+),? \d\d:\d\d by assumed-role\/ops\/alice$/,
    );
  });

  it('marks a decision of another count as made before the hold, instead of contradicting it', () => {
    const before = { at: new Date(now - 5 * 60_000).toISOString(), desiredCount: 1, reason: 'keep 1: queue empty' };
    expect(decisionSaid(before, hold, now)).toBe('before the hold: 1 task, 5m 00s ago: keep 1: queue empty');
    const under = { ...before, desiredCount: 2, reason: `keep 2: manual hold until ${until}` };
    expect(decisionSaid(under, hold, now)).toBe(`2 tasks, 5m 00s ago: keep 2: manual hold until ${until}`);
    expect(decisionSaid(before, null, now)).toBe('1 task, 5m 00s ago: keep 1: queue empty');
  });

  it('says what an answer does before the rollout and at ECS’s pause before production traffic', () => {
    expect(answerEffect('reject', false)).toBe('puts the release back where it was; nothing rolls out');
    expect(answerEffect('approve', true)).toContain('move production traffic to the new revision');
    expect(answerEffect('reject', true)).toContain('has ECS roll the new revision back');
  });
});

describe('the console’s words for gates and native stages', () => {
  it('says each hookable and reported stage of a native deployment in words, not its name', () => {
    const stages = LIFECYCLE_STAGES;
    const words = stages.map(nativeStageWord);
    for (const [index, word] of words.entries()) expect(word).not.toContain(stages[index]);
    expect(new Set(words).size).toBe(stages.length);
    expect(nativeStageWord('POST_TEST_TRAFFIC_SHIFT')).toBe('smoke check on test traffic');
    // A stage ECS adds later still reads as words.
    expect(nativeStageWord('SOME_NEW_STAGE')).toBe('some new stage');
    // A rolling service shows its native stage; a failed one why it failed; a done one nothing more.
    expect(serviceProgressDetail({ state: 'UPDATING', stage: 'POST_TEST_TRAFFIC_SHIFT' })).toBe(
      'smoke check on test traffic, POST_TEST_TRAFFIC_SHIFT',
    );
    expect(serviceProgressDetail({ state: 'FAILED', stage: 'POST_TEST_TRAFFIC_SHIFT', reason: 'hook FAILED' })).toBe(
      'hook FAILED',
    );
    expect(serviceProgressDetail({ state: 'COMPLETED', stage: 'CLEAN_UP' })).toBeUndefined();
    expect(serviceProgressDetail(undefined)).toBeUndefined();
  });

  it('says how each gate let a release through, and how its alarm watch stands', () => {
    expect(['scan', 'promotion', 'approval'].map(gateWord)).toEqual(['image scan', 'promotion', 'approval']);
    expect(gateOutcomeSaid('passed')).toEqual({ word: 'passed', tone: 'good' });
    expect(gateOutcomeSaid('overridden')).toEqual({ word: 'overridden', tone: 'warn' });
    expect(gateOutcomeSaid('awaited').tone).toBe('warn');
    const watch = {
      alarms: ['prod-wsgi-5xx'],
      bakeMinutes: 10,
      bakeUntil: new Date(AT.getTime() + 600_000).toISOString(),
    };
    const now = AT.getTime();
    expect(alarmWatchSaid(watch, { state: 'DEPLOYING' }, now)).toEqual({
      word: 'watching prod-wsgi-5xx through the rollout',
      tone: 'busy',
    });
    expect(alarmWatchSaid(watch, { state: 'BAKING' }, now).word).toMatch(/^watching prod-wsgi-5xx, baking until /);
    expect(alarmWatchSaid(watch, { state: 'COMPLETED', bakedAt: watch.bakeUntil }, now)).toEqual({
      word: 'quiet through the bake: prod-wsgi-5xx',
      tone: 'good',
    });
    expect(alarmWatchSaid(watch, { state: 'ROLLED_BACK', failure: { kind: 'alarm' } }, now).tone).toBe('bad');
  });
});
