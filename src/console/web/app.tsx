import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession } from './session.js';
import { ApiProblem, consoleSession, takeSessionKey } from './api.js';
import { usePage } from './router.js';
import { SessionContext } from './session-context.js';
import { EnvironmentPage } from './views/environment-page.js';
import { Overview } from './views/overview.js';
import { Problem } from './views/problem.js';
import { ReleasePage } from './views/release-page.js';

const AUTH_WORDS = { token: 'bearer token', sigv4: 'your AWS credentials (SigV4)', none: 'no credentials' };

export function App() {
  const [key] = useState(takeSessionKey);
  const [session, setSession] = useState<ConsoleSession | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const page = usePage();
  useEffect(() => {
    if (key)
      consoleSession<ConsoleSession>().then(setSession, (error: unknown) => {
        setProblem(error as ApiProblem);
      });
  }, [key]);
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          ecs-conductor
        </a>
        {session && (
          <span class="muted small">
            API {session.api.url} · {AUTH_WORDS[session.api.auth]}
          </span>
        )}
      </header>
      <main>
        {!key && <p role="alert">Open the console with the URL it printed: that link holds this session's key.</p>}
        <Problem
          problem={
            problem ?? (session?.error ? new ApiProblem(0, session.error.code, session.error.message) : undefined)
          }
        />
        {session && !session.error && (
          <SessionContext.Provider value={session}>
            {page.page === 'overview' && <Overview />}
            {page.page === 'environment' && <EnvironmentPage key={page.name} name={page.name} />}
            {page.page === 'release' && <ReleasePage key={page.id} id={page.id} />}
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}
