/**
 * Local mode's failure switches: which emulated builds fail and which deployment tasks exit non-zero.
 * A switch names one version exactly, or (seeded at startup from EMULATOR_FAIL_VERSIONS and
 * EMULATOR_FAIL_TASK_VERSIONS) every version a regex matches.
 */

export type SwitchTarget = 'build' | 'task';

export interface FailureSwitch {
  target: SwitchTarget;
  /** One version, exactly. */
  version?: string;
  /** A regex over versions (from an EMULATOR_FAIL_* variable). */
  pattern?: string;
  /** For a task: the exit code its essential container reports. */
  exitCode?: number;
}

export const DEFAULT_TASK_EXIT_CODE = 1;

function applies(entry: FailureSwitch, target: SwitchTarget, version: string): boolean {
  if (entry.target !== target) return false;
  if (entry.version !== undefined) return entry.version === version;
  try {
    return entry.pattern !== undefined && new RegExp(entry.pattern).test(version);
  } catch {
    return false;
  }
}

/** Whether emulated builds of `version` fail. */
export function buildFails(switches: readonly FailureSwitch[], version: string): boolean {
  return switches.some((entry) => applies(entry, 'build', version));
}

/** The exit code a deployment task of `version` reports, when switched; an exact version wins over a pattern. */
export function taskExitCode(switches: readonly FailureSwitch[], version: string): number | undefined {
  const matching = switches.filter((entry) => applies(entry, 'task', version));
  const chosen = matching.find((entry) => entry.version !== undefined) ?? matching[0];
  return chosen ? (chosen.exitCode ?? DEFAULT_TASK_EXIT_CODE) : undefined;
}

/** `builds of 1.4.0 fail`, `deployment tasks of versions matching /^bad/ exit 3`. */
export function describeSwitch(entry: FailureSwitch): string {
  const versions = entry.version !== undefined ? entry.version : `versions matching /${entry.pattern ?? ''}/`;
  return entry.target === 'build'
    ? `builds of ${versions} fail`
    : `deployment tasks of ${versions} exit ${String(entry.exitCode ?? DEFAULT_TASK_EXIT_CODE)}`;
}

/** The switches the EMULATOR_FAIL_* variables (or startLocalMode's options) seed at startup. */
export function seededSwitches(builds: RegExp | undefined, tasks: RegExp | undefined): FailureSwitch[] {
  return [
    ...(builds ? [{ target: 'build' as const, pattern: builds.source }] : []),
    ...(tasks ? [{ target: 'task' as const, pattern: tasks.source, exitCode: DEFAULT_TASK_EXIT_CODE }] : []),
  ];
}
