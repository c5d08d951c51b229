import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/**
 * What local mode changes in a copy of a CloudFormation template before the emulator (moto) gets
 * it, because moto fails on what AWS accepts. The user's files are never edited; every change is
 * listed here, in one place, and reported by name when it applies.
 *
 * Also: a string ECS service DesiredCount as a number, and a memory size for each container of a
 * task definition (below).
 *
 * Resources moto skips without failing (CodeBuild projects, the Secrets Manager secrets of
 * 4dn-cloud-infra's appconfig and datastore stacks, CloudWatch alarms) need nothing here: the
 * conductor reads no secret or alarm, and the seed creates the build project the config names
 * (scripts/lib/seed.ts).
 */

type Template = { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> } & Record<
  string,
  unknown
>;

/**
 * Resource types moto cannot create from a template, with why. Each is left out, and every `Ref`
 * or `Fn::GetAtt` to it becomes the string `stand-in:<logical id>[.<attribute>]`.
 */
export const EMULATOR_OMITS: Record<string, string> = {
  'AWS::OpenSearchService::Domain': 'moto cannot give its DomainEndpoint to an output (500 in validate_outputs)',
  'AWS::RDS::DBParameterGroup': 'moto passes the group object, not its name, to the DB instance (500)',
  'AWS::RDS::DBInstance': 'needs the parameter group above',
  'AWS::KMS::Key': 'moto rejects a key with Tags',
};

/** Short-form intrinsic functions (`!Ref`, `!ImportValue`, ...) as the long forms moto understands. */
const INTRINSICS = [
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Sub',
  'GetAtt',
  'Ref',
];

function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const cfnTags = INTRINSICS.flatMap((name): (ScalarTag | CollectionTag)[] => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  {
    tag: `!${name}`,
    collection: 'seq',
    resolve: (seq) => longForm(name, seq.toJSON()),
  },
  {
    tag: `!${name}`,
    collection: 'map',
    resolve: (map) => longForm(name, map.toJSON()),
  },
]);

/** A template (YAML with short-form tags, or JSON) as plain JSON values. */
export function parseTemplate(text: string): Template {
  return parse(text, { customTags: cfnTags, maxAliasCount: -1 }) as Template;
}

export interface EmulatorTemplate {
  body: string;
  /** What was changed, one line each, for local mode's log. */
  changes: string[];
}

/** The template as the emulator can create it (JSON), and what was changed on the way. */
export function emulatorTemplate(text: string): EmulatorTemplate {
  const template = parseTemplate(text);
  const resources = template.Resources ?? {};
  const changes: string[] = [];
  const omitted = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const why = EMULATOR_OMITS[resource.Type ?? ''];
    if (!why) continue;
    omitted.add(logicalId);
    changes.push(`left out ${resource.Type ?? ''} ${logicalId} (${why})`);
    Reflect.deleteProperty(resources, logicalId);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::ECS::TaskDefinition') changes.push(...containerMemory(logicalId, resource.Properties));
    const count = resource.Properties?.DesiredCount;
    // 4dn-cloud-infra writes DesiredCount as a string, which AWS converts and moto subtracts from (500).
    if (resource.Type === 'AWS::ECS::Service' && typeof count === 'string' && resource.Properties) {
      resource.Properties.DesiredCount = Number(count);
      changes.push(`${logicalId}: DesiredCount '${count}' as the number ${count}`);
    }
  }
  return { body: JSON.stringify(standInReferences(template, omitted)), changes };
}

/**
 * moto places a task only if each container has a memory size (500 in RunTask otherwise); Fargate
 * needs only the task's. Containers without one get a share of the task's as MemoryReservation.
 */
function containerMemory(logicalId: string, properties: Record<string, unknown> | undefined): string[] {
  const containers = (properties?.ContainerDefinitions ?? []) as Record<string, unknown>[];
  const unsized = containers.filter(
    (container) => container.Memory === undefined && container.MemoryReservation === undefined,
  );
  const taskMemory = Number(properties?.Memory);
  if (unsized.length === 0 || !Number.isFinite(taskMemory)) return [];
  const share = Math.floor(taskMemory / containers.length);
  for (const container of unsized) container.MemoryReservation = share;
  return [
    `${logicalId}: MemoryReservation ${String(share)} on ${unsized.map((container) => String(container.Name)).join(', ')} (the task's Memory ${String(taskMemory)})`,
  ];
}

function standInReferences(node: unknown, omitted: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => standInReferences(item, omitted));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  const ref = object.Ref;
  if (typeof ref === 'string' && omitted.has(ref)) return `stand-in:${ref}`;
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && omitted.has(String(getAtt[0]))) return `stand-in:${getAtt.map(String).join('.')}`;
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, standInReferences(value, omitted)]));
}
