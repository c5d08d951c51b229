import { emulatorEndpoint } from '../../support/aws-env.js';
import { pushImage, uniqueManifest } from '../../../src/local/images.js';
import { randomUUID } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { ecr, imageUri } from '../../../src/aws/ecr.js';
import { AwsCallError } from '../../../src/aws/errors.js';
import { setScanFindings } from '../../../src/local/scans.js';

const sdk = new ECRClient({});

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

async function createRepository(name = `app/${unique('repo')}`) {
  const response = await sdk.send(new CreateRepositoryCommand({ repositoryName: name }));
  return { name, arn: response.repository?.repositoryArn ?? '', uri: response.repository?.repositoryUri ?? '' };
}

const putImage = (repositoryName: string, imageTag: string) => pushImage(sdk, repositoryName, imageTag);

describe('describeRepository', () => {
  it('describes a repository by name and by ARN with the URI ECR reports', async () => {
    const repository = await createRepository();
    const expected = { name: repository.name, arn: repository.arn, uri: repository.uri, registryId: '123456789012' };

    expect(await ecr.describeRepository(repository.name)).toEqual(expected);
    expect(await ecr.describeRepository(repository.arn)).toEqual(expected);
    expect(repository.uri).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository.name}`);
  });

  it('returns undefined for a repository that does not exist', async () => {
    expect(await ecr.describeRepository(unique('missing'))).toBeUndefined();
  });
});

describe('describeImage', () => {
  it('finds the image a tag points at, with its digest, tags and push time', async () => {
    const repository = await createRepository();
    const digest = await putImage(repository.name, '1.4.0');
    await sdk.send(
      new PutImageCommand({
        repositoryName: repository.name,
        imageTag: '1.4.0-indexer',
        imageManifest: uniqueManifest(),
      }),
    );

    const image = await ecr.describeImage(repository.name, '1.4.0');

    expect(image).toMatchObject({ digest, tags: ['1.4.0'] });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image?.pushedAt).toBeInstanceOf(Date);
    expect(await ecr.describeImage(repository.arn, '1.4.0')).toMatchObject({ digest });
  });

  it('returns undefined for a tag that is not in the repository', async () => {
    const repository = await createRepository();
    await putImage(repository.name, '1.4.0');

    expect(await ecr.describeImage(repository.name, '9.9.9')).toBeUndefined();
  });

  it('throws an AwsCallError when the repository itself does not exist', async () => {
    await expect(ecr.describeImage(unique('missing'), '1.0.0')).rejects.toBeInstanceOf(AwsCallError);
  });
});

describe('imageUri', () => {
  it('pins the repository URI to the digest of the pushed image', async () => {
    const repository = await createRepository();
    const digest = await putImage(repository.name, '2.0.0');
    const [info, image] = await Promise.all([
      ecr.describeRepository(repository.name),
      ecr.describeImage(repository.name, '2.0.0'),
    ]);

    expect(imageUri(info?.uri ?? '', image?.digest ?? '')).toBe(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository.name}@${digest}`,
    );
  });

  it('refuses a tag where a digest belongs', () => {
    expect(() => imageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/app', '1.4.0')).toThrow('not an image digest');
  });
});

describe('scanReport', () => {
  it('says an image was never scanned, and reads the counts of a complete scan', async () => {
    const repository = await createRepository();
    const digest = await putImage(repository.name, '1.4.0');
    expect(await ecr.scanReport(repository.name, digest, 0)).toEqual({ status: undefined, counts: {} });

    await sdk.send(new StartImageScanCommand({ repositoryName: repository.name, imageId: { imageDigest: digest } }));
    // moto's scan completes at once with one static HIGH finding.
    expect(await ecr.scanReport(repository.arn, digest, 0)).toEqual({ status: 'COMPLETE', counts: { HIGH: 1 } });
  });

  it('reads the findings ECR reports for the image (set through moto’s API)', async () => {
    const repository = await createRepository();
    const digest = await putImage(repository.name, '2.0.0');
    const result = {
      registryId: '123456789012',
      repositoryName: repository.name,
      imageId: { imageDigest: digest },
      imageScanStatus: { status: 'COMPLETE', description: 'done' },
      imageScanFindings: { findingSeverityCounts: { CRITICAL: 2, LOW: 1 }, findings: [] },
    };
    const posted = await fetch(`${emulatorEndpoint}/moto-api/static/ecr/scan-finding-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ results: [result], region: 'us-east-1' }),
    });
    expect(posted.ok).toBe(true);
    await sdk.send(new StartImageScanCommand({ repositoryName: repository.name, imageId: { imageDigest: digest } }));
    expect(await ecr.scanReport(repository.name, digest, 0)).toEqual({
      status: 'COMPLETE',
      counts: { CRITICAL: 2, LOW: 1 },
    });
  });
});

describe('local scan (setScanFindings)', () => {
  it('sets the findings of every image of a version, which the scan gate then reads', async () => {
    const repository = await createRepository();
    const wsgi = await putImage(repository.name, '3.0.0-wsgi');
    const indexer = await putImage(repository.name, '3.0.0-indexer');
    const other = await putImage(repository.name, '3.0.1-wsgi');
    const images = await setScanFindings(emulatorEndpoint, repository.name, '3.0.0', { CRITICAL: 2, HIGH: 0 });
    expect(images.map((image) => image.digest).sort()).toEqual([wsgi, indexer].sort());
    for (const digest of [wsgi, indexer]) {
      expect(await ecr.scanReport(repository.name, digest, 0)).toEqual({ status: 'COMPLETE', counts: { CRITICAL: 2 } });
    }
    expect(await ecr.scanReport(repository.name, other, 0)).toEqual({ status: undefined, counts: {} });
    await expect(setScanFindings(emulatorEndpoint, repository.name, '9.9.9', {})).rejects.toThrow(
      `the emulator's ECR has no image of 9.9.9 in ${repository.name}`,
    );
  });

  it('plays an enhanced (Inspector) scan: ECR reports the image ACTIVE with its counts', async () => {
    const repository = await createRepository();
    const digest = await putImage(repository.name, '4.0.0');
    await setScanFindings(emulatorEndpoint, repository.name, '4.0.0', { HIGH: 3 }, 'enhanced');
    expect(await ecr.scanReport(repository.name, digest, 0)).toEqual({ status: 'ACTIVE', counts: { HIGH: 3 } });
  });
});
