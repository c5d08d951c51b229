import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { createCloudFormationAdapter } from '../../src/aws/cloudformation.js';
import { readConductorDocument } from '../../src/config/file.js';
import { parseConductorConfig } from '../../src/config/load.js';
import type { ConductorConfig } from '../../src/config/schema.js';
import type { ResolvedName } from '../../src/config/stack-context.js';
import { stackEnvironments } from '../../src/config/stack-names.js';
import { LINKED_STACK_PARAMETER, type StackResource } from '../../src/config/stack-rules.js';
import { resolveStackNamesWithAws } from '../../src/packaging/stack-names.js';
import { emulatorTemplate, parseTemplate } from './emulator-templates.js';
import type { SeededResource } from './seed.js';
import { EMULATOR_CREDENTIALS } from '../../src/local/emulator.js';
import { emulatorClients } from './emulator-clients.js';
import { PROJECT_ROOT } from './venv.js';

/**
 * Local mode's config: the file's, with the names its environments take from CloudFormation stacks
 * filled in from the emulator. Every template in `stacks/` beside the config file is first created,
 * unless it exists, as the stack its file names (`stacks/<stack name>.yml`, as 4dn-cloud-infra
 * writes them), stacks named by another's `*StackNameParameter` first, with those parameters set
 * as 4dn-cloud-infra's CLI sets them. What the emulator cannot create is stood in for
 * (emulator-templates.ts).
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
  const named = [...new Set(Object.values(stackEnvironments(document)))];
  const stacks = await ensureStacksBeside(configPath, named, cloudformation, ecs);
  const settings = { endpoint, region, credentials: EMULATOR_CREDENTIALS };
  const { document: resolved, names } = await resolveStackNamesWithAws(document, settings);
  return { config: parseConductorConfig(resolved), stacks, names };
}

/**
 * Creates every template in `stacks/` beside the config file that the emulator does not have yet;
 * fails naming a stack of `named` that is neither there nor in the emulator.
 */
export async function ensureStacksBeside(
  configPath: string,
  named: string[],
  cloudformation: CloudFormationClient,
  ecs: ECSClient,
): Promise<SeededResource[]> {
  const templates = templatesBeside(configPath);
  const stacks: SeededResource[] = [];
  for (const stack of named.filter((name) => !templates.has(name))) {
    stacks.push(await existingStack(cloudformation, stack, configPath));
  }
  for (const stack of creationOrder(templates)) stacks.push(await ensureStack(cloudformation, ecs, stack, templates));
  return stacks;
}

interface StackTemplate {
  text: string;
  /** Its `*StackNameParameter` parameters and the stacks they name. */
  linked: Record<string, string>;
}

/** Every template in `stacks/` beside the config file, by stack name (its file name). */
function templatesBeside(configPath: string): Map<string, StackTemplate> {
  const dir = join(dirname(configPath), 'stacks');
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => TEMPLATE_EXTENSIONS.includes(extname(file))) : [];
  const names = files.map((file) => basename(file, extname(file)));
  const templates = new Map<string, StackTemplate>();
  for (const [index, file] of files.entries()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const parameters = Object.keys(parseTemplate(text).Parameters ?? {});
    const linked = Object.fromEntries(
      parameters
        .filter((parameter) => LINKED_STACK_PARAMETER.test(parameter))
        .map((parameter) => [parameter, linkedStack(parameter, names, file)]),
    );
    templates.set(names[index] ?? file, { text, linked });
  }
  return templates;
}

/**
 * The stack a `<Word>StackNameParameter` names, as 4dn-cloud-infra's CLI passes it: its own
 * `c4-<word>-...` stack (`NetworkStackNameParameter` = `c4-network-main-stack`).
 */
function linkedStack(parameter: string, names: string[], file: string): string {
  const word = parameter.replace(LINKED_STACK_PARAMETER, '').toLowerCase();
  const candidates = names.filter((name) => name.toLowerCase().startsWith(`c4-${word}-`));
  const [only] = candidates;
  if (only && candidates.length === 1) return only;
  throw new Error(
    `stacks/${file} takes ${parameter}: stacks/ must hold exactly one template named c4-${word}-... (it holds ${candidates.length === 0 ? 'none' : candidates.join(', ')})`,
  );
}

/** Stacks before those whose parameters name them (exports before imports). */
function creationOrder(templates: Map<string, StackTemplate>): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`stacks/ name each other in a cycle: ${[...path, name].join(' -> ')}`);
    for (const linked of Object.values(templates.get(name)?.linked ?? {})) visit(linked, [...path, name]);
    order.push(name);
  };
  for (const name of [...templates.keys()].sort()) visit(name, []);
  return order;
}

async function existingStack(
  cloudformation: CloudFormationClient,
  stack: string,
  configPath: string,
): Promise<SeededResource> {
  if (await createCloudFormationAdapter(cloudformation).readStack(stack)) {
    return { kind: 'CloudFormation stack', name: stack, created: false };
  }
  const expected = join(dirname(configPath), 'stacks', `${stack}.yml`);
  throw new Error(
    `the config names CloudFormation stack ${stack}, which the emulator does not have and ` +
      `${relative(PROJECT_ROOT, expected)} does not hold: put the stack's template there`,
  );
}

async function ensureStack(
  cloudformation: CloudFormationClient,
  ecs: ECSClient,
  stack: string,
  templates: Map<string, StackTemplate>,
): Promise<SeededResource> {
  const resource = { kind: 'CloudFormation stack', name: stack };
  const stacks = createCloudFormationAdapter(cloudformation);
  if (await stacks.readStack(stack)) return { ...resource, created: false };
  const template = templates.get(stack);
  if (!template) throw new Error(`no template for stack ${stack}`);
  const { body, changes } = emulatorTemplate(template.text);
  await cloudformation.send(
    new CreateStackCommand({
      StackName: stack,
      TemplateBody: body,
      Parameters: Object.entries(template.linked).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  await waitUntilStackCreateComplete(
    { client: cloudformation, maxWaitTime: CREATE_TIMEOUT_SECONDS, minDelay: 1, maxDelay: 2 },
    { StackName: stack },
  );
  await settleServiceCounts(ecs, (await stacks.readStack(stack))?.resources ?? []);
  return { ...resource, created: true, ...(changes.length > 0 ? { standIns: changes } : {}) };
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
