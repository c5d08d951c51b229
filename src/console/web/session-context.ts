import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleSession } from './session.js';

/** The console session (API, its routes, plans) for every component below the app. */
export const SessionContext = createContext<ConsoleSession | undefined>(undefined);

export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the session provider');
  return session;
}
