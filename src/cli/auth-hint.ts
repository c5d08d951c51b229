import { ApiError, authScheme, type ApiClientOptions } from '../api-client/api-client.js';

/**
 * What to check after a 401, from what this CLI sent: the URL it called (a changed port reads as a
 * wrong token otherwise) and where its credentials came from. Empty for anything but a 401.
 */
export function unauthenticatedHint(error: unknown, sent: ApiClientOptions, tokenFlag: boolean): string {
  if (!(error instanceof ApiError) || error.status !== 401) return '';
  const { baseUrl, token } = sent;
  const source = tokenFlag ? '--token' : 'CONDUCTOR_API_TOKEN';
  switch (authScheme(sent.auth ?? 'auto', token, new URL(baseUrl))) {
    case 'token':
      return `  sent the token from ${source} to ${baseUrl}: is it this API's token, and the API's URL (--api or CONDUCTOR_API_URL)?\n`;
    case 'sigv4':
      return `  sent a SigV4-signed request to ${baseUrl}: check the AWS credentials and region (--region or AWS_REGION)\n`;
    default:
      return `  sent no token to ${baseUrl}: set CONDUCTOR_API_TOKEN or pass --token\n`;
  }
}
