import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(SRC, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

/** The src folders a file imports from (`aws`, `domain`, ...), and npm packages by name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/from '([^']+)'/g)].map(([, target = '']) =>
    target.startsWith('.') ? (relative(SRC, join(SRC, file, '..', target)).split('/')[0] ?? '') : target,
  );
}

describe('the layering', () => {
  it.each([
    ['domain', ['aws', 'handlers', 'use-cases', 'packaging', 'cli', '@aws-sdk/']],
    ['use-cases', ['aws', 'handlers', 'packaging', 'cli', '@aws-sdk/']],
  ])('src/%s imports no adapter, edge or AWS SDK', (folder, forbidden) => {
    const offending = sourceFiles(folder).flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((layer) => target === layer || target.startsWith(layer)))
        .map((target) => `${file} -> ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the composition root small and every handler file under 120 lines', () => {
    const lines = (file: string) => readFileSync(join(SRC, file), 'utf8').split('\n').length - 1;
    expect(lines('handlers/wiring.ts')).toBeLessThanOrEqual(100);
    const long = sourceFiles('handlers').filter((file) => lines(file) > 120);
    expect(long).toEqual([]);
  });
});
