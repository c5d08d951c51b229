import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { ConductorConfig } from '../../src/config/schema.js';

/**
 * The emulator's network: one VPC holding the subnets and security groups that the config's
 * deployment tasks name. moto cannot create them with chosen ids, but its ids come from an RNG
 * that its API can seed, so the same requests after the same seed yield the same ids on every
 * fresh moto server. conductor.yml holds those ids. Changing MOTO_RNG_SEED, or the number or
 * order of the requests made after it, changes the ids: the mismatch error then tells which
 * ids to put in conductor.yml.
 */

const VPC_NAME = 'ecs-conductor-local';
const VPC_CIDR = '10.42.0.0/16';
const MOTO_RNG_SEED = 20_240_601;
/** Marks each created subnet and security group with the config id it stands for. */
const CONFIG_ID_TAG = 'ecs-conductor:config-id';

export interface NetworkIds {
  subnets: string[];
  securityGroups: string[];
}

export interface IdMapping {
  configId: string;
  createdId: string | undefined;
}

export interface SeededNetwork {
  vpcId: string;
  created: boolean;
  subnets: IdMapping[];
  securityGroups: IdMapping[];
}

export class NetworkIdMismatchError extends Error {
  constructor(readonly mapping: IdMapping[]) {
    const lines = mapping.map(
      ({ configId, createdId }) => `${configId} → ${createdId ?? '(not created: restart the emulator)'}`,
    );
    super(
      'the emulator cannot create subnets and security groups with the ids the config names; ' +
        'replace them in the config (conductor.yml) with the ids it created:\n  ' +
        lines.join('\n  '),
    );
    this.name = 'NetworkIdMismatchError';
  }
}

/**
 * Subnet and security-group ids of every deployment task, each once, in order of first appearance;
 * not those of environments whose names came from a CloudFormation stack, which made their network.
 */
export function networkIdsOf(config: ConductorConfig): NetworkIds {
  const fromConfig = Object.values(config.environments).filter((env) => env.stack === undefined);
  const networks = fromConfig.flatMap((env) => Object.values(env.deploymentTasks).map((task) => task.network));
  return {
    subnets: [...new Set(networks.flatMap((network) => network.subnets))],
    securityGroups: [...new Set(networks.flatMap((network) => network.securityGroups))],
  };
}

/**
 * Creates the network unless an earlier run did, then checks that its ids are those the config
 * names (throws NetworkIdMismatchError otherwise).
 */
export async function seedNetwork(
  ec2: EC2Client,
  endpoint: string,
  region: string,
  wanted: NetworkIds,
): Promise<SeededNetwork> {
  const existingVpcId = await findSeededVpc(ec2);
  const vpcId = existingVpcId ?? (await createNetwork(ec2, endpoint, region, wanted));
  const network = {
    vpcId,
    created: existingVpcId === undefined,
    subnets: mapIds(wanted.subnets, await taggedSubnets(ec2, vpcId)),
    securityGroups: mapIds(wanted.securityGroups, await taggedSecurityGroups(ec2, vpcId)),
  };
  const mapping = [...network.subnets, ...network.securityGroups];
  if (mapping.some(({ configId, createdId }) => configId !== createdId)) throw new NetworkIdMismatchError(mapping);
  return network;
}

async function findSeededVpc(ec2: EC2Client): Promise<string | undefined> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [VPC_NAME] }] }));
  return Vpcs?.[0]?.VpcId;
}

async function createNetwork(ec2: EC2Client, endpoint: string, region: string, wanted: NetworkIds): Promise<string> {
  await seedMotoRng(ec2, endpoint);
  const vpcId = await createVpc(ec2);
  // One request at a time: the ids depend on the order in which moto draws them.
  for (const [index, configId] of wanted.subnets.entries()) await createSubnet(ec2, vpcId, region, index, configId);
  for (const configId of wanted.securityGroups) await createSecurityGroup(ec2, vpcId, configId);
  return vpcId;
}

/**
 * moto creates its default VPC (drawing random ids) on the first EC2 requests of a region, so
 * those requests go first; seeding its RNG afterwards makes the following ids reproducible.
 */
async function seedMotoRng(ec2: EC2Client, endpoint: string): Promise<void> {
  await ec2.send(new DescribeVpcsCommand({}));
  await ec2.send(new DescribeSecurityGroupsCommand({}));
  const response = await fetch(`${endpoint}/moto-api/seed?a=${MOTO_RNG_SEED}`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto refused to seed its random ids: ${response.status}`);
}

function tags(name: string, configId?: string): Tag[] {
  return [{ Key: 'Name', Value: name }, ...(configId ? [{ Key: CONFIG_ID_TAG, Value: configId }] : [])];
}

async function createVpc(ec2: EC2Client): Promise<string> {
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: VPC_CIDR, TagSpecifications: [{ ResourceType: 'vpc', Tags: tags(VPC_NAME) }] }),
  );
  if (!Vpc?.VpcId) throw new Error('CreateVpc returned no VPC id');
  // moto's RunTask fails (HTTP 500) for awsvpc tasks in a VPC without DNS hostnames.
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: Vpc.VpcId, EnableDnsHostnames: { Value: true } }));
  return Vpc.VpcId;
}

async function createSubnet(
  ec2: EC2Client,
  vpcId: string,
  region: string,
  index: number,
  configId: string,
): Promise<void> {
  await ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: `10.42.${index}.0/24`,
      // Spread over three zones as private subnets usually are; moto would put all in one.
      AvailabilityZone: `${region}${'abc'.charAt(index % 3)}`,
      TagSpecifications: [{ ResourceType: 'subnet', Tags: tags(`${VPC_NAME}-${index}`, configId) }],
    }),
  );
}

async function createSecurityGroup(ec2: EC2Client, vpcId: string, configId: string): Promise<void> {
  await ec2.send(
    new CreateSecurityGroupCommand({
      VpcId: vpcId,
      // AWS forbids group names starting with "sg-".
      GroupName: `${VPC_NAME}-${configId}`,
      Description: `stands for ${configId} of the conductor config`,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: tags(`${VPC_NAME}-${configId}`, configId) }],
    }),
  );
}

/** Created id by the config id it stands for. */
type TaggedIds = Map<string, string>;

function byConfigId(resources: { id: string | undefined; tags: Tag[] | undefined }[]): TaggedIds {
  const ids: TaggedIds = new Map();
  for (const { id, tags: resourceTags } of resources) {
    const configId = resourceTags?.find((tag) => tag.Key === CONFIG_ID_TAG)?.Value;
    if (id && configId) ids.set(configId, id);
  }
  return ids;
}

async function taggedSubnets(ec2: EC2Client, vpcId: string): Promise<TaggedIds> {
  const { Subnets = [] } = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  return byConfigId(Subnets.map((subnet) => ({ id: subnet.SubnetId, tags: subnet.Tags })));
}

async function taggedSecurityGroups(ec2: EC2Client, vpcId: string): Promise<TaggedIds> {
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  return byConfigId(SecurityGroups.map((group) => ({ id: group.GroupId, tags: group.Tags })));
}

function mapIds(configIds: string[], created: TaggedIds): IdMapping[] {
  return configIds.map((configId) => ({ configId, createdId: created.get(configId) }));
}
