/**
 * Where the scaling history is served, apart from its schemas (src/contract/scaling-history.ts) so
 * that the console's browser bundle can name the route without carrying zod.
 */
export const SCALING_HISTORY_PATH = '/environments/{env}/services/{service}/scaling-history';

/** How long the hourly items live (DynamoDB TTL), and so the longest history the route can serve. */
export const SCALING_HISTORY_RETENTION_HOURS = 7 * 24;
