import type { NamedEnvironment } from '../../domain/environment.js';
import { HttpError } from '../http/http-error.js';

/**
 * A production environment (`production: true` in the config) is changed only by a request that
 * repeats its name in `confirm`: deploy, rollback, abort and scale, from the CLI, the console or a script.
 */
export function requireProductionConfirmation(
  { name, env }: NamedEnvironment,
  confirm: string | undefined,
  action: 'deploy' | 'roll back' | 'scale' | 'abort',
): void {
  if (!env.production || confirm === name) return;
  throw new HttpError(422, 'CONFIRMATION_REQUIRED', `${name} is production: to ${action}, confirm with its name`, [
    { path: 'body.confirm', message: `must be "${name}": ${name} is production` },
  ]);
}
