import { describe, expect, it } from 'vitest';
import { timelinePhases } from '../../../../src/console/web/timeline.js';

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, second)).toISOString();

describe('a release timeline as phases', () => {
  it('keeps a failed deploy attempt beside the retry that completed, with each step’s duration', () => {
    const timeline = [
      { at: at(0), step: 'release created' },
      { at: at(4), step: 'build wsgi succeeded' },
      { at: at(5), step: 'release built' },
      { at: at(10), step: 'deploy started', detail: 'by ops: roll wsgi → run deployment' },
      { at: at(12), step: 'task deployment running' },
      { at: at(20), step: 'release failed', detail: 'task deployment exited 3' },
      { at: at(30), step: 'deploy started' },
      { at: at(41), step: 'release completed' },
    ];
    const phases = timelinePhases(timeline, true, Date.parse(at(50)));
    expect(phases.map((phase) => [phase.title, phase.outcome, phase.durationMs])).toEqual([
      ['build', 'succeeded', 10_000],
      ['deploy · attempt 1', 'failed', 20_000],
      ['deploy · attempt 2', 'succeeded', 11_000],
    ]);
    expect(phases[1]?.steps.map((step) => [step.step, step.tookMs, step.failed])).toEqual([
      ['deploy started', 2000, false],
      ['task deployment running', 8000, false],
      ['release failed', 10_000, true],
    ]);
    // The last step of a settled release has no duration: nothing followed it.
    expect(phases[2]?.steps.at(-1)?.tookMs).toBeUndefined();
  });

  it('counts a live release’s last step up to now and calls its phase running', () => {
    const phases = timelinePhases(
      [
        { at: at(0), step: 'release created' },
        { at: at(3), step: 'build wsgi started' },
      ],
      false,
      Date.parse(at(9)),
    );
    expect(phases).toEqual([expect.objectContaining({ title: 'build', outcome: 'running', durationMs: 9000 })]);
    expect(phases[0]?.steps.at(-1)?.tookMs).toBe(6000);
  });

  it('marks an attempt that a newer one replaced before it ended as interrupted', () => {
    const phases = timelinePhases(
      [
        { at: at(0), step: 'release built' },
        { at: at(1), step: 'rollback started' },
        { at: at(5), step: 'rerun started' },
        { at: at(9), step: 'release completed' },
      ],
      true,
      Date.parse(at(9)),
    );
    expect(phases.map((phase) => [phase.title, phase.outcome])).toEqual([
      ['build', 'succeeded'],
      ['rollback · attempt 1', 'interrupted'],
      ['routine redeploy · attempt 2', 'succeeded'],
    ]);
  });
});
