import type { Environment } from '../domain/environment.js';

/** The rules run before the schema names the build project (schema.ts, withBuildProject): they see it as written. */
type WrittenEnvironment = Omit<Environment, 'codebuild'> & { codebuild: { project?: string | undefined } };

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Cross-field rules of one environment: the checks a schema of single fields cannot express.
 * Returns every problem found, each with its path relative to the environment.
 */
export function environmentProblems(env: WrittenEnvironment): ConfigProblem[] {
  return RULES.flatMap((rule) => {
    // The rules also run on an environment with field problems, so that every problem is listed at
    // once: a rule that cannot read its malformed fields is skipped, their own problems being reported.
    try {
      return rule(env);
    } catch {
      return [];
    }
  });
}

/** A single-image environment builds nothing: settings that only builds use would silently do nothing. */
function singleImageProblems(env: WrittenEnvironment): ConfigProblem[] {
  if (env.image.shape !== 'single-image') return [];
  const unused = (path: string[], what: string): ConfigProblem => ({
    path,
    message: `a single-image environment builds nothing, so ${what}: remove it or use image.shape "per-entrypoint"`,
  });
  return [
    ...(env.codebuild.project === undefined ? [] : [unused(['codebuild', 'project'], 'it runs no CodeBuild project')]),
    ...(env.imageAliasPrefix === undefined ? [] : [unused(['imageAliasPrefix'], 'no alias tags are pushed')]),
    ...(env.image.configureCommand === undefined
      ? []
      : [unused(['image', 'configureCommand'], "docker/'s entrypoints, which run it, are not used")]),
  ];
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function entrypointProblems(env: WrittenEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const name of duplicates(env.entrypoints.map((e) => e.name))) {
    problems.push({ path: ['entrypoints'], message: `entrypoint "${name}" is listed more than once` });
  }
  for (const suffix of duplicates(env.entrypoints.map((e) => e.tagSuffix))) {
    problems.push({ path: ['entrypoints'], message: `tag suffix "${suffix}" is used by more than one entrypoint` });
  }
  // Single-image: nothing pushes derived tags, so a suffix cannot start a loop (and is not used).
  const builds = env.image.shape === 'per-entrypoint';
  const sourceTag = builds && compiles(env.sourceTagPattern) ? new RegExp(env.sourceTagPattern) : undefined;
  env.entrypoints.forEach((entrypoint, index) => {
    if (!sourceTag) return;
    // A derived tag that also matches the source pattern would start a build loop.
    const derived = `1.0.0${entrypoint.tagSuffix}`;
    if (sourceTag.test(derived)) {
      problems.push({
        path: ['entrypoints', index, 'tagSuffix'],
        message: `derived tag "${derived}" matches sourceTagPattern, so a build's own push would start another build`,
      });
    }
  });
  return problems;
}

function placementProblems(
  target: { launchType?: string | undefined; capacityProviderStrategy?: unknown },
  path: (string | number)[],
): ConfigProblem[] {
  // ECS rejects a request that sets both (CGAP's stack hit exactly this).
  return target.launchType && target.capacityProviderStrategy
    ? [{ path: [...path, 'capacityProviderStrategy'], message: 'must not be set together with launchType' }]
    : [];
}

function serviceProblems(env: WrittenEnvironment): ConfigProblem[] {
  const entrypoints = new Set(env.entrypoints.map((e) => e.name));
  return Object.entries(env.services).flatMap(([key, service]) => {
    const problems = placementProblems(service, ['services', key]);
    const entrypoint = service.entrypoint ?? key;
    // With no entrypoints at all, that one problem is already reported.
    if (entrypoints.size > 0 && !entrypoints.has(entrypoint)) {
      problems.push({
        path: ['services', key, 'entrypoint'],
        message: `unknown entrypoint "${entrypoint}" (known: ${[...entrypoints].join(', ')})`,
      });
    }
    return problems;
  });
}

