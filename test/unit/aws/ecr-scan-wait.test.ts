import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  ScanNotFoundException,
  type ScanStatus,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createEcrAdapter } from '../../../src/aws/ecr.js';

/** The scan gate's read of a scan under way: re-read until it settles or the wait runs out, whichever scanner. */
const DIGEST = `sha256:${'a'.repeat(64)}`;
const ecr = mockClient(ECRClient);

const scan = (status: ScanStatus, counts: Record<string, number> = {}) => ({
  imageScanStatus: { status },
  imageScanFindings: { findingSeverityCounts: counts },
});

afterEach(() => ecr.reset());

describe('scanReport', () => {
  it('waits through PENDING until an enhanced scan is ACTIVE (ECR’s waiter would wait for COMPLETE in vain)', async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(scan('PENDING'))
      .resolvesOnce(scan('PENDING'))
      .resolves(scan('ACTIVE', { CRITICAL: 1 }));
    const pauses: number[] = [];
    const adapter = createEcrAdapter(new ECRClient({ region: 'us-east-1' }), (ms) => Promise.resolve(pauses.push(ms)));
    expect(await adapter.scanReport('app', DIGEST, 30)).toEqual({ status: 'ACTIVE', counts: { CRITICAL: 1 } });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(3);
    expect(pauses).toHaveLength(2);
    for (const ms of pauses) expect(ms).toBeLessThanOrEqual(5000);
  });

  it('reads once without waiting when the gate waits 0 s, or when the scan is settled or absent', async () => {
    const pauses: number[] = [];
    const adapter = createEcrAdapter(new ECRClient({ region: 'us-east-1' }), (ms) => Promise.resolve(pauses.push(ms)));
    ecr.on(DescribeImageScanFindingsCommand).resolves(scan('IN_PROGRESS'));
    expect(await adapter.scanReport('app', DIGEST, 0)).toEqual({ status: 'IN_PROGRESS', counts: {} });
    ecr.reset();
    ecr.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE', { HIGH: 2 }));
    expect(await adapter.scanReport('app', DIGEST, 30)).toEqual({ status: 'COMPLETE', counts: { HIGH: 2 } });
    ecr.reset();
    ecr.on(DescribeImageScanFindingsCommand).rejects(new ScanNotFoundException({ message: 'no scan', $metadata: {} }));
    expect(await adapter.scanReport('app', DIGEST, 30)).toEqual({ status: undefined, counts: {} });
    expect(pauses).toEqual([]);
  });
});
