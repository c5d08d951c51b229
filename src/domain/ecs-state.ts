/**
 * ECS as the core sees it: the services, task definitions and tasks a rollout or the autoscaler reads
 * and writes, in the conductor's own shapes. The ECS adapter (src/aws/ecs.ts) maps the SDK to these.
 */

export interface ServiceDeployment {
  id: string;
  /** PRIMARY, ACTIVE or INACTIVE. */
  status: string;
  /** IN_PROGRESS, COMPLETED or FAILED (absent for deployments made without the circuit breaker). */
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinitionArn: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ServiceState {
  name: string;
  arn: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinitionArn: string;
  deployments: ServiceDeployment[];
  /** The ARN of the service's current service deployment (DescribeServiceDeployments reads it). */
  currentServiceDeployment?: string;
}

export interface ServicesDescription {
  services: ServiceState[];
  /** The requested names (or ARNs) ECS reported as failures, usually because the service does not exist. */
  missing: string[];
}

export interface TaskDefinitionSummary {
  arn: string;
  family: string;
  revision: number;
  containers: DescribedContainer[];
}

/** The image the named container of a task definition runs; undefined when it has no such container. */
export function imageOfContainer(definition: TaskDefinitionSummary, container: string): string | undefined {
  return definition.containers.find((candidate) => candidate.name === container)?.image;
}

/** A container of a task definition: its image and the settings the conductor may write (when set). */
export interface DescribedContainer {
  name: string;
  image: string;
  environment?: Record<string, string>;
  stopTimeout?: number;
}

export interface CapacityProviderItem {
  capacityProvider: string;
  base?: number;
  weight?: number;
}

export interface RunTaskRequest {
  cluster: string;
  taskDefinition: string;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderStrategy?: CapacityProviderItem[];
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
  /** Shown on the task and filterable with listTasksStartedBy (up to 128 letters, digits, `-`, `/` and `_`). */
  startedBy: string;
  /** Makes retries of the same request start one task, not several (up to 64 printable ASCII characters). */
  clientToken: string;
}

export interface TaskState {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  startedBy?: string;
  taskDefinitionArn: string;
  containers: { name: string; lastStatus: string; exitCode?: number; reason?: string }[];
  createdAt?: Date;
  startedAt?: Date;
}
