import {
  adoptedRelease,
  conflictingEntrypoints,
  newestRunAt,
  runsImagesOf,
  type RunningImage,
} from '../domain/adopt.js';
import { recipeProblem } from '../domain/build-recipe.js';
import { imageOfContainer } from '../domain/ecs-state.js';
import { parseImageReference } from '../domain/image-reference.js';
import { nameOf } from '../domain/names.js';
import type { Release } from '../domain/release.js';
import { NotAdoptableError } from './errors.js';
import type { CurrentRelease, ReleasePorts } from './ports.js';
import { conflictWithHolder } from './start-rollout.js';
import { buildsImages, type NamedEnvironment, type Environment } from '../domain/environment.js';

export type AdoptPorts = Pick<
  ReleasePorts,
  'releases' | 'locks' | 'current' | 'services' | 'tasks' | 'images' | 'builds' | 'now'
>;

export interface Adoption {
  release: Release;
  /** False when what runs was recorded already (adopting again changes nothing). */
  recordedNow: boolean;
  current: CurrentRelease;
}

/** Long enough for the reads below; adopt holds the environment only while it records. */
const ADOPT_LEASE_SECONDS = 120;

/** The digest of a container's image: as written, or its tag resolved in the environment's repository. */
async function runningImage(
  ports: AdoptPorts,
  env: Environment,
  found: Omit<RunningImage, 'digest' | 'tag'>,
): Promise<RunningImage> {
  const reference = parseImageReference(found.image);
  if (reference.digest) return { ...found, digest: reference.digest, tag: reference.tag };
  const repository = await ports.images.repositoryUri(env.repository);
  // A rollback pins `<environment's repository>@<digest>`: an image from elsewhere could not be returned to.
  if (reference.repository !== repository || !reference.tag) {
    throw new NotAdoptableError(
      `${found.component} runs ${found.image}, not a tagged image of the environment's repository ${repository}`,
      found.component,
    );
  }
  const digest = await ports.images.imageDigest(env.repository, reference.tag);
  if (!digest) {
    throw new NotAdoptableError(`${found.component} runs ${found.image}, which ECR does not have`, found.component);
  }
  return { ...found, digest, tag: reference.tag };
}

async function containerImage(ports: AdoptPorts, component: string, taskDefinition: string, container: string) {
  const definition = await ports.tasks.describeTaskDefinition(taskDefinition);
  const image = imageOfContainer(definition, container);
  if (!image) {
    throw new NotAdoptableError(
      `${component}: task definition ${definition.arn} has no container "${container}"`,
      component,
    );
  }
  return { definition, image };
}

/** Each configured service's image and the routine deployment task's, as ECS runs them now. */
async function readRunning(ports: AdoptPorts, env: Environment): Promise<RunningImage[]> {
  const keys = Object.keys(env.services);
  const described = await ports.services.describeServices(
    env.cluster,
    keys.map((key) => nameOf(env.services[key]?.service ?? key)),
  );
  const running = await Promise.all(
    keys.map(async (key) => {
      const config = env.services[key];
      const component = `services.${key}`;
      const state = described.services.find((service) => service.name === nameOf(config?.service ?? key));
      if (!config || !state)
        throw new NotAdoptableError(`${component}: no such service in cluster ${env.cluster}`, component);
      const { definition, image } = await containerImage(ports, component, state.taskDefinitionArn, config.container);
      const entrypoint = config.entrypoint ?? key;
      return runningImage(ports, env, { component, entrypoint, taskDefinitionArn: definition.arn, image });
    }),
  );
  const taskKey = env.rollout.deploymentTask;
  const task = taskKey === undefined ? undefined : env.deploymentTasks[taskKey];
  if (taskKey === undefined || !task) return running;
  const component = `deploymentTasks.${taskKey}`;
  const { definition, image } = await containerImage(ports, component, task.taskDefinition, task.container);
  const found = { component, entrypoint: task.entrypoint, taskDefinitionArn: definition.arn, image };
  return [...running, await runningImage(ports, env, found)];
}

/** When the routine task last ran, as far as ECS still shows it. */
async function lastDeploymentRun(ports: AdoptPorts, env: Environment): Promise<string | undefined> {
  const task = env.rollout.deploymentTask === undefined ? undefined : env.deploymentTasks[env.rollout.deploymentTask];
  if (!task) return undefined;
  const { family } = await ports.tasks.describeTaskDefinition(task.taskDefinition);
  return newestRunAt(await ports.tasks.tasksOfFamily(env.cluster, family));
}

/** An environment whose releases would be built by a project that does not apply docker/ is not adopted. */
async function checkBuildProject(ports: AdoptPorts, env: Environment): Promise<void> {
  if (!buildsImages(env) || env.codebuild.managed) return;
  const problem = recipeProblem(await ports.builds.describeProject(env.codebuild.project), env.codebuild.project);
  if (problem) throw new NotAdoptableError(problem, 'codebuild.project');
}

async function record(ports: AdoptPorts, { name, env }: NamedEnvironment, triggeredBy: string): Promise<Adoption> {
  await checkBuildProject(ports, env);
  const running = await readRunning(ports, env);
  const conflicts = conflictingEntrypoints(running);
  if (conflicts.length > 0) {
    throw new NotAdoptableError(`components of entrypoint ${conflicts.join(', ')} run different images`, 'services');
  }
  const current = await ports.current.current(name);
  const currentRelease = current && (await ports.releases.get(current.releaseId))?.release;
  // What runs is the release the environment runs already: nothing to record.
  if (current && currentRelease && runsImagesOf(currentRelease, running)) {
    return { release: currentRelease, recordedNow: false, current };
  }
  const baseline = adoptedRelease(name, running, triggeredBy, ports.now());
  const created = await ports.releases.create(baseline);
  const release = created ? baseline : ((await ports.releases.get(baseline.id))?.release ?? baseline);
  const at = ports.now().toISOString();
  const adopted = {
    releaseId: release.id,
    since: at,
    // ECS shows no run: unknown, so due (a rotation must not slip a whole interval past the adoption).
    deploymentTaskRunAt: (await lastDeploymentRun(ports, env)) ?? null,
  };
  await ports.current.setCurrent(name, adopted);
  return { release, recordedNow: true, current: adopted };
}

/**
 * Records what an environment runs now as its baseline release and makes it the current one,
 * changing nothing in ECS. It holds the environment's lock while it records, so it is refused
 * (RolloutConflictError) while a rollout is active; adopting again records nothing new.
 */
export async function adoptEnvironment(
  ports: AdoptPorts,
  target: NamedEnvironment,
  request: { triggeredBy: string; requestId: string },
): Promise<Adoption> {
  const owner = `adopt@${request.requestId}`;
  if (!(await ports.locks.lock(target.name, owner, ADOPT_LEASE_SECONDS, ports.now())))
    throw await conflictWithHolder(ports, target.name);
  try {
    return await record(ports, target, request.triggeredBy);
  } finally {
    await ports.locks.unlock(target.name, owner);
  }
}
