import { configDefaults, defineConfig } from 'vitest/config';

const shared = {
  env: {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  },
};

/**
 * Unit files that change what the process shares (the environment, globals, stdout and the console,
 * SDK clients' prototypes) or build images, each in a module graph of its own; the rest share one.
 */
const UNIT_FILES_ISOLATED = [
  'test/unit/aws/codebuild.test.ts',
  'test/unit/aws/ecs.test.ts',
  'test/unit/aws/state-table.test.ts',
  'test/unit/bench/bundle-setup.test.ts',
  'test/unit/buildspec/buildspec.test.ts',
  'test/unit/api-client/sigv4.test.ts',
  'test/unit/config/runtime.test.ts',
  'test/unit/cli/console-command.test.ts',
  'test/unit/docker/**/*.test.ts',
  'test/unit/handlers/api-aws-failures.test.ts',
  'test/unit/handlers/event-handlers.test.ts',
  'test/unit/handlers/scan-and-hook-edges.test.ts',
  'test/unit/handlers/secrets-in-logs.test.ts',
];

/**
 * Integration files run one at a time within their project, so their AWS state does not interleave;
 * the projects' runs can go side by side (scripts/test.ts runs each project in its own vitest).
 */
const integration = {
  ...shared,
  setupFiles: ['test/support/conductor-env.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  fileParallelism: false,
};

/**
 * Files that share one local mode on conductor.yml (test/support/shared-local-mode-setup.ts), each
 * starting from a freshly seeded world.
 */
const SHARED_LOCAL_MODE_FILES = [
  'test/integration/api-contract.test.ts',
  'test/integration/api-http.test.ts',
  'test/integration/console.test.ts',
  'test/integration/local-mode.test.ts',
  'test/integration/local-rollout.test.ts',
  'test/integration/local-verbs.test.ts',
  'test/integration/public-flood.test.ts',
];

/**
 * Files that start a local mode of their own, and need no other emulator: on another config, or
 * behind a fault-injecting proxy for the Lambdas' AWS calls.
 */
const OWN_LOCAL_MODE_FILES = [
  'test/integration/api-throttling.test.ts',
  'test/integration/example-local-mode.test.ts',
  'test/integration/single-image-local-mode.test.ts',
];

/**
 * The release-gates example's local mode: it bakes, rolls wsgi out blue/green and drives Chromium, so it is
 * the longest of the own local modes and runs in the lane that frees first (after the unit tests). It
 * serves the example's test listener on the fixed 127.0.0.1:4100 while the README lane runs beside it,
 * so no block of the README or docs/ may take that port.
 */
const GATES_LOCAL_MODE_FILES = ['test/integration/release-gates-local-mode.test.ts'];

/** The README run as printed: its own `npm start` on the printed ports; the longest file, so a project of its own. */
const README_FILES = ['test/integration/readme.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT_FILES_ISOLATED],
          setupFiles: ['test/support/conductor-env.ts'],
          // One module graph for all: importing it again for each file was most of the unit tests' time.
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'unit-isolated',
          include: UNIT_FILES_ISOLATED,
          setupFiles: ['test/support/conductor-env.ts'],
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: [
            ...configDefaults.exclude,
            ...SHARED_LOCAL_MODE_FILES,
            ...OWN_LOCAL_MODE_FILES,
            ...GATES_LOCAL_MODE_FILES,
            ...README_FILES,
          ],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        test: {
          ...integration,
          name: 'shared-local-mode',
          include: SHARED_LOCAL_MODE_FILES,
          globalSetup: ['test/support/shared-local-mode-setup.ts'],
        },
      },
      { test: { ...integration, name: 'own-local-mode', include: OWN_LOCAL_MODE_FILES } },
      { test: { ...integration, name: 'gates-local-mode', include: GATES_LOCAL_MODE_FILES } },
      { test: { ...integration, name: 'readme', include: README_FILES } },
    ],
  },
});