function deploymentTaskProblems(env: WrittenEnvironment): ConfigProblem[] {
  const entrypoints = new Set(env.entrypoints.map((e) => e.name));
  return Object.entries(env.deploymentTasks).flatMap(([key, task]) => {
    const problems = placementProblems(task, ['deploymentTasks', key]);
    if (entrypoints.size > 0 && !entrypoints.has(task.entrypoint)) {
      problems.push({
        path: ['deploymentTasks', key, 'entrypoint'],
        message: `unknown entrypoint "${task.entrypoint}"`,
      });
    }
    return problems;
  });
}

function queueProblems(env: WrittenEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const servicesWithQueues = new Map<string, string>();
  for (const [key, queue] of Object.entries(env.queues)) {
    if (queue.maxTasks < queue.minTasks) {
      problems.push({ path: ['queues', key, 'maxTasks'], message: 'must be >= minTasks' });
    }
    if (!(queue.service in env.services)) {
      problems.push({ path: ['queues', key, 'service'], message: `unknown service "${queue.service}"` });
    }
    const other = servicesWithQueues.get(queue.service);
    if (other) {
      problems.push({
        path: ['queues', key, 'service'],
        message: `service "${queue.service}" is already scaled by queue "${other}"; one autoscaler per service`,
      });
    }
    servicesWithQueues.set(queue.service, key);
  }
  return problems;
}

function rolloutProblems(env: WrittenEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { rollout } = env;
  (rollout.services ?? []).forEach((service, index) => {
    if (!(service in env.services)) {
      problems.push({ path: ['rollout', 'services', index], message: `unknown service "${service}"` });
    }
  });
  for (const service of duplicates(rollout.services ?? [])) {
    problems.push({ path: ['rollout', 'services'], message: `service "${service}" is listed more than once` });
  }
  if (rollout.deploymentTask !== undefined) {
    const task = env.deploymentTasks[rollout.deploymentTask];
    if (!task) {
      problems.push({
        path: ['rollout', 'deploymentTask'],
        message: `unknown deployment task "${rollout.deploymentTask}"`,
      });
    } else if (task.destructive) {
      problems.push({
        path: ['rollout', 'deploymentTask'],
        message: 'must not be a destructive task: destructive tasks run only from the API with confirmation',
      });
    }
  }
  if (rollout.rerunDeploymentEveryDays !== undefined && rollout.deploymentTask === undefined) {
    problems.push({ path: ['rollout', 'rerunDeploymentEveryDays'], message: 'needs rollout.deploymentTask' });
  }
  return problems;
}

/** A bake watches the alarms: one without any would wait for nothing. */
function bakeProblems(env: WrittenEnvironment): ConfigProblem[] {
  if (env.gates?.bakeMinutes === undefined || (env.gates.alarms?.length ?? 0) > 0) return [];
  return [{ path: ['gates', 'bakeMinutes'], message: 'a bake watches gates.alarms: name at least one alarm' }];
}

/**
 * Approval before production traffic is an ECS PAUSE hook: only a native (blue/green, linear, canary)
 * deployment has one, so at least one service the rollout rolls must have a strategy.
 */
function approvalPointProblems(env: WrittenEnvironment): ConfigProblem[] {
  if (env.gates?.approval?.at !== 'before-production-traffic') return [];
  const rolled = env.rollout.services ?? Object.keys(env.services);
  if (rolled.some((key) => env.services[key]?.strategy !== undefined)) return [];
  return [
    {
      path: ['gates', 'approval', 'at'],
      message:
        'before-production-traffic pauses an ECS-native deployment, but no service this environment rolls has a strategy: set services.<key>.strategy (BLUE_GREEN, LINEAR or CANARY) or use at: before-rollout',
    },
  ];
}

const RULES = [
  approvalPointProblems,
  entrypointProblems,
  serviceProblems,
  deploymentTaskProblems,
  queueProblems,
  rolloutProblems,
  singleImageProblems,
  bakeProblems,
];
