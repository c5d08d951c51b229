import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverlessEsbuildOptions } from '../../../bench/bundle/esbuild-options.js';
import { credentialsFromEnvironment, defaultProvider } from '../../../src/aws/lambda-credentials.js';
import { EventStreamSerde, eventStreamSerdeProvider } from '../../../src/aws/no-event-streams.js';
import { loadRuntimeSettings } from '../../../src/config/runtime.js';

/** What bench:bundle measures rests on: the packaging options and the stand-ins they swap in. */
describe('bundle setup', () => {
  const options = serverlessEsbuildOptions();

  it('bakes the config validated, its defaults applied, and tells the bundle so', () => {
    const define = options.define ?? {};
    expect(define['process.env.CONDUCTOR_CONFIG_VALIDATED']).toBe('true');
    const config = JSON.parse(JSON.parse(define['process.env.CONDUCTOR_CONFIG'] ?? '""') as string) as {
      environments: Record<
        string,
        { services: Record<string, { container?: string }>; queues: Record<string, { stabilizationSeconds?: number }> }
      >;
    };
    // Defaults the schema adds: the document itself names neither.
    expect(config.environments['cgap-prod']?.services.wsgi?.container).toBe('app');
    expect(config.environments['cgap-prod']?.queues.ingestion?.stabilizationSeconds).toBe(300);
  });

  it('swaps the credential chain and event streams for stand-ins that exist', () => {
    const alias = options.alias ?? {};
    expect(Object.keys(alias).sort()).toEqual(['@aws-sdk/credential-provider-node', '@smithy/core/event-streams']);
    for (const path of Object.values(alias)) expect(existsSync(path)).toBe(true);
  });

  it('reads credentials from the variables Lambda sets, and says so when they are missing', async () => {
    expect(
      credentialsFromEnvironment({
        AWS_ACCESS_KEY_ID: 'AKIA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      }),
    ).toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    expect(
      credentialsFromEnvironment({
        AWS_ACCESS_KEY_ID: 'AKIA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_CREDENTIAL_EXPIRATION: '2026-11-25T16:00:00Z',
      }).expiration,
    ).toEqual(new Date('2026-11-25T16:00:00Z'));
    expect(() => credentialsFromEnvironment({})).toThrow(/built for AWS Lambda/);
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'test' });
  });

  it('refuses event streams, which no API the conductor calls uses', () => {
    expect(() => eventStreamSerdeProvider()).toThrow(/event streams are not bundled/);
    expect(() => EventStreamSerde()).toThrow(/event streams are not bundled/);
  });

  it('checks the runtime settings without zod, with the same messages', () => {
    expect(loadRuntimeSettings({ CONDUCTOR_TABLE: 'ecs-conductor-dev-state' })).toEqual({
      stage: 'local',
      tableName: 'ecs-conductor-dev-state',
    });
    expect(() => loadRuntimeSettings({})).toThrow('CONDUCTOR_TABLE: must name the conductor state table');
    expect(() => loadRuntimeSettings({ CONDUCTOR_STAGE: '', CONDUCTOR_TABLE: 'ecs-conductor-dev-state' })).toThrow(
      'CONDUCTOR_STAGE: must not be empty',
    );
  });
});
