import { describe, expect, it } from 'vitest';
import { roleArn } from '../../../scripts/lib/aws-names.js';

describe('role ARNs the emulator seed derives from config values', () => {
  it('builds role ARNs from names and keeps ARNs', () => {
    expect(roleArn('cgap-prod-ecs-task')).toBe('arn:aws:iam::123456789012:role/cgap-prod-ecs-task');
    expect(roleArn('app-task', '210987654321')).toBe('arn:aws:iam::210987654321:role/app-task');
    expect(roleArn('arn:aws:iam::123456789012:role/path/x')).toBe('arn:aws:iam::123456789012:role/path/x');
  });
});
