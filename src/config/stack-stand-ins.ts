import { environmentsOf, isObject, objectEntries } from './document.js';

/**
 * Offline, the names an environment leaves to its stack are unknown: well-formed stand-ins take
 * their place so that everything else in the document can still be validated (`config validate`).
 */

const STAND_IN = 'from-stack';
const STAND_IN_NETWORK = { subnets: ['subnet-00000000'], securityGroups: ['sg-00000000'] };

export function withStackStandIns(document: unknown): unknown {
  const copy = structuredClone(document);
  for (const [, env] of environmentsOf(copy)) {
    if (typeof env.stack !== 'string') continue;
    env.cluster ??= STAND_IN;
    const items = [
      ...objectEntries(env.services).map(([, service]) => ({ item: service, field: 'service' })),
      ...objectEntries(env.deploymentTasks).map(([, task]) => ({ item: task, field: 'taskDefinition' })),
      ...objectEntries(env.queues).map(([, queue]) => ({ item: queue, field: 'queue' })),
    ];
    for (const { item, field } of items) {
      delete item.stackResource;
      item[field] ??= STAND_IN;
    }
    for (const [, task] of objectEntries(env.deploymentTasks)) {
      task.network ??= {};
      if (isObject(task.network)) task.network = { ...STAND_IN_NETWORK, ...task.network };
    }
  }
  return copy;
}
