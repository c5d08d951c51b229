import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMULATOR_OMITS, emulatorTemplate, parseTemplate } from '../../../scripts/lib/emulator-templates.js';

const generated = (stack: string) => readFileSync(`test/fixtures/cgap/infra/cgap-supertest/${stack}.yml`, 'utf8');
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> } & Record<
  string,
  unknown
>;

describe("local mode's stand-ins for what moto cannot create", () => {
  it('reads short-form intrinsics as their long forms', () => {
    const template = parseTemplate(
      [
        'A: !Ref X',
        'B: !GetAtt Domain.DomainEndpoint',
        'C: !ImportValue',
        "  Fn::Sub: '${P}-VPC'",
        'D: !Join [":", [a, b]]',
      ].join('\n'),
    );
    expect(template).toEqual({
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['Domain', 'DomainEndpoint'] },
      C: { 'Fn::ImportValue': { 'Fn::Sub': '${P}-VPC' } },
      D: { 'Fn::Join': [':', ['a', 'b']] },
    });
  });

  it("leaves out the datastore's OpenSearch domain and RDS instance, naming each, and stands in for references to them", () => {
    const { body, changes } = emulatorTemplate(generated('c4-datastore-cgap-supertest-stack'));
    const template = JSON.parse(body) as Template;
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    for (const omitted of ['AWS::OpenSearchService::Domain', 'AWS::RDS::DBInstance', 'AWS::RDS::DBParameterGroup']) {
      expect(types).not.toContain(omitted);
      expect(EMULATOR_OMITS[omitted]).toBeDefined();
    }
    expect(changes).toContain(
      `left out AWS::OpenSearchService::Domain C4DatastoreCgapSupertestOpenSearch (${EMULATOR_OMITS['AWS::OpenSearchService::Domain'] ?? ''})`,
    );
    const outputs = template.Outputs as Record<string, { Value: unknown }>;
    expect(outputs.C4DatastoreCgapSupertestElasticSearchURL?.Value).toBe(
      'stand-in:C4DatastoreCgapSupertestOpenSearch.DomainEndpoint',
    );
    // Everything else as generated: the queues and their settings.
    expect(types.filter((type) => type === 'AWS::SQS::Queue')).toHaveLength(5);
  });

  it("gives the ECS stack's services numeric desired counts and each container a share of its task's memory", () => {
    const { body, changes } = emulatorTemplate(generated('c4-ecs-cgap-supertest-stack'));
    const resources = (JSON.parse(body) as Template).Resources;
    expect(resources.cgapIndexerService?.Properties.DesiredCount).toBe(4);
    const [ingester] = resources.cgapIngester?.Properties.ContainerDefinitions as Record<string, unknown>[];
    expect(ingester).toMatchObject({ Name: 'Ingester', MemoryReservation: 1024 });
    expect(changes).toContain("cgapIndexerService: DesiredCount '4' as the number 4");
    // Nothing is left out of the ECS stack.
    expect(changes.filter((change) => change.startsWith('left out'))).toEqual([]);
  });

  it('changes nothing in a template moto takes as it is', () => {
    const text = generated('c4-iam-main-stack');
    const { body, changes } = emulatorTemplate(text);
    expect(changes).toEqual([]);
    expect(JSON.parse(body)).toEqual(parseTemplate(text));
  });
});
