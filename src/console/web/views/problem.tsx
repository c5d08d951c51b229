import type { ApiProblem } from '../api.js';

/** An error as the API said it: status and code, message, each detail with its path, the request id. */
export function Problem({ problem, title }: { problem: ApiProblem | undefined; title?: string }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <strong>
        {title ? `${title}: ` : ''}
        {problem.status > 0 ? `${problem.status} ` : ''}
        {problem.code}
      </strong>{' '}
      {problem.message}
      {problem.details.length > 0 && (
        <ul>
          {problem.details.map((detail) => (
            <li key={detail.path}>
              <code>{detail.path}</code>: {detail.message}
            </li>
          ))}
        </ul>
      )}
      {problem.requestId && <div class="muted">request id {problem.requestId}</div>}
    </div>
  );
}
