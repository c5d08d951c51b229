import { InvalidArgumentError, type Command } from 'commander';
import type * as z from 'zod';
import { DEFAULT_HOLD_MINUTES, endHoldViewSchema, scaleViewSchema } from '../contract/api.js';
import { confirmed, CONFIRM_HELP, integer, path, type CommandKit } from './command-kit.js';
import { renderFields, wrap } from './render.js';
import { humanTime, plural } from './words.js';

const HOLD_HELP = [
  '',
  `A manual scale holds the count: the autoscaler leaves the service at COUNT for ${DEFAULT_HOLD_MINUTES} minutes`,
  '(or --hold-minutes), then follows the queue again. With --hold-minutes 0 the count is set with no hold',
  '(and a hold in force ends): the autoscaler may change it at its next pass, within a minute.',
  '--release (without COUNT) ends a hold now and leaves the count as it is until the autoscaler acts.',
].join('\n');

type Hold = NonNullable<z.output<typeof scaleViewSchema>['hold']>;
const held = (hold: Hold) => `${plural(hold.desiredCount, 'task')} until ${humanTime(hold.until)} (by ${hold.by})`;

function renderScale(reply: unknown, invoked: string): string {
  const view = scaleViewSchema.safeParse(reply);
  if (!view.success) return renderFields(reply);
  const { environment, service, desiredCount, hold } = view.data;
  const set = `${environment} ${service}: desired ${plural(desiredCount, 'task')}`;
  return hold
    ? `${wrap(`${set}, held at ${held(hold)}`)}\nend the hold sooner: ${invoked} scale ${environment} ${service} --release\n`
    : `${wrap(`${set}, no hold: the autoscaler may change it at its next pass`)}\n`;
}

function renderEndedHold(reply: unknown): string {
  const view = endHoldViewSchema.safeParse(reply);
  if (!view.success) return renderFields(reply);
  const { environment, service, ended } = view.data;
  return ended
    ? `${environment} ${service}: ended the hold at ${held(ended)}; the autoscaler decides its count again\n`
    : `${environment} ${service} had no hold: nothing to end\n`;
}

/** `scale ENV SERVICE COUNT` sets and holds a count; `scale ENV SERVICE --release` ends the hold. */
export function addScaleCommand(program: Command, { run, print, invoked }: CommandKit): void {
  const scale = program
    .command('scale')
    .description('set a queue-driven service’s desired task count, holding it against the autoscaler')
    .argument('<env>', 'environment name')
    .argument('<service>', 'service key from the config, e.g. ingester')
    .argument('[count]', 'desired task count', integer(0, 'COUNT'))
    .option(
      '--hold-minutes <minutes>',
      `keep the autoscaler off the count for this long (default ${DEFAULT_HOLD_MINUTES}); 0 sets it with no hold`,
      integer(0, '--hold-minutes'),
    )
    .option('--release', 'end the service’s hold now: the autoscaler decides its count again')
    .option('--confirm <env>', CONFIRM_HELP)
    .addHelpText('after', HOLD_HELP);
  scale.action(
    (
      env: string,
      service: string,
      count: number | undefined,
      local: { holdMinutes?: number; release?: boolean; confirm?: string },
    ) =>
      run(scale, async (client, options) => {
        const servicePath = path('environments', env, 'services', service);
        if (local.release) {
          if (count !== undefined) throw new InvalidArgumentError('--release takes no COUNT');
          const { body } = await client.request('DELETE', `${servicePath}/hold`);
          return print(options, body, renderEndedHold);
        }
        if (count === undefined) throw new InvalidArgumentError('give a COUNT, or --release to end a hold');
        const { body } = await client.request('POST', `${servicePath}/scale`, {
          body: {
            desiredCount: count,
            ...(local.holdMinutes === undefined ? {} : { holdMinutes: local.holdMinutes }),
            ...confirmed(local),
          },
        });
        return print(options, body, (reply) => renderScale(reply, invoked));
      }),
  );
}
