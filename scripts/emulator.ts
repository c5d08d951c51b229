/**
 * `npm run emulator [-- --port 5000 --config conductor.yml --stage local]`: runs moto server on
 * 127.0.0.1, seeded from the conductor config (--config, else CONDUCTOR_CONFIG, else ./conductor.yml),
 * with the CloudFormation stacks it names, in the foreground until Ctrl-C.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConductorDocument } from '../src/config/file.js';
import { parseConductorConfig } from '../src/config/load.js';
import { withStackStandIns } from '../src/config/stack-stand-ins.js';
import { startEmulator } from './lib/emulator.js';
import { portOption, runMain, untilStopSignal } from './lib/process.js';
import { describeSeed, seedEmulator } from './lib/seed.js';
import { describeNames, localConfig } from './lib/stacks.js';
import { ensureVenv, PROJECT_ROOT } from './lib/venv.js';

async function main(): Promise<void> {
  const { values: options } = parseArgs({
    options: {
      port: { type: 'string' },
      config: { type: 'string', default: process.env.CONDUCTOR_CONFIG || join(PROJECT_ROOT, 'conductor.yml') },
      stage: { type: 'string', default: 'local' },
    },
  });
  const port = portOption(
    options.port ?? process.env.EMULATOR_PORT,
    'the emulator port (--port or EMULATOR_PORT)',
    5000,
  );
  parseConductorConfig(withStackStandIns(readConductorDocument(options.config)));
  // The SDK warns that Node 20 loses support in 2027; noise in this script's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Listening from the start, so that a Ctrl-C while seeding still stops moto.
  const stopSignal = untilStopSignal();
  ensureVenv();
  // Its own process group: Ctrl-C reaches this script only, which stops moto.
  const emulator = await startEmulator({ port, detached: true });
  try {
    const started = Date.now();
    const { config, stacks, names } = await localConfig(emulator.endpoint, options.config, 'us-east-1');
    const resources = await seedEmulator(emulator.endpoint, config, { stage: options.stage });
    console.log(`Seeded ${emulator.endpoint} from ${options.config} in ${Date.now() - started} ms:`);
    console.log([...describeSeed([...stacks, ...resources]), ...describeNames(names)].join('\n'));
    console.log(`\nAWS emulator (moto) running on ${emulator.endpoint}; Ctrl-C stops it.`);
    const signal = await Promise.race([stopSignal, emulator.exited.then(() => undefined)]);
    if (signal === undefined) throw new Error('moto server exited by itself');
  } finally {
    await emulator.stop();
  }
  process.exit(0);
}

runMain(main);
