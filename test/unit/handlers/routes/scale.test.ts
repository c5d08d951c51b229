import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import { endHoldRoute, scaleRoute, type ScaleRouteDeps } from '../../../../src/handlers/routes/scale.js';
import { endServiceHold, holdServiceScale } from '../../../../src/use-cases/hold-service-scale.js';
import { jsonHeaders } from '../../../support/http-event.js';
import { inMemoryWorld } from '../../../support/in-memory-ports.js';
import { callRoute } from '../../../support/route-call.js';

/** Setting, holding and ending a hold through the routes, over the real use cases and in-memory records. */

const config = readConductorConfigFile('conductor.yml');
const ENV = 'cgap-mastertest';
/** The role mastertest lets scale; the release role may not. */
const DEVELOPER = 'arn:aws:iam::123456789012:role/cgap-developer';
const RELEASER = 'arn:aws:iam::123456789012:role/cgap-release';
const NOW = new Date('2026-11-25T15:00:00.000Z');

function api() {
  const world = inMemoryWorld({ now: NOW });
  const { scaling, services } = world.autoscalePorts();
  const ports = { scaling, services, clock: { now: () => NOW }, pause: () => Promise.resolve() };
  const deps: ScaleRouteDeps = {
    config,
    holdServiceScale: (target, request) => holdServiceScale(ports, target, request),
    endServiceHold: (target, service) => endServiceHold(ports, target, service),
  };
  const pathParameters = (service: string) => ({ pathParameters: { env: ENV, service } });
  return {
    world,
    record: async () => (await scaling.get(ENV, 'ingestion'))?.record,
    scale: (body: unknown, service = 'ingester') =>
      callRoute(scaleRoute(deps), `/environments/${ENV}/services/${service}/scale`, DEVELOPER, {
        ...pathParameters(service),
        headers: jsonHeaders('unused'),
        body: JSON.stringify(body),
      }),
    release: (service = 'ingester', principal = DEVELOPER) =>
      callRoute(
        endHoldRoute(deps),
        `/environments/${ENV}/services/${service}/hold`,
        principal,
        pathParameters(service),
      ),
  };
}

describe('DELETE /environments/{env}/services/{service}/hold', () => {
  it('ends the hold a manual scale set, keeping what the autoscaler stored, and says when there was none', async () => {
    const { scale, release, record } = api();
    const held = await scale({ desiredCount: 3 });
    expect(held.json).toMatchObject({ hold: { desiredCount: 3, until: '2026-11-25T15:30:00.000Z', by: DEVELOPER } });

    const ended = await release();

    expect(ended).toMatchObject({
      statusCode: 200,
      json: { environment: ENV, service: 'ingester', ended: { desiredCount: 3, until: '2026-11-25T15:30:00.000Z' } },
    });
    expect(await record()).toEqual({ state: {} });
    expect((await release()).json).toEqual({ environment: ENV, service: 'ingester', ended: null });
  });

  it('refuses a service that reads no queue, an unknown one, and a caller who may not scale', async () => {
    const { release } = api();
    await expect(release('wsgi')).rejects.toMatchObject({ statusCode: 422, code: 'NOT_SCALABLE' });
    await expect(release('worker')).rejects.toMatchObject({ statusCode: 404 });
    await expect(release('ingester', RELEASER)).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('POST /environments/{env}/services/{service}/scale with holdMinutes 0', () => {
  it('sets the count with no hold, ending the hold in force', async () => {
    const { scale, record, world } = api();
    await scale({ desiredCount: 3, holdMinutes: 60 });

    const reply = await scale({ desiredCount: 2, holdMinutes: 0 });

    expect(reply).toMatchObject({ statusCode: 202, json: { desiredCount: 2, hold: null } });
    expect((await record())?.hold).toBeUndefined();
    expect(world.calls.setDesiredCount.map((call) => call.count)).toEqual([3, 2]);
  });
});
