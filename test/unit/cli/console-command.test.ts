import { createServer } from 'node:net';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addApiCommands, type CliIo } from '../../../src/cli/api-commands.js';
import { assetSizes, buildConsoleAssets } from '../../../src/console/bundle.js';
import { addConsoleCommand } from '../../../src/cli/console-command.js';
import { startLocalConsole } from '../../../src/console/start.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('ecs-conductor console', () => {
  it('serves the page on the asked port of 127.0.0.1, prints its URL with the key, and stops when told', async () => {
    let output = '';
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolveStop) => (stop = resolveStop));
    const write = (text: string) => {
      output += text;
    };
    const io = { write, writeError: write, env: {} };
    const program = new Command('ecs-conductor').exitOverride();
    addApiCommands(program, io as unknown as CliIo);
    addConsoleCommand(program, io as unknown as CliIo, () => stopped);
    const running = program.parseAsync(['node', 'ecs-conductor', '--token', 't', 'console', '--port', '0']);
    await vi.waitFor(
      () => {
        expect(output).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/#key=[\w-]{32}\n/);
      },
      { timeout: 10_000 },
    );
    expect(output).toContain('ecs-conductor console for http://127.0.0.1:3000');
    const origin = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1] ?? '';
    const page = await fetch(`${origin}/`);
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    stop();
    await running;
    expect(program.getOptionValue('exitCode')).toBe(0);
    await expect(fetch(`${origin}/`)).rejects.toThrow();
  });

  it('leaves local mode running when its port is taken, and says how to move it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(0, '127.0.0.1', resolveListen));
    const address = blocker.address();
    vi.stubEnv('CONDUCTOR_CONSOLE_PORT', String(typeof address === 'object' && address ? address.port : 0));
    const local = await startLocalConsole({ baseUrl: 'http://127.0.0.1:3000', token: 't' }, 'conductor.yml');
    expect(local.line).toMatch(
      /^not started: cannot serve the console on 127\.0\.0\.1:\d+: .*EADDRINUSE.*\(set CONDUCTOR_CONSOLE_PORT\)$/,
    );
    await local.close();
    await new Promise((resolveClose) => blocker.close(resolveClose));
  });

  it('bundles the web app within its budget, with nothing to fetch from elsewhere', async () => {
    const assets = await buildConsoleAssets();
    const sizes = assetSizes(assets);
    // Measured 102 kB minified (uPlot 52, Preact 14, the app 36) and 44 kB gzip; budget about +8 %.
    expect(sizes.js).toBeLessThan(110_000);
    expect(sizes.gzip).toBeLessThan(48_000);
    const urls = new Set(assets.js.match(/https?:\/\/[\w./-]+/g));
    // Only SVG's namespace, and links to logs in the AWS console that a person may click: none is fetched.
    expect(
      [...urls].filter((url) => !/^(http:\/\/www\.w3\.org\/|https:\/\/console\.aws\.amazon\.com\/)/.test(url)),
    ).toEqual([]);
  });
});
