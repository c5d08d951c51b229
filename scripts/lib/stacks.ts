import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createCloudFormationAdapter } from '../../src/aws/cloudformation.js';
import { readConductorDocument } from '../../src/config/file.js';
import { parseConductorConfig } from '../../src/config/load.js';
import type { ConductorConfig } from '../../src/config/schema.js';
import type { ResolvedName } from '../../src/config/stack-context.js';
import { stackEnvironments } from '../../src/config/stack-names.js';
import type { StackResource } from '../../src/config/stack-rules.js';
import { resolveStackNamesWithAws } from '../../src/packaging/stack-names.js';
import type { SeededResource } from './seed.js';
import { EMULATOR_CREDENTIALS } from '../../src/local/emulator.js';
import { emulatorClients } from './emulator-clients.js';
import { PROJECT_ROOT } from './venv.js';

/**
 * Local mode's config: the file's, with the names its environments take from CloudFormation stacks
 * filled in from the emulator, where each stack is first created, unless it exists, from its
 * template in `stacks/<stack name>.yml` beside the config file (as 4dn-cloud-infra would have made it).
 */

const TEMPLATE_EXTENSIONS = ['.yml', '.yaml', '.json'];
/** moto creates a stack at once; the wait only guards a slower emulator. */
const CREATE_TIMEOUT_SECONDS = 60;

export interface LocalConfig {
  config: ConductorConfig;
  stacks: SeededResource[];
  names: ResolvedName[];
}

export async function localConfig(endpoint: string, configPath: string, region: string): Promise<LocalConfig> {
  const document = readConductorDocument(configPath);
  const { cloudformation, ecs } = emulatorClients(endpoint);
  const stacks: SeededResource[] = [];
  for (const stack of new Set(Object.values(stackEnvironments(document)))) {
    stacks.push(await ensureStack(cloudformation, ecs, stack, dirname(configPath)));
  }
  const settings = { endpoint, region, credentials: EMULATOR_CREDENTIALS };
  const { document: resolved, names } = await resolveStackNamesWithAws(document, settings);
  return { config: parseConductorConfig(resolved), stacks, names };
}

function templateOf(stack: string, configDir: string): string {
  const candidates = TEMPLATE_EXTENSIONS.map((extension) => join(configDir, 'stacks', `${stack}${extension}`));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return readFileSync(found, 'utf8');
  throw new Error(
    `the config names CloudFormation stack ${stack}, which the emulator does not have and ` +
      `${relative(PROJECT_ROOT, candidates[0] ?? '')} does not hold: put the stack's template there`,
  );
}

async function ensureStack(
  cloudformation: CloudFormationClient,
  ecs: ECSClient,
  stack: string,
  configDir: string,
): Promise<SeededResource> {
  const resource = { kind: 'CloudFormation stack', name: stack };
  const stacks = createCloudFormationAdapter(cloudformation);
  if (await stacks.readStack(stack)) return { ...resource, created: false };
  await cloudformation.send(
    new CreateStackCommand({
      StackName: stack,
      TemplateBody: templateOf(stack, configDir),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  await waitUntilStackCreateComplete(
    { client: cloudformation, maxWaitTime: CREATE_TIMEOUT_SECONDS, minDelay: 1, maxDelay: 2 },
    { StackName: stack },
  );
  await settleServiceCounts(ecs, (await stacks.readStack(stack))?.resources ?? []);
  return { ...resource, created: true };
}

/**
 * The emulator counts a new service's tasks as running by the thousand (MOTO_ECS_SERVICE_RUNNING,
 * see emulator.ts); setting each service's desired count again makes its counts the real ones.
 */
async function settleServiceCounts(ecs: ECSClient, resources: StackResource[]): Promise<void> {
  for (const { physicalId: arn } of resources.filter(({ type }) => type === 'AWS::ECS::Service')) {
    const cluster = arn.split('/').at(-2) ?? '';
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster, services: [arn] }));
    const desiredCount = services[0]?.desiredCount ?? 0;
    await ecs.send(new UpdateServiceCommand({ cluster, service: arn, desiredCount }));
  }
}

/** One line per name taken from a stack, saying where from. */
export function describeNames(names: ResolvedName[]): string[] {
  return names.map(({ path, value, from }) => `  from stack  ${path} = ${[value].flat().join(', ')}  (${from})`);
}
