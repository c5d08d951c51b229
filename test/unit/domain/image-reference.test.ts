import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../../src/domain/image-reference.js';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['cgap:1.4.0', { repository: 'cgap', tag: '1.4.0', digest: null }],
    [`${REGISTRY}/cgap@${DIGEST}`, { repository: `${REGISTRY}/cgap`, tag: null, digest: DIGEST }],
    [`${REGISTRY}/cgap:1.4.0-wsgi@${DIGEST}`, { repository: `${REGISTRY}/cgap`, tag: '1.4.0-wsgi', digest: DIGEST }],
    ['localhost:5000/team/cgap', { repository: 'localhost:5000/team/cgap', tag: null, digest: null }],
    ['localhost:5000/cgap:latest', { repository: 'localhost:5000/cgap', tag: 'latest', digest: null }],
  ])('splits %s', (image, parts) => {
    expect(parseImageReference(image)).toEqual(parts);
  });
});
