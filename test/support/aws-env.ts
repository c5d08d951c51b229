import { inject } from 'vitest';

/**
 * Points the SDK's standard variables at the run's emulator, as an operator would point them at AWS.
 * Import this first in integration test files so adapters' module-scope clients pick it up.
 */
const endpoint = inject('emulatorEndpoint');
process.env.AWS_ENDPOINT_URL = endpoint;
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

export const emulatorEndpoint = endpoint;
