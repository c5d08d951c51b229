import { describe, expect, it } from 'vitest';
import { deploymentGate } from '../../../src/domain/deployment-gate.js';

describe('deploymentGate', () => {
  const rollout = { deploymentTask: 'deployment' };

  it("is blind where a single-image environment's own entrypoint runs the deployment task", () => {
    const gate = deploymentGate({ image: { shape: 'single-image' }, rollout });
    expect(gate.blind).toBe(true);
    expect(gate.reason).toMatch(/^gate blind: the deployment task deployment runs the image's own entrypoint/);
  });

  it("sees failures with docker/'s entrypoints, with entrypoints said to fail honestly, or with no deployment task", () => {
    expect(deploymentGate({ image: { shape: 'per-entrypoint' }, rollout })).toEqual({ blind: false });
    expect(deploymentGate({ image: { shape: 'single-image', exitCodesReliable: true }, rollout })).toEqual({
      blind: false,
    });
    expect(deploymentGate({ image: { shape: 'single-image' }, rollout: {} })).toEqual({ blind: false });
  });
});
