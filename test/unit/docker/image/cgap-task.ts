import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../../../scripts/lib/venv.js';
import { parseConductorConfig } from '../../../../src/config/load.js';
import { Sandbox } from '../sandbox.js';
import type { Buildah } from './buildah.js';
import { BASE_IMAGE, cgapBase } from './cgap-base.js';
import { type RunningContainer, startContainer } from './container.js';
import { buildEntrypointImages, removeStaleRuns } from './entrypoint-images.js';
import { TaskNetwork } from './netns.js';
import { TaskEmulator } from './task-emulator.js';

/**
 * Everything the CGAP image tests share: the four entrypoint images built with conductor.yml's
 * cgap-mastertest settings on the CGAP-shaped base, a task network, the AWS emulator on it holding
 * the app's secret and ingestion queue, and a sandbox for logs and the fake ECS agent.
 */
export const SECRET_ID = 'cgap-mastertest/application';
export const SECRET = {
  ENCODED_ENV_NAME: 'cgap-mastertest',
  ENCODED_ES_SERVER: 'es.cgap-mastertest.internal:443',
  RDS_USERNAME: 'cgap',
  RDS_PASSWORD: "p@ss 'word",
  RDS_HOSTNAME: 'db.internal',
  RDS_PORT: '5432',
  RDS_DB_NAME: 'cgap',
};

export class CgapTask {
  private readonly containers: RunningContainer[] = [];
  queueUrl = '';

  private constructor(
    readonly buildah: Buildah,
    readonly images: Record<string, string>,
    readonly network: TaskNetwork,
    readonly aws: TaskEmulator,
    readonly sandbox: Sandbox,
  ) {}

  static async prepare(): Promise<CgapTask> {
    const config = parseConductorConfig(parse(readFileSync(`${PROJECT_ROOT}/conductor.yml`, 'utf8')));
    const environment = config.environments['cgap-mastertest'];
    if (!environment) throw new Error('conductor.yml has no cgap-mastertest environment');
    const buildah = await cgapBase();
    removeStaleRuns(buildah);
    const images = buildEntrypointImages(buildah, environment, `t${String(process.pid)}`, BASE_IMAGE);
    const network = await TaskNetwork.create();
    let aws: TaskEmulator | undefined;
    try {
      aws = await TaskEmulator.start(network.hostIp);
      const task = new CgapTask(buildah, images, network, aws, new Sandbox());
      await aws.createSecret(SECRET_ID, SECRET);
      task.queueUrl = await aws.createQueue('cgap-mastertest-ingestion-queue');
      return task;
    } catch (error) {
      await aws?.stop();
      network.close();
      throw error;
    }
  }

  /** Starts an entrypoint's image with a task definition's environment (CGAP's, plus `env`). */
  start(entrypoint: string, env: Record<string, string> = {}): RunningContainer {
    const image = this.images[entrypoint];
    if (image === undefined) throw new Error(`no ${entrypoint} image`);
    const container = startContainer(this.buildah, image, this.sandbox, this.network, {
      application_type: entrypoint,
      IDENTITY: SECRET_ID,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'task-role',
      AWS_SECRET_ACCESS_KEY: 'task-role-secret',
      AWS_ENDPOINT_URL: this.aws.endpoint,
      ...env,
    });
    this.containers.push(container);
    return container;
  }

  /** Removes the containers started so far. */
  async removeContainers(): Promise<void> {
    await Promise.all(this.containers.splice(0).map((container) => container.remove()));
  }

  /** Removes everything the run made, each step even when an earlier one failed. */
  async dispose(): Promise<void> {
    try {
      await this.removeContainers();
      this.buildah.run('rmi', '--force', ...Object.values(this.images));
    } finally {
      await this.aws.stop();
      this.network.close();
      await this.sandbox.dispose();
    }
  }
}
