import { Logger } from '@aws-lambda-powertools/logger';

/** One logger for every handler: structured JSON, service name from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger({ serviceName: 'ecs-conductor' });
