import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../src/config/file.js';
import { autoDeployRelease } from '../../../src/use-cases/auto-deploy-release.js';
import { NotBuildableError } from '../../../src/use-cases/errors.js';
import { recordImageRelease, startRelease } from '../../../src/use-cases/record-image-release.js';
import { inMemoryWorld, REPOSITORY_URI } from '../../support/in-memory-ports.js';
import { exampleEnvironment } from '../../support/example-config.js';

const config = readConductorConfigFile('test/fixtures/config/single-image.yml');
const NAME = 'cgap-single';
const env = config.environments[NAME];
if (!env) throw new Error(`single-image.yml has no ${NAME}`);
const DIGEST = `sha256:${'d'.repeat(64)}`;
const push = (version: string, triggeredBy = 'push:evt-1') => ({
  environment: NAME,
  version,
  sourceDigest: DIGEST,
  triggeredBy,
});

describe('recordImageRelease', () => {
  it('records the pushed image as a BUILT release: every entrypoint at the pushed digest and tag', async () => {
    const world = inMemoryWorld();
    const { release, started, waiting } = await recordImageRelease(world.ports('push'), env, push('1.5.0'));
    expect({ started, waiting }).toEqual({ started: [], waiting: [] });
    expect(release.state).toBe('BUILT');
    const built = { imageTag: '1.5.0', status: 'SUCCEEDED', digest: DIGEST };
    expect(release.builds).toEqual({ wsgi: built, indexer: built, ingester: built, deployment: built });
    expect(world.state.releases.get(release.id)?.release).toEqual(release);
    expect(world.calls.startBuild).toEqual([]);
  });

  it('records one release per digest: a redelivered push finds the first as stored', async () => {
    const world = inMemoryWorld();
    const first = await recordImageRelease(world.ports('push'), env, push('1.5.0', 'push:evt-1'));
    world.advance(5000);
    const again = await recordImageRelease(world.ports('push'), env, push('1.5.0', 'push:evt-2'));
    expect(again.release).toEqual(first.release);
    expect(world.state.releases.size).toBe(1);
  });
});

describe('startRelease', () => {
  it('builds nothing in a single-image environment', async () => {
    const world = inMemoryWorld();
    const { release } = await startRelease(world.ports('push'), env, push('1.5.0'));
    expect(release.state).toBe('BUILT');
    expect(world.calls.startBuild).toEqual([]);
  });

  it('starts a build per entrypoint in a per-entrypoint environment, as before', async () => {
    const world = inMemoryWorld();
    const { name, env: perEntrypoint } = exampleEnvironment();
    const { release, started } = await startRelease(world.ports('push'), perEntrypoint, {
      ...push('1.5.0'),
      environment: name,
    });
    expect(release.state).toBe('BUILDING');
    expect(started).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(world.calls.startBuild.map((build) => build.environmentVariables.IMAGE_TAG)).toEqual([
      '1.5.0-wsgi',
      '1.5.0-indexer',
      '1.5.0-ingester',
      '1.5.0-deployment',
    ]);
  });
});

describe('a build project that would not apply docker/', () => {
  it('is refused before anything is recorded or started, saying what to change', async () => {
    const world = inMemoryWorld();
    world.behaviour.buildProject = { name: 'cgap-supertest', sourceType: 'GITHUB', buildspec: '' };
    const { name, env: perEntrypoint } = exampleEnvironment();
    const started = startRelease(world.ports('push'), perEntrypoint, { ...push('1.5.0'), environment: name });
    await expect(started).rejects.toBeInstanceOf(NotBuildableError);
    await expect(started).rejects.toThrow(/builds its GITHUB source with that source's own buildspec.yml/);
    expect(world.calls.startBuild).toEqual([]);
    expect(world.state.releases.size).toBe(0);
  });
});

describe('auto-deploy of a single-image push', () => {
  it('rolls a matching version out at once, pinning the pushed digest into every service', async () => {
    const world = inMemoryWorld();
    const ports = world.ports('push');
    const registered: Record<string, string>[] = [];
    const tasks = {
      ...ports.tasks,
      registerTaskDefinitionWithImages: (source: string, images: Record<string, string>) => {
        registered.push(images);
        return ports.tasks.registerTaskDefinitionWithImages(source, images);
      },
    };
    const { release } = await recordImageRelease(ports, env, push('0ddba11c0ffee'));
    const outcome = await autoDeployRelease({ ...ports, tasks }, { name: NAME, env }, release, 'req-1');
    expect(outcome).toMatchObject({ kind: 'started', release: { state: 'DEPLOYING' } });
    expect(world.calls.updateService.map((call) => call.service).sort()).toEqual([
      'cgap-single-indexer',
      'cgap-single-ingester',
      'cgap-single-wsgi',
    ]);
    expect(registered).toEqual([1, 2, 3].map(() => ({ app: `${REPOSITORY_URI}@${DIGEST}` })));
  });

  it('gives each new revision the container environment and stopTimeout config sets', async () => {
    const world = inMemoryWorld();
    const ports = world.ports('push');
    const { ingester: stock } = env.services;
    if (!stock) throw new Error('single-image.yml has no ingester');
    const ingester = { ...stock, stopTimeout: 120, environment: { INGESTION_GRACE: '90' } };
    const configured = { ...env, services: { ...env.services, ingester } };
    const { release } = await recordImageRelease(ports, configured, push('0ddba11c0ffee'));
    await autoDeployRelease(ports, { name: NAME, env: configured }, release, 'req-1');
    const calls = world.calls.registerTaskDefinition;
    expect(calls.filter((call) => call.source.includes('cgap-single-ingester'))).toEqual([
      expect.objectContaining({ settings: { app: { stopTimeout: 120, environment: { INGESTION_GRACE: '90' } } } }),
    ]);
    expect(calls.filter((call) => call.settings !== undefined && Object.keys(call.settings).length > 0)).toHaveLength(
      1,
    );
  });

  it('leaves a version that does not match autoDeployPattern BUILT', async () => {
    const world = inMemoryWorld();
    const ports = world.ports('push');
    const { release } = await recordImageRelease(ports, env, push('1.5.0'));
    expect(await autoDeployRelease(ports, { name: NAME, env }, release, 'req-1')).toEqual({ kind: 'not-due' });
    expect(world.calls.updateService).toEqual([]);
  });
});
