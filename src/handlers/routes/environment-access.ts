import type { Context } from 'aws-lambda';
import type { ConductorConfig } from '../../config/schema.js';
import { actorMay, type Actor } from '../../domain/access.js';
import { HttpError, notFound } from '../http/http-error.js';
import { callerOf, type ApiContext } from '../http/request-context.js';
import { type AccessAction, ownEntry, type NamedEnvironment } from '../../domain/environment.js';

/** 404 naming the environments the caller may read (and no others: their names are not everyone's). */
function unknownEnvironment(config: ConductorConfig, name: string, caller: Actor): HttpError {
  const readable = Object.entries(config.environments)
    .filter(([, env]) => actorMay(caller, env, 'read'))
    .map(([known]) => known);
  const error = notFound(`environment "${name}"`);
  const known = readable.length > 0 ? `known environments: ${readable.join(', ')}` : 'you may read no environment';
  return new HttpError(404, error.code, error.message, [{ path: 'env', message: known }]);
}

/** The environment a route names, once the caller is known to be allowed `action` on it (404, 403 otherwise). */
export function environmentFor(
  config: ConductorConfig,
  name: string | undefined,
  action: AccessAction,
  context: Context,
): NamedEnvironment {
  const env = name === undefined ? undefined : ownEntry(config.environments, name);
  const caller = callerOf(context);
  if (name === undefined || !env) throw unknownEnvironment(config, name ?? '', caller);
  (context as ApiContext).environment = name;
  if (!actorMay(caller, env, action)) {
    throw new HttpError(403, 'FORBIDDEN', `${caller.principal} may not ${action} in environment ${name}`);
  }
  return { name, env };
}
