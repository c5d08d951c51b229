import { api, apiPath } from '../api.js';
import type { QueueStatus } from '../api-types.js';
import { isProduction } from '../production.js';
import { serves, useSession } from '../session-context.js';
import { ActionButton, ConfirmDialog } from './confirm-dialog.js';

/**
 * Actions the API is getting (issue 16: end a hold; issue 14: run the routine redeploy now). Each is
 * offered only once the API's OpenAPI document lists its route.
 */
export const END_HOLD_ROUTE = '/environments/{env}/services/{service}/hold';

export function EndHoldAction(props: { environment: string; queue: QueueStatus; onDone: () => void }) {
  const session = useSession();
  if (!props.queue.hold || !serves(session, 'DELETE', END_HOLD_ROUTE)) return null;
  const run = async () => {
    await api('DELETE', `${apiPath('environments', props.environment, 'services', props.queue.service)}/hold`);
    props.onDone();
  };
  return (
    <ActionButton
      label="End hold…"
      dialog={(close) => (
        <ConfirmDialog
          title={`End the hold on ${props.queue.service}`}
          confirmLabel="End the hold"
          onClose={close}
          onConfirm={run}
          typeToConfirm={isProduction(props.environment) ? props.environment : undefined}
        >
          <p>The autoscaler follows the queue again from its next check.</p>
        </ConfirmDialog>
      )}
    />
  );
}

/** The API's route that re-runs the routine deployment task now, if it has one. */
function routineRoute(routes: { method: string; path: string }[]): string | undefined {
  return routes.find(
    (route) => route.method === 'POST' && /^\/environments\/\{env\}\/[\w-]*(redeploy|rerun)[\w-]*$/.test(route.path),
  )?.path;
}

export function RoutineRedeployAction(props: { environment: string; onDone: () => void }) {
  const session = useSession();
  const route = routineRoute(session.routes);
  if (!route) return null;
  const run = async () => {
    await api('POST', route.replace('{env}', encodeURIComponent(props.environment)), {});
    props.onDone();
  };
  return (
    <ActionButton
      label="Routine redeploy now…"
      dialog={(close) => (
        <ConfirmDialog
          title={`Run ${props.environment}'s routine deployment task now`}
          confirmLabel="Run it now"
          onClose={close}
          onConfirm={run}
          typeToConfirm={isProduction(props.environment) ? props.environment : undefined}
        >
          <p>Re-runs the routine deployment task of the running release (migrations, key rotation).</p>
        </ConfirmDialog>
      )}
    />
  );
}
