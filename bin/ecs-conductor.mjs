#!/usr/bin/env node
// The CLI is TypeScript; tsx loads it without a build step.
import { register } from 'tsx/esm/api';

register();
// The SDK warns that Node 20 loses support in 2027 whenever a client is made (the local verbs make
// some): noise in a CLI's output, as in npm start's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
