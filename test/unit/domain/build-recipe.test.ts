import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RECIPE_BUILD_COMMAND, recipeProblem } from '../../../src/domain/build-recipe.js';

describe('recipeProblem', () => {
  it("refuses 4dn-cloud-infra's project: cgap-portal from GitHub with cgap-portal's own buildspec", () => {
    // As its src/parts/codebuild.py makes it: GITHUB source, no buildspec (the source's buildspec.yml).
    const problem = recipeProblem({ name: 'cgap-supertest', sourceType: 'GITHUB', buildspec: '' }, 'cgap-supertest');
    expect(problem).toMatch(
      /^CodeBuild project cgap-supertest builds its GITHUB source with that source's own buildspec.yml, so docker\/ would never be applied/,
    );
    expect(problem).toMatch(/leave codebuild.project out/);
    expect(problem).toMatch(/image.shape single-image/);
  });

  it('refuses another buildspec, and a project that does not exist', () => {
    expect(recipeProblem({ name: 'p', sourceType: 'S3', buildspec: 'ci/build.yml' }, 'p')).toMatch(
      /runs a buildspec that is not buildspec\/buildspec.yml \(S3 source\)/,
    );
    expect(recipeProblem({ name: 'p', sourceType: 'NO_SOURCE', buildspec: 'buildspec/buildspec.yml' }, 'p')).toMatch(
      /not buildspec\/buildspec.yml \(NO_SOURCE source\)/,
    );
    expect(recipeProblem(undefined, 'gone')).toBe('CodeBuild project gone does not exist');
  });

  it('knows the recipe by the command the shipped buildspec runs', () => {
    expect(readFileSync('buildspec/buildspec.yml', 'utf8')).toContain(RECIPE_BUILD_COMMAND);
  });

  it("accepts the recipe's buildspec inline (the stack's own project) or by path in a source", () => {
    const inline = 'phases:\n  build:\n    commands:\n      - docker build --file docker/Dockerfile --tag x docker';
    expect(recipeProblem({ name: 'p', sourceType: 'NO_SOURCE', buildspec: inline }, 'p')).toBeUndefined();
    expect(recipeProblem({ name: 'p', sourceType: 'S3', buildspec: 'buildspec/buildspec.yml' }, 'p')).toBeUndefined();
  });
});
