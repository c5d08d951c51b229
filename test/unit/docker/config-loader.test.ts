import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAws, storeSecret } from './aws-fake.js';
import { Sandbox } from './sandbox.js';

// Quotes, spaces, a dollar and a newline: the value must reach the app byte for byte.
const PASSWORD = `p@ss 'wo"rd $HOME\nline2`;

describe('configuration from Secrets Manager (every entrypoint, shown with the deployment one)', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = new Sandbox();
    await fakeAws(sandbox);
    sandbox.stub('step', 'journal "step ran"');
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('exports the secret to the commands without ever printing a value', { timeout: 10_000 }, async () => {
    storeSecret(sandbox, { RDS_PASSWORD: PASSWORD, RDS_PORT: 5432, 'not-a-name': 'x' });
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/application',
      DEPLOYMENT_ACTIONS: 'printf %s "$RDS_PASSWORD" >"$SANDBOX/seen"; printf %s "$RDS_PORT" >"$SANDBOX/port"',
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(readFileSync(join(sandbox.dir, 'seen'), 'utf8')).toBe(PASSWORD);
    expect(readFileSync(join(sandbox.dir, 'port'), 'utf8')).toBe('5432');
    expect(sandbox.journal()).toEqual(['aws get-secret-value cgap-test/application']);
    expect(deployment.output()).toMatch(/loaded 2 settings from secret cgap-test\/application: RDS_PASSWORD, RDS_PORT/);
    expect(deployment.output()).toMatch(/skipping key 'not-a-name'/);
    expect(deployment.output()).not.toContain('p@ss');
  });

  it("renders the app's config file from its template, readable by the app user only", {
    timeout: 10_000,
  }, async () => {
    storeSecret(sandbox, { RDS_PASSWORD: PASSWORD });
    sandbox.file(
      'mastertest.ini',
      '[app:app]\nenv.name = ${ENV_NAME}\nsqlalchemy.url = postgresql://cgap:${RDS_PASSWORD}@db/cgap\n',
    );
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/application',
      ENV_NAME: 'cgap-test',
      APP_CONFIG_TEMPLATE: 'mastertest.ini',
      APP_CONFIG_FILE: 'production.ini',
      DEPLOYMENT_ACTIONS: 'true',
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    const rendered = join(sandbox.dir, 'production.ini');
    expect(readFileSync(rendered, 'utf8')).toBe(
      `[app:app]\nenv.name = cgap-test\nsqlalchemy.url = postgresql://cgap:${PASSWORD}@db/cgap\n`,
    );
    expect(statSync(rendered).mode & 0o777).toBe(0o600);
  });

  it('fails before running anything when the template needs a setting nobody provides', {
    timeout: 10_000,
  }, async () => {
    storeSecret(sandbox, {});
    sandbox.file('mastertest.ini', 'url = ${RDS_HOSTNAME}\n');
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/application',
      APP_CONFIG_TEMPLATE: 'mastertest.ini',
      APP_CONFIG_FILE: 'production.ini',
      DEPLOYMENT_ACTIONS: 'step',
    });

    expect(await deployment.exited).toMatchObject({ code: 1 });
    expect(deployment.output()).toMatch(/refers to settings that are not set: RDS_HOSTNAME/);
    expect(sandbox.journal()).toEqual(['aws get-secret-value cgap-test/application']);
  });

  it('names every setting the template needs and nobody provides, in one error', { timeout: 10_000 }, async () => {
    storeSecret(sandbox, { RDS_PASSWORD: PASSWORD });
    sandbox.file(
      'app.ini',
      'a = ${APP_VERSION}\nb = ${RDS_PASSWORD}\nc = ${ES_SERVER}\nd = ${APP_VERSION}${INDEXER}\n',
    );
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/application',
      APP_CONFIG_TEMPLATE: 'app.ini',
      APP_CONFIG_FILE: 'production.ini',
      DEPLOYMENT_ACTIONS: 'step',
    });

    expect(await deployment.exited).toMatchObject({ code: 1 });
    const errors = deployment.output().match(/refers to settings that are not set: .*/g);
    expect(errors).toHaveLength(1);
    expect(errors?.[0]).toMatch(/not set: APP_VERSION, ES_SERVER, INDEXER \(.*or set CONFIGURE_COMMAND/);
    expect(sandbox.journal()).not.toContain('step ran');
  });

  it("runs the app's own configuration step instead of the renderer, with the secret in its environment", {
    timeout: 10_000,
  }, async () => {
    storeSecret(sandbox, { RDS_HOSTNAME: 'db.internal' });
    sandbox.file('app.ini', 'a = ${APP_VERSION}\n');
    sandbox.stub('assume-identity', 'journal "configured with $RDS_HOSTNAME"; echo "[app:app]" >production.ini');
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/application',
      APP_CONFIG_TEMPLATE: 'app.ini',
      APP_CONFIG_FILE: 'production.ini',
      CONFIGURE_COMMAND: 'assume-identity --for "$IDENTITY"',
      DEPLOYMENT_ACTIONS: 'step',
    });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toEqual([
      'aws get-secret-value cgap-test/application',
      'configured with db.internal',
      'step ran',
    ]);
    expect(readFileSync(join(sandbox.dir, 'production.ini'), 'utf8')).toBe('[app:app]\n');
    expect(deployment.output()).toMatch(/configuring with the app's own step: assume-identity/);
  });

  it('stops with the status of a failing configuration step, before any command', { timeout: 10_000 }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      CONFIGURE_COMMAND: 'echo "PermissionError: production.ini" >&2; exit 4',
      DEPLOYMENT_ACTIONS: 'step',
    });

    expect(await deployment.exited).toMatchObject({ code: 4 });
    expect(deployment.output()).toMatch(
      /PermissionError: production.ini[\s\S]*configuration step failed with status 4/,
    );
    expect(sandbox.journal()).toEqual([]);
  });

  it('fails before running anything when the secret cannot be read', { timeout: 10_000 }, async () => {
    const deployment = sandbox.start('entrypoint_deployment.sh', {
      IDENTITY: 'cgap-test/missing',
      DEPLOYMENT_ACTIONS: 'step',
    });

    expect(await deployment.exited).toMatchObject({ code: 1 });
    expect(deployment.output()).toMatch(/reading secret cgap-test\/missing failed/);
    expect(sandbox.journal()).toEqual(['aws get-secret-value cgap-test/missing']);
  });

  it("passes the secret's name to CGAP's load-access-keys", { timeout: 10_000 }, async () => {
    storeSecret(sandbox, { ENCODED_ENV_NAME: 'cgap-test' });
    sandbox.stub('poetry', 'journal "poetry $*"');
    const deployment = sandbox.start('entrypoint_deployment.sh', { IDENTITY: 'cgap-test/application' });

    expect(await deployment.exited).toMatchObject({ code: 0 });
    expect(sandbox.journal()).toContain(
      'poetry run load-access-keys production.ini --app-name app --secret-name cgap-test/application',
    );
  });
});
