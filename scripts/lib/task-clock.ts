import { DescribeTasksCommand, ECSClient, ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { emulatorClients } from './emulator-clients.js';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * moto moves an ECS task on (RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED) only
 * when the task is read, one state per read and at most once per transition interval. Left alone,
 * a task nobody describes never stops. The clock reads every task in short intervals so that tasks
 * stop in real time, as on AWS, whoever looks at them and however rarely.
 */

/** Transitions from RUNNING to STOPPED in moto's ecs::task state model. */
export const TASK_STOP_STEPS = 4;
const DESCRIBE_BATCH = 100;

export interface TaskClock {
  stop: () => Promise<void>;
}

export function startTaskClock(endpoint: string, region: string, intervalMs = 500): TaskClock {
  const { ecs } = emulatorClients(endpoint);
  const stopping = new AbortController();
  const ticking = (async () => {
    while (!stopping.signal.aborted) {
      // A missed tick only delays the tasks until the next one.
      await readEveryTask(ecs).catch(() => undefined);
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await ticking;
      ecs.destroy();
    },
  };
}

/** Tasks that stopped by themselves keep desired status RUNNING in moto, so stopped ones are read too: harmless. */
async function readEveryTask(ecs: ECSClient): Promise<void> {
  const { clusterArns = [] } = await ecs.send(new ListClustersCommand({}));
  for (const cluster of clusterArns) {
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING' }));
    for (let start = 0; start < taskArns.length; start += DESCRIBE_BATCH) {
      await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(start, start + DESCRIBE_BATCH) }));
    }
  }
}
