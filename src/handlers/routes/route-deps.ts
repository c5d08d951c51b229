import type { ConductorConfig } from '../../config/schema.js';
import type { Release } from '../../domain/release.js';
import { buildVersion, type BuildVersionPorts } from '../../use-cases/build-version.js';
import { deployVersion } from '../../use-cases/deploy-version.js';
import { environmentStatus, environmentSummary } from '../../use-cases/environment-status.js';
import { endServiceHold, holdServiceScale } from '../../use-cases/hold-service-scale.js';
import type {
  Clock,
  CurrentReleases,
  EnvironmentLocks,
  ImageRegistry,
  QueueMetrics,
  ReleaseRepository,
  ScalingRecords,
  ServiceControl,
  TaskControl,
} from '../../use-cases/ports.js';
import { redeployEnvironment } from '../../use-cases/redeploy-environment.js';
import type { RolloutRequest } from '../../use-cases/start-rollout.js';
import type { AdoptRouteDeps } from './adopt.js';
import type { BuildRouteDeps } from './builds.js';
import type { EnvironmentRouteDeps } from './environments.js';
import type { ReleaseRouteDeps } from './releases.js';
import type { RolloutRouteDeps } from './rollouts.js';
import type { ScaleRouteDeps } from './scale.js';
import type { NamedEnvironment } from '../../domain/environment.js';

/** The adapters the API's use cases and queries read and write through. */
export interface ApiAdapters {
  releases: Pick<ReleaseRepository, 'get' | 'listForEnvironment'>;
  locks: Pick<EnvironmentLocks, 'holder'>;
  current: Pick<CurrentReleases, 'current'>;
  scaling: Pick<ScalingRecords, 'get' | 'save'>;
  services: Pick<ServiceControl, 'describeServices' | 'setDesiredCount'>;
  tasks: Pick<TaskControl, 'describeTaskDefinition'>;
  queues: QueueMetrics;
  registry: Pick<ImageRegistry, 'imageDigest'>;
  clock: Clock;
}

/** Use cases the API shares with the event handlers, wired already (they sequence other use cases). */
export interface SharedUseCases {
  /** Starts a rollout and takes it as far as ECS allows now. */
  rollOut: (target: NamedEnvironment, request: RolloutRequest) => Promise<Release>;
  rollBack: RolloutRouteDeps['rollBack'];
  adopt: AdoptRouteDeps['adopt'];
  startBuilds: BuildVersionPorts['startBuilds'];
}

export interface ApiRouteDeps {
  environments: EnvironmentRouteDeps;
  builds: BuildRouteDeps;
  rollouts: RolloutRouteDeps;
  adopt: AdoptRouteDeps;
  releases: ReleaseRouteDeps;
  scale: ScaleRouteDeps;
}

/** What each route calls: one use case or query each, bound to the adapters. */
export function apiRouteDeps(config: ConductorConfig, adapters: ApiAdapters, shared: SharedUseCases): ApiRouteDeps {
  return {
    environments: {
      config,
      environmentStatus: (target) => environmentStatus(adapters, target),
      environmentSummary: (target) => environmentSummary(adapters, target),
    },
    builds: {
      config,
      buildVersion: (target, request) =>
        buildVersion({ registry: adapters.registry, startBuilds: shared.startBuilds }, target, request),
    },
    rollouts: {
      config,
      deployVersion: (target, request) =>
        deployVersion({ releases: adapters.releases, rollOut: shared.rollOut }, target, request),
      rollBack: shared.rollBack,
      redeploy: (target, triggeredBy, requestId) =>
        redeployEnvironment({ current: adapters.current, rollOut: shared.rollOut }, target, { triggeredBy, requestId }),
    },
    adopt: { config, adopt: shared.adopt },
    releases: {
      config,
      listReleases: (environment, page) => adapters.releases.listForEnvironment(environment, page),
      getRelease: async (id) => (await adapters.releases.get(id))?.release,
    },
    scale: {
      config,
      holdServiceScale: (target, request) => holdServiceScale(adapters, target, request),
      endServiceHold: (target, service) => endServiceHold(adapters, target, service),
    },
  };
}
