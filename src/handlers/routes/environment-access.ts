import type { Context } from 'aws-lambda';
import type { AccessAction, ConductorConfig } from '../../config/schema.js';
import { ownEntry, type NamedEnvironment } from '../../config/lookup.js';
import { mayPerform } from '../../domain/access.js';
import { HttpError, notFound } from '../http/http-error.js';
import { callerOf, type ApiContext } from '../http/request-context.js';

/** The environment a route names, once the caller is known to be allowed `action` on it (404, 403 otherwise). */
export function environmentFor(
  config: ConductorConfig,
  name: string | undefined,
  action: AccessAction,
  context: Context,
): NamedEnvironment {
  const env = name === undefined ? undefined : ownEntry(config.environments, name);
  if (name === undefined || !env) throw notFound(`environment "${name ?? ''}"`);
  (context as ApiContext).environment = name;
  const { principal } = callerOf(context);
  if (!mayPerform(env, action, principal)) {
    throw new HttpError(403, 'FORBIDDEN', `${principal} may not ${action} in environment ${name}`);
  }
  return { name, env };
}
