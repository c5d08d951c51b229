import type * as z from 'zod';
import type { environmentListSchema, environmentStatusSchema } from '../contract/api.js';
import { plain, type Mark } from './colour.js';
import { dash, OUTPUT_WIDTH, shorten, table, wrap } from './render.js';
import { humanTime, plural, printable } from './words.js';

/** `status` as a person reads it: the environments, or one environment's services and queues. */

export function renderEnvironmentList(list: z.output<typeof environmentListSchema>, mark: Mark = plain): string {
  if (list.environments.length === 0) return 'no environments you may read\n';
  return table(
    ['ENVIRONMENT', 'CLUSTER', 'STATE'],
    list.environments.map((env) => [env.name, env.cluster, mark(env.state)]),
  );
}

/** A digest as people compare them: its algorithm and first twelve hex digits, as `docker images` shows it. */
const shortDigest = (digest: string) => digest.slice(0, digest.indexOf(':') + 13);

/** What a service runs, in one short cell: the release's version, else the image's tag or short digest. */
function imageCell(service: z.output<typeof environmentStatusSchema>['services'][number]): string {
  if (service.version) return service.version;
  if (!service.image) return '-';
  return shorten(
    service.image.tag ?? (service.image.digest ? shortDigest(service.image.digest) : service.image.image),
    24,
  );
}

/** `running/desired`, what is pending, and the config's count when ECS's differs from it. */
function tasksCell(service: z.output<typeof environmentStatusSchema>['services'][number]): string {
  const pending = service.pendingCount ? ` +${String(service.pendingCount)} pending` : '';
  const config =
    service.desiredCount === service.configuredDesiredCount ? '' : ` (config ${service.configuredDesiredCount})`;
  return `${dash(service.runningCount)}/${dash(service.desiredCount)}${pending}${config}`;
}

export function renderEnvironmentStatus(status: z.output<typeof environmentStatusSchema>, mark: Mark = plain): string {
  const body = renderStatusLines(status, mark);
  // Prose lines wrap at the output width; the tables fit it themselves.
  return body
    .split('\n')
    .map((line) => (line.length > OUTPUT_WIDTH ? wrap(line) : line))
    .join('\n');
}

function renderStatusLines(status: z.output<typeof environmentStatusSchema>, mark: Mark): string {
  const parts = [`${status.name} (cluster ${status.cluster}): ${mark(status.state)}\n`];
  parts.push(`health ${mark(status.health)}: ${printable(status.healthReason)}\n`);
  if (status.running) parts.push(`running ${status.running.version} (${status.running.releaseId})\n`);
  if (status.deploymentGate?.blind) parts.push(`${status.deploymentGate.reason ?? 'gate blind'}\n`);
  if (status.rollbackTo)
    parts.push(
      `rollback would return every service to ${status.rollbackTo.version} (${status.rollbackTo.releaseId})\n`,
    );
  if (status.nextStep) parts.push(`next: ${status.nextStep}\n`);
  const routine = status.routineRedeploy;
  if (routine) {
    const failed = routine.lastFailure
      ? ` — ${plural(routine.failuresInARow, 'failure')} in a row, last at ${humanTime(routine.lastFailure.at)}: ${printable(routine.lastFailure.reason)}`
      : '';
    const runs =
      routine.lastRunAt === null && !routine.lastFailure
        ? `no run seen in ECS, due ${humanTime(routine.nextDueAt)}`
        : `last run ${routine.lastRunAt === null ? 'never seen' : humanTime(routine.lastRunAt)}, next due ${humanTime(routine.nextDueAt)}`;
    parts.push(`routine ${routine.task} every ${plural(routine.everyDays, 'day')}: ${runs}${failed}\n`);
  }
  if (status.activeRelease) {
    const active = status.activeRelease;
    parts.push(
      `active release ${active.id} ${active.version} ${mark(active.state)}${active.currentStep ? ` — ${active.currentStep}` : ''}\n`,
    );
  }
  const latest = status.latestRelease;
  if (latest?.failure && latest.id !== status.activeRelease?.id)
    parts.push(`last release ${latest.version} ${mark(latest.state)}: ${printable(latest.failure)}\n`);
  parts.push(
    '\n',
    table(
      ['SERVICE', 'STATUS', 'TASKS', 'TASK DEF', 'IMAGE', 'ROLLOUT'],
      status.services.map((service) => [
        service.key,
        mark(service.status),
        tasksCell(service),
        service.taskDefinition ? `${service.taskDefinition.family}:${service.taskDefinition.revision}` : '-',
        imageCell(service),
        mark(dash(service.rolloutState)),
      ]),
      { width: OUTPUT_WIDTH, shrinkable: [3, 4] },
    ),
  );
  if (status.queues.length > 0) {
    parts.push(
      '\n',
      table(
        ['QUEUE', 'SERVICE', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'TASKS'],
        status.queues.map((queue) => [
          queue.key,
          queue.service,
          String(queue.visible),
          String(queue.inFlight),
          String(queue.delayed),
          `${String(queue.minTasks)}-${String(queue.maxTasks)}`,
        ]),
        { width: OUTPUT_WIDTH, shrinkable: [0, 1] },
      ),
    );
    // Decisions and holds under the table, a line each: their reasons are prose, wrapped, not a column.
    for (const queue of status.queues) {
      if (queue.lastDecision) {
        const { desiredCount, at, reason } = queue.lastDecision;
        parts.push(
          `${wrap(`${queue.key}: ${plural(desiredCount, 'task')} at ${humanTime(at)}: ${printable(reason)}`)}\n`,
        );
      }
      if (queue.hold) {
        const { desiredCount, until, by } = queue.hold;
        parts.push(
          `${wrap(`${queue.key}: held at ${plural(desiredCount, 'task')} until ${humanTime(until)}${by ? ` (${printable(by)})` : ''}`)}\n`,
        );
      }
    }
  }
  return parts.join('');
}
