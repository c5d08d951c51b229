import { describe, expect, it } from 'vitest';
import { buildFails, describeSwitch, seededSwitches, taskExitCode } from '../../../src/local/switches.js';

describe('failure switches', () => {
  const switches = [
    ...seededSwitches(/^badc0de/, /^9\./),
    { target: 'build' as const, version: '1.4.0' },
    { target: 'task' as const, version: '9.1.0', exitCode: 3 },
  ];

  it('fails the builds of a switched version or of one the seeded pattern matches, and no other', () => {
    expect(buildFails(switches, '1.4.0')).toBe(true);
    expect(buildFails(switches, 'badc0de1')).toBe(true);
    expect(buildFails(switches, '1.4.1')).toBe(false);
    // A task switch is not a build switch.
    expect(buildFails(switches, '9.1.0')).toBe(false);
  });

  it('gives a task the exit code of its own version’s switch before a pattern’s (1)', () => {
    expect(taskExitCode(switches, '9.1.0')).toBe(3);
    expect(taskExitCode(switches, '9.2.0')).toBe(1);
    expect(taskExitCode(switches, '1.4.0')).toBeUndefined();
  });

  it('says what each does', () => {
    expect(switches.map(describeSwitch)).toEqual([
      'builds of versions matching /^badc0de/ fail',
      'deployment tasks of versions matching /^9\\./ exit 1',
      'builds of 1.4.0 fail',
      'deployment tasks of 9.1.0 exit 3',
    ]);
  });
});
