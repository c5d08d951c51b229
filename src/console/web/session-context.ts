import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleSession } from '../session.js';

/** The console session (API, its routes, plans) for every component below the app. */
export const SessionContext = createContext<ConsoleSession | undefined>(undefined);

export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the session provider');
  return session;
}

/** Whether the API serves `method path` (its OpenAPI document lists it): actions it lacks are not offered. */
export function serves(session: ConsoleSession, method: string, path: string): boolean {
  return session.routes.some((route) => route.method === method && route.path === path);
}
