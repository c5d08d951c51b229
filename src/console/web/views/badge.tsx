/** A release or rollout state as a coloured word; colour is never the only sign (the word is there). */
const TONES: Record<string, string> = {
  COMPLETED: 'good',
  SUCCEEDED: 'good',
  BUILT: 'neutral',
  AWAITING_APPROVAL: 'warn',
  BUILDING: 'busy',
  DEPLOYING: 'busy',
  IN_PROGRESS: 'busy',
  PENDING: 'neutral',
  FAILED: 'bad',
  FAULT: 'bad',
  TIMED_OUT: 'bad',
  STOPPED: 'bad',
  MISSING: 'bad',
  ROLLED_BACK: 'warn',
};

export function Badge({ state, label }: { state: string; label?: string }) {
  return <span class={`badge ${TONES[state] ?? 'neutral'}`}>{label ?? state.replaceAll('_', ' ')}</span>;
}
