import { describe, expect, it } from 'vitest';
import { readConductorConfigFile } from '../../../../src/config/file.js';
import { deployPlanSchema } from '../../../../src/contract/api.js';
import { deployPlanRoute } from '../../../../src/handlers/routes/deploy-plan.js';
import { planDeploy } from '../../../../src/use-cases/plan-deploy.js';
import { inMemoryWorld } from '../../../support/in-memory-ports.js';
import { builtRelease } from '../../../support/release-fixtures.js';
import { callRoute } from '../../../support/route-call.js';

const config = readConductorConfigFile('conductor.yml');
const ENV = 'cgap-mastertest';
const READER = 'arn:aws:iam::123456789012:role/cgap-release';
const OUTSIDER = 'arn:aws:iam::123456789012:role/outsider';

function routeOn(world: ReturnType<typeof inMemoryWorld>) {
  return deployPlanRoute({ config, planDeploy: (target, request) => planDeploy(world.ports('api'), target, request) });
}

const ask = (world: ReturnType<typeof inMemoryWorld>, search: string, principal = READER) =>
  callRoute(routeOn(world), `/environments/${ENV}/deployments/plan${search}`, principal, {
    pathParameters: { env: ENV },
  });

describe('GET /environments/{env}/deployments/plan', () => {
  it('answers the plan, as its schema describes it, and writes nothing', async () => {
    const world = inMemoryWorld();
    const release = builtRelease(ENV, '1.6.0', new Date('2026-12-01T00:00:00Z'));
    world.put(release);
    const reply = await ask(world, '?version=1.6.0');
    expect(reply.statusCode).toBe(200);
    const plan = deployPlanSchema.parse(reply.json);
    expect(plan).toMatchObject({ version: '1.6.0', releaseId: release.id });
    expect(plan.changes.map((change) => change.name)).toEqual(['wsgi', 'indexer', 'ingester', 'deployment']);
    expect(Object.values(world.calls).flat()).toEqual([]);
  });

  it('refuses a missing version, an unbuilt one and an unknown task (422, naming the query field) and a caller who may not read (403)', async () => {
    const world = inMemoryWorld();
    await expect(ask(world, '')).rejects.toMatchObject({ statusCode: 422 });
    await expect(ask(world, '?version=9.9.9')).rejects.toMatchObject({
      statusCode: 422,
      code: 'NOT_DEPLOYABLE',
      details: [{ path: 'query.version' }],
    });
    await expect(ask(world, '?version=1.6.0&task=nope')).rejects.toMatchObject({
      statusCode: 422,
      message: 'the request query is invalid',
      details: [{ path: 'query.task' }],
    });
    await expect(ask(world, '?version=1.6.0', OUTSIDER)).rejects.toMatchObject({ statusCode: 403 });
  });
});
