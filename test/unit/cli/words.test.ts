import { describe, expect, it } from 'vitest';
import { colourError, colourStates, colourWanted, stateMarks } from '../../../src/cli/colour.js';
import { asInvoked, flagFor, humanTime, invokedAs, plural, printable } from '../../../src/cli/words.js';

describe('the CLI’s words', () => {
  it('counts in the singular for one', () => {
    expect([plural(0, 'task'), plural(1, 'task'), plural(2, 'task')]).toEqual(['0 tasks', '1 task', '2 tasks']);
  });

  it('shows times to the second, without milliseconds', () => {
    expect(humanTime('2026-11-25T15:04:05.123Z')).toBe('2026-11-25 15:04:05 UTC');
    expect(humanTime('soon')).toBe('soon');
  });

  it('repeats how the CLI was invoked in hints', () => {
    expect(invokedAs({ npm_command: 'exec' })).toBe('npx ecs-conductor');
    expect(invokedAs({})).toBe('ecs-conductor');
    expect(asInvoked('run ecs-conductor build e 1.4.0', 'npx ecs-conductor')).toBe(
      'run npx ecs-conductor build e 1.4.0',
    );
  });

  it('names API fields as flags and arguments', () => {
    expect(
      ['body.confirm', 'body.holdMinutes', 'body.entrypoints.2', 'query.limit', 'body.other'].map(flagFor),
    ).toEqual(['--confirm', '--hold-minutes', '--entrypoint', '--limit', 'body.other']);
  });
});

describe('colour', () => {
  const reply = 'release rel-1: e 1.4.0 FAILED — build wsgi failed\n  wsgi  SUCCEEDED\n';

  it('colours states and marks errors on a terminal', () => {
    const wanted = colourWanted({ isTTY: true, env: {} });
    expect(colourStates(reply, wanted)).toContain('\x1b[31mFAILED\x1b[0m');
    expect(colourStates(reply, wanted)).toContain('\x1b[32mSUCCEEDED\x1b[0m');
    expect(colourError('error: 401 UNAUTHENTICATED: no credentials\n', wanted).startsWith('\x1b[31m✖\x1b[0m ')).toBe(
      true,
    );
  });

  it('puts a symbol before each state on a terminal: ✔ done, ✖ failed, ● under way', () => {
    const mark = stateMarks(colourWanted({ isTTY: true, env: {} }));
    expect(['COMPLETED', 'SUCCEEDED', 'BUILT', 'FAILED', 'ROLLED_BACK', 'DEPLOYING', 'IN_PROGRESS'].map(mark)).toEqual([
      '✔ COMPLETED',
      '✔ SUCCEEDED',
      '✔ BUILT',
      '✖ FAILED',
      '✖ ROLLED_BACK',
      '● DEPLOYING',
      '● IN_PROGRESS',
    ]);
    expect(mark('last release 1.3.9 COMPLETED')).toBe('last release 1.3.9 ✔ COMPLETED');
    expect(mark('ACTIVE')).toBe('ACTIVE');
    // The symbol takes the state's colour.
    expect(colourStates(mark('FAILED'), true)).toBe('\x1b[31m✖ FAILED\x1b[0m');
  });

  it('keeps text plain when piped, under NO_COLOR, or on a dumb terminal', () => {
    for (const io of [
      { isTTY: false, env: {} },
      { isTTY: true, env: { NO_COLOR: '1' } },
      { isTTY: true, env: { TERM: 'dumb' } },
    ]) {
      expect(colourStates(reply, colourWanted(io))).toBe(reply);
      expect(stateMarks(colourWanted(io))(reply)).toBe(reply);
    }
  });
});

describe('printable', () => {
  it('shows control characters from AWS or a user as \\xNN, keeping the rest', () => {
    expect(printable('exit 3\x1b[31m red\x07 é')).toBe('exit 3\\x1b[31m red\\x07 é');
  });
});
