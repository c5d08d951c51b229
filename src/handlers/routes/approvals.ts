import type { ConductorConfig } from '../../config/schema.js';
import { approvalAnswerSchema, releaseViewSchema } from '../../contract/releases.js';
import type { Release } from '../../domain/release.js';
import type { ApprovalAnswer } from '../../use-cases/approve-release.js';
import { parseJsonBody } from '../http/json-body.js';
import { callerOf } from '../http/request-context.js';
import { jsonResponse } from '../http/responses.js';
import { validRequest } from '../http/validation.js';
import { environmentFor } from './environment-access.js';
import { refusingAsHttp } from './refusals.js';
import type { ApiRouteSpec } from './route.js';
import type { NamedEnvironment } from '../../domain/environment.js';

export interface ApprovalRouteDeps {
  config: ConductorConfig;
  approve: (target: NamedEnvironment, answer: ApprovalAnswer) => Promise<Release>;
  reject: (target: NamedEnvironment, answer: ApprovalAnswer) => Promise<Release>;
}

/**
 * An answer to a deploy waiting at the approval gate. The route lets in readers of the environment;
 * the gate's own `approve` list (and four eyes) decides who may answer (domain/approval.ts).
 */
function answerRoute(
  deps: ApprovalRouteDeps,
  spec: { path: string; summary: string; status: number; description: string },
  answer: ApprovalRouteDeps['approve'],
): ApiRouteSpec {
  return {
    method: 'POST',
    path: spec.path,
    summary: spec.summary,
    access: 'read',
    body: approvalAnswerSchema,
    responses: {
      [spec.status]: { description: spec.description, schema: releaseViewSchema },
      403: { description: 'The caller is not on the approve list, or asked for the deploy (four eyes)' },
      409: { description: 'No deploy of the version awaits approval' },
    },
    handler: async (event, context) => {
      const target = environmentFor(deps.config, event.pathParameters?.env, 'read', context);
      const body = validRequest(approvalAnswerSchema, parseJsonBody(event));
      const answered = await refusingAsHttp(
        answer(target, { ...body, principal: callerOf(context).principal, requestId: context.awsRequestId }),
      );
      return jsonResponse(spec.status, answered, context.awsRequestId, { location: `/releases/${answered.id}` });
    },
  };
}

/** Approve (the deploy rolls out) and reject (the release goes back to where it was). */
export function approvalRoutes(deps: ApprovalRouteDeps): ApiRouteSpec[] {
  return [
    answerRoute(
      deps,
      {
        path: '/environments/{env}/approvals',
        summary: 'Approve a deploy waiting at the approval gate: it rolls out',
        status: 202,
        description: 'The release, now rolling out',
      },
      deps.approve,
    ),
    answerRoute(
      deps,
      {
        path: '/environments/{env}/rejections',
        summary: 'Reject a deploy waiting at the approval gate: the release goes back to where it was',
        status: 200,
        description: 'The release, no longer waiting',
      },
      deps.reject,
    ),
  ];
}
