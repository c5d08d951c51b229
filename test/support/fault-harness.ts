import { emulatorEndpoint } from './aws-env.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import type { ReleaseRepository } from '../../src/use-cases/ports.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { lambdaContext } from './lambda-context.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;
export type HandlerName = 'onImagePush' | 'onBuildStateChange' | 'onTaskStateChange' | 'reconcile';

/** The conductor's event handlers wired to the emulator through the fault proxy (no faults until configured). */
export interface FaultHarness {
  proxy: FaultProxy;
  invoke: (name: HandlerName, event: unknown) => Promise<unknown>;
  /** The release store over a client that talks to the emulator directly: the test's reads never fault. */
  releases: ReleaseRepository;
  close: () => Promise<void>;
}

const TABLE = 'ecs-conductor-test-state';
let invocations = 0;

export async function startFaultHarness(seed: number): Promise<FaultHarness> {
  await seedEmulator(emulatorEndpoint, readConductorConfigFile('conductor.yml'), { stage: 'test' });
  const proxy = await startFaultProxy(emulatorEndpoint, {
    failureRate: 0,
    throttleShare: 1 / 3,
    latencyRate: 0,
    maxLatencyMs: 0,
    seed,
  });
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  process.env.CONDUCTOR_TABLE = TABLE;
  // Imported only now (src/aws included), so that the handlers' module-scope clients see the proxy.
  const handlers: Record<HandlerName, Handler> = {
    onImagePush: (await import('../../src/handlers/on-image-push.js')).handler,
    onBuildStateChange: (await import('../../src/handlers/on-build-state-change.js')).handler,
    onTaskStateChange: (await import('../../src/handlers/on-task-state-change.js')).handler,
    reconcile: (await import('../../src/handlers/reconcile.js')).handler,
  };
  const { createStateTable } = await import('../../src/aws/state-table.js');
  const { createReleaseRepository } = await import('../../src/aws/release-repository.js');
  const direct = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulatorEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    proxy,
    invoke: (name, event) =>
      handlers[name](
        event,
        lambdaContext(`ecs-conductor-test-${name}`, `${name}-${String((invocations += 1))}-${String(Date.now())}`),
      ),
    releases: createReleaseRepository(createStateTable(TABLE, direct)),
    close: async () => {
      process.env.AWS_ENDPOINT_URL = emulatorEndpoint;
      direct.destroy();
      await proxy.close();
    },
  };
}
