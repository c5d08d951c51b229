import { createHash } from 'node:crypto';

/**
 * The n-th distinct ECR push of a release tag to `repository`, as EventBridge delivers it: its own
 * event id, version (`1.0.n`, a source tag) and digest, so every push starts a release of its own.
 */
export function pushEvent(repository: string, n: number) {
  return {
    version: '0',
    id: `bench-push-${String(n)}`,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2026-11-25T15:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': repository,
      'image-digest': `sha256:${createHash('sha256')
        .update(`bench-push-${String(n)}`)
        .digest('hex')}`,
      'action-type': 'PUSH',
      'image-tag': `1.0.${String(n)}`,
    },
  };
}
