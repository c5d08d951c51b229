import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../../src/handlers/http/json-body.js';
import { httpEvent } from '../../support/http-event.js';

describe('parseJsonBody', () => {
  it.each([
    ['absent (API Gateway)', undefined],
    ['null (serverless-offline)', null],
    ['empty', ''],
  ])('reads a body that is %s as undefined, whatever the content type', (_name, body) => {
    const event = httpEvent('POST', '/environments/cgap-mastertest/rollback', {
      headers: { 'content-type': 'text/plain' },
    });
    // serverless-offline delivers `"body": null`, which the event type does not admit.
    (event as { body?: string | null }).body = body;
    expect(parseJsonBody(event)).toBeUndefined();
  });

  it('parses a JSON body', () => {
    const event = httpEvent('POST', '/x', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"version":"1.4.0"}',
    });
    expect(parseJsonBody(event)).toEqual({ version: '1.4.0' });
  });
});
