import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { alarmsWatchedIn } from '../domain/alarm-watch.js';
import { actOnAlarm } from '../use-cases/act-on-alarm.js';
import { eventEdge } from './events/edge.js';
import { idempotentOn } from './events/idempotency.js';
import { cloudWatchAlarmStateChangeEvent } from './events/schemas.js';
import { logger } from './observability.js';
import { config, rolloutPorts } from './wiring.js';

type AlarmEvent = z.output<typeof cloudWatchAlarmStateChangeEvent>;

/** Only ALARM acts (the rule asks for no other state); an alarm no deploy watches stops here too. */
function irrelevant({ detail }: AlarmEvent) {
  const alarm = detail.alarmName;
  const state = detail.state.value;
  if (state !== 'ALARM') return { alarm, state, reason: `${state} is not ALARM` };
  const watched = Object.values(config.environments).some((env) => alarmsWatchedIn(env).includes(alarm));
  return watched ? undefined : { alarm, state, reason: 'no environment watches this alarm' };
}

/**
 * A watched alarm went to ALARM: the release deploying or baking with it watched fails and rolls back
 * now, through the alarm watch reconcile's one-minute tick also runs (it covers a lost event).
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(eventEdge(cloudWatchAlarmStateChangeEvent, irrelevant))
  .use(idempotentOn('[detail.alarmName, detail.state.value, detail.state.timestamp]'))
  .handler(async (raw: unknown, context: Context) => {
    const { alarmName, state } = (raw as AlarmEvent).detail;
    const acted = await actOnAlarm(rolloutPorts(context.awsRequestId), config.environments, alarmName);
    logger.info('alarm state change acted on', { alarm: alarmName, since: state.timestamp, releases: acted });
    return { outcome: 'handled', alarm: alarmName, releases: acted };
  });
