import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../test/support/serverless.js';

/** A Lambda function serverless.yml declares, and the handler source esbuild bundles for it. */
export interface LambdaFunction {
  /** serverless.yml's function name, e.g. `onImagePush`. */
  name: string;
  /** The handler's source, e.g. `src/handlers/on-image-push.ts`. */
  source: string;
}

/** Every function in serverless.yml, by name; `handler: src/handlers/api.handler` → `src/handlers/api.ts`. */
export function lambdaFunctions(file = join(PROJECT_ROOT, 'serverless.yml')): LambdaFunction[] {
  const { functions } = parse(readFileSync(file, 'utf8')) as { functions: Record<string, { handler: string }> };
  return Object.entries(functions)
    .map(([name, { handler }]) => ({ name, source: `${handler.replace(/\.[^./]+$/, '')}.ts` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
