import type { Command } from 'commander';
import {
  adoptionViewSchema,
  deployPlanSchema,
  releaseBuildsViewSchema,
  rollbackViewSchema,
  rolloutViewSchema,
} from '../contract/api.js';
import type { Mark } from './colour.js';
import { confirmed, CONFIRM_HELP, path, type ApiCall, type CommandKit } from './command-kit.js';
import { renderDeployPlan } from './render-deploy-plan.js';
import { renderAdoption, renderBuildReply, renderFields } from './render.js';
import { renderRollout } from './render-rollout.js';

/** The commands that act on releases: build, deploy, rollback, abort, redeploy, adopt. */
export function addReleaseCommands(program: Command, { run, print, asRelease, invoked }: CommandKit): void {
  /** A rollout's reply with its plan; an API without plans answers as a release. */
  const asRollout = (reply: unknown, mark: Mark) => {
    const view = rolloutViewSchema.safeParse(reply);
    return view.success ? renderRollout(view.data, invoked, mark) : asRelease(reply, mark);
  };

  /** What deploying `version` would change, asked of the API's read-only plan route; nothing is deployed. */
  const planOf =
    (env: string, version: string, task: string | undefined): ApiCall =>
    async (client, options) => {
      const { body } = await client.request('GET', `${path('environments', env)}/deployments/plan`, {
        query: { version, task },
      });
      return print(options, body, (reply) => {
        const view = deployPlanSchema.safeParse(reply);
        return view.success ? renderDeployPlan(view.data, invoked) : renderFields(reply);
      });
    };

  const diff = program
    .command('diff')
    .description('what deploying a version would change: images, container settings, steps, gates (no writes)')
    .argument('<env>', 'environment name')
    .argument('<version>', 'a built version')
    .option('--task <name>', 'plan with this deployment task instead of the routine one');
  diff.action((env: string, version: string, local: { task?: string }) => run(diff, planOf(env, version, local.task)));

  const build = program
    .command('build')
    .description('build a version: one CodeBuild build per entrypoint, as pushing its source image does')
    .argument('<env>', 'environment name')
    .argument('<version>', 'the source image tag, e.g. 1.4.0')
    .option('--entrypoint <name...>', 'only these entrypoints');
  build.action((env: string, version: string, local: { entrypoint?: string[] }) =>
    run(build, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/builds`, {
        body: { version, ...(local.entrypoint ? { entrypoints: local.entrypoint } : {}) },
      });
      return print(options, body, (reply, mark) => {
        const view = releaseBuildsViewSchema.safeParse(reply);
        return view.success ? renderBuildReply(view.data, invoked, mark) : renderFields(reply);
      });
    }),
  );

  const deploy = program
    .command('deploy')
    .description('roll a built version out: services and the deployment task, in the environment’s order')
    .argument('<env>', 'environment name')
    .argument('<version>', 'a built version')
    .option(
      '--task <name>',
      'run this deployment task instead of the routine one (e.g. a destructive initial deployment)',
    )
    .option('--confirm <env>', CONFIRM_HELP)
    .option('--override <reason>', 'pass refusing release gates anyway, with the reason (gates.override list)')
    .option('--dry-run', 'print what the deploy would change (as `diff` does) and deploy nothing');
  type DeployOptions = { task?: string; confirm?: string; override?: string; dryRun?: boolean };
  deploy.action((env: string, version: string, local: DeployOptions) =>
    run(deploy, async (client, options) => {
      if (local.dryRun) return planOf(env, version, local.task)(client, options);
      const { body } = await client.request('POST', `${path('environments', env)}/deployments`, {
        body: {
          version,
          ...(local.task === undefined ? {} : { task: local.task }),
          ...confirmed(local),
          ...(local.override === undefined ? {} : { override: { reason: local.override } }),
        },
      });
      return print(options, body, asRollout);
    }),
  );

  const rollback = program
    .command('rollback')
    .description('roll the environment back to the release that ran before the one its services run')
    .argument('<env>', 'environment name')
    .option('--confirm <env>', CONFIRM_HELP);
  rollback.action((env: string, local: { confirm?: string }) =>
    run(rollback, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/rollback`, {
        body: confirmed(local),
      });
      return print(options, body, (reply, mark) => {
        const view = rollbackViewSchema.pick({ summary: true }).safeParse(reply);
        return `${view.success ? `${view.data.summary}\n` : ''}${asRollout(reply, mark)}`;
      });
    }),
  );

  const abort = program
    .command('abort')
    .description('stop the release rolling out now: ECS rolls its service deployments back, its task stops')
    .argument('<env>', 'environment name')
    .option('--reason <text>', 'why, for the release’s failure, timeline and notices')
    .option('--confirm <env>', CONFIRM_HELP);
  abort.action((env: string, local: { reason?: string; confirm?: string }) =>
    run(abort, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/abort`, {
        body: { ...(local.reason === undefined ? {} : { reason: local.reason }), ...confirmed(local) },
      });
      return print(options, body, asRelease);
    }),
  );

  const redeploy = program
    .command('redeploy')
    .description('run the routine deployment task of the release the environment runs, now')
    .argument('<env>', 'environment name');
  redeploy.action((env: string) =>
    run(redeploy, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/redeploy`, { body: {} });
      return print(options, body, asRollout);
    }),
  );

  const adopt = program
    .command('adopt')
    .description('record what the environment runs now as its baseline release (changes nothing in ECS)')
    .argument('<env>', 'environment name');
  adopt.action((env: string) =>
    run(adopt, async (client, options) => {
      const { body } = await client.request('POST', `${path('environments', env)}/adopt`, { body: {} });
      return print(options, body, (reply) => {
        const adoption = adoptionViewSchema.safeParse(reply);
        return adoption.success ? renderAdoption(adoption.data) : renderFields(reply);
      });
    }),
  );
}
