import { emulatorEndpoint } from '../../support/aws-env.js';
import { CodeBuildClient, ListBuildsForProjectCommand } from '@aws-sdk/client-codebuild';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorBodySchema } from '../../../src/contract/api.js';
import { logger } from '../../../src/handlers/observability.js';
import { badHttpCases, type BadHttpCase } from '../../fixtures/bad-input/http-cases.js';
import { foreignEventCases } from '../../fixtures/bad-input/event-cases.js';
import { startConductorHarness, type ConductorHarness } from '../../support/conductor-harness.js';
import { httpEvent } from '../../support/http-event.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { emptyFigures, writeFigures } from '../../support/reliability-figures.js';

/**
 * Issue #7 part 5: every bad request gets a 4xx in the API's one error shape naming the problem, and
 * nothing in AWS changes — checked twice, by the writes that reached the emulator (recording proxy)
 * and by a snapshot of what the conductor could have changed, taken before and after the corpus.
 */

const clients = {
  codebuild: new CodeBuildClient({ endpoint: emulatorEndpoint }),
  ecs: new ECSClient({ endpoint: emulatorEndpoint }),
  dynamodb: new DynamoDBClient({ endpoint: emulatorEndpoint }),
};
/** Operations that only read; anything else reaching AWS is a write. */
const READ_ONLY = /\.(Get\w*|Describe\w*|List\w*|BatchGet\w*|Query|Scan)$/;
const figures = { ...emptyFigures() };
let harness: ConductorHarness;

async function snapshot(): Promise<unknown> {
  const environments = [
    {
      project: 'cgap-mastertest',
      cluster: 'cgap-mastertest',
      services: ['cgap-mastertest-wsgi', 'cgap-mastertest-indexer', 'cgap-mastertest-ingester'],
    },
    {
      project: 'ecs-conductor-cgap-prod-build', // the project the stack creates: conductor.yml names none
      cluster: 'cgap-prod',
      services: ['cgap-prod-wsgi', 'cgap-prod-indexer', 'cgap-prod-ingester'],
    },
  ];
  const perEnvironment = await Promise.all(
    environments.map(async ({ project, cluster, services }) => ({
      builds:
        (await clients.codebuild.send(new ListBuildsForProjectCommand({ projectName: project }))).ids?.length ?? 0,
      services: ((await clients.ecs.send(new DescribeServicesCommand({ cluster, services }))).services ?? []).map(
        (service) => [service.serviceName, service.desiredCount, service.taskDefinition],
      ),
    })),
  );
  const taskDefinitions = (await clients.ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns?.length ?? 0;
  const stateRows =
    (await clients.dynamodb.send(new ScanCommand({ TableName: 'ecs-conductor-test-state', Select: 'COUNT' }))).Count ??
    0;
  return { perEnvironment, taskDefinitions, stateRows };
}

async function send(badCase: BadHttpCase) {
  const headers: Record<string, string> = { authorization: 'Bearer developer-token' };
  if (badCase.contentType !== null) headers['content-type'] = badCase.contentType ?? 'application/json';
  const event = httpEvent(badCase.method, badCase.path, {
    headers,
    ...(badCase.body === undefined ? {} : { body: badCase.body }),
    ...(badCase.isBase64Encoded ? { isBase64Encoded: true } : {}),
  });
  const response = await harness.api(event, lambdaContext('ecs-conductor-test-api', `bad-input-${String(Date.now())}`));
  figures.badInputsTried += 1;
  if ((response.statusCode ?? 0) >= 500) figures.fiveXxSeen += 1;
  return response;
}

let before: unknown;

beforeAll(async () => {
  harness = await startConductorHarness();
  before = await snapshot();
  harness.proxy.calls.length = 0;
}, 60_000);

afterAll(async () => {
  figures.writesFromBadInput = harness.proxy.calls.filter((call) => !READ_ONLY.test(call.target)).length;
  writeFigures('bad-input', figures);
  await harness.close();
});

describe('bad HTTP input', () => {
  it('has a corpus of at least 100 cases', () => {
    expect(badHttpCases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(badHttpCases.map((badCase) => badCase.name)).size).toBe(badHttpCases.length);
  });

  it.each(badHttpCases.map((badCase) => [badCase.name, badCase] as const))(
    'refuses %s with a 4xx naming the problem',
    async (_name, badCase) => {
      const response = await send(badCase);

      expect(response.statusCode).toBe(badCase.status);
      expect(response.headers?.['content-type']).toBe('application/json');
      const body = errorBodySchema.parse(JSON.parse(response.body ?? 'null'));
      expect(body.error.code).toBe(badCase.code);
      expect(body.error.message.length).toBeGreaterThan(0);
      if (badCase.detailPath !== undefined)
        expect(body.error.details?.map((detail) => detail.path)).toContain(badCase.detailPath);
    },
  );

  it('made no AWS write over the whole corpus and left the emulator as it was', async () => {
    const writes = harness.proxy.calls.filter((call) => !READ_ONLY.test(call.target)).map((call) => call.target);
    expect(writes).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('foreign and malformed EventBridge events', () => {
  it.each(foreignEventCases.map((foreign) => [foreign.name, foreign] as const))(
    'ignores %s with one log line, no throw and no write',
    async (_name, foreign) => {
      const lines = [vi.spyOn(logger, 'info'), vi.spyOn(logger, 'warn'), vi.spyOn(logger, 'error')];
      const callsBefore = harness.proxy.calls.length;
      try {
        // An ignored event resolves with why it was ignored; a rejection here would be a retry storm in Lambda.
        await expect(harness[foreign.handler](foreign.event)).resolves.toMatchObject({
          outcome: 'ignored',
          reason: expect.any(String) as unknown,
        });
        expect(lines.reduce((total, spy) => total + spy.mock.calls.length, 0)).toBe(1);
        const writes = harness.proxy.calls.slice(callsBefore).filter((call) => !READ_ONLY.test(call.target));
        expect(writes).toEqual([]);
      } finally {
        figures.badInputsTried += 1;
        lines.forEach((spy) => {
          spy.mockRestore();
        });
      }
    },
  );

  it('left the emulator as it was', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
