import type * as z from 'zod';
import type { environmentListSchema, environmentStatusSchema } from '../contract/api.js';
import { plain, type Mark } from './colour.js';
import { dash, table } from './render.js';
import { humanTime, plural, printable } from './words.js';

/** `status` as a person reads it: the environments, or one environment's services and queues. */

export function renderEnvironmentList(list: z.output<typeof environmentListSchema>, mark: Mark = plain): string {
  if (list.environments.length === 0) return 'no environments you may read\n';
  return table(
    ['ENVIRONMENT', 'CLUSTER', 'STATE'],
    list.environments.map((env) => [env.name, env.cluster, mark(env.state)]),
  );
}

export function renderEnvironmentStatus(status: z.output<typeof environmentStatusSchema>, mark: Mark = plain): string {
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
    parts.push(
      `routine ${routine.task} every ${plural(routine.everyDays, 'day')}: last run ${routine.lastRunAt === null ? 'unknown' : humanTime(routine.lastRunAt)}, next due ${humanTime(routine.nextDueAt)}${failed}\n`,
    );
  }
  if (status.activeRelease) {
    const active = status.activeRelease;
    parts.push(
      `active release ${active.id} ${active.version} ${mark(active.state)}${active.currentStep ? ` — ${active.currentStep}` : ''}\n`,
    );
  }
  parts.push(
    '\n',
    table(
      ['SERVICE', 'STATUS', 'DESIRED', 'RUNNING', 'PENDING', 'TASK DEF', 'IMAGE', 'ROLLOUT'],
      status.services.map((service) => [
        service.key,
        mark(service.status),
        service.desiredCount === service.configuredDesiredCount
          ? dash(service.desiredCount)
          : `${dash(service.desiredCount)} (config ${service.configuredDesiredCount})`,
        dash(service.runningCount),
        dash(service.pendingCount),
        service.taskDefinition ? `${service.taskDefinition.family}:${service.taskDefinition.revision}` : '-',
        service.version ??
          (service.image ? (service.image.tag ?? service.image.digest?.slice(0, 19) ?? service.image.image) : '-'),
        mark(dash(service.rolloutState)),
      ]),
    ),
  );
  if (status.queues.length > 0) {
    parts.push(
      '\n',
      table(
        ['QUEUE', 'SERVICE', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'LAST DECISION', 'HOLD'],
        status.queues.map((queue) => [
          queue.key,
          queue.service,
          String(queue.visible),
          String(queue.inFlight),
          String(queue.delayed),
          queue.lastDecision
            ? `${plural(queue.lastDecision.desiredCount, 'task')} at ${humanTime(queue.lastDecision.at)}: ${printable(queue.lastDecision.reason)}`
            : '-',
          queue.hold
            ? `${plural(queue.hold.desiredCount, 'task')} until ${humanTime(queue.hold.until)}${queue.hold.by ? ` (${queue.hold.by})` : ''}`
            : '-',
        ]),
      ),
    );
  }
  return parts.join('');
}
