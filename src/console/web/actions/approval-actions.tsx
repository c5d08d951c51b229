import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import type { ReleaseView } from '../api-types.js';
import { ActionButton, ConfirmDialog, ReasonField } from './confirm-dialog.js';
import { answerEffect } from '../words.js';

/** The two answers to a deploy waiting at the approval gate, as the API names them. */
const ANSWERS = {
  approve: { resource: 'approvals', label: 'Approve' },
  reject: { resource: 'rejections', label: 'Reject' },
} as const;

/** Approve and Reject, on a release AWAITING_APPROVAL; production asks for its name first. */
export function ApprovalActions({
  release,
  onAnswered,
  production,
}: {
  release: ReleaseView;
  onAnswered: () => void;
  production: boolean;
}) {
  if (release.state !== 'AWAITING_APPROVAL') return null;
  return (
    <p class="buttons">
      {(['approve', 'reject'] as const).map((answer) => (
        <ActionButton
          key={answer}
          label={`${ANSWERS[answer].label}…`}
          dialog={(close) => (
            <AnswerDialog
              release={release}
              answer={answer}
              production={production}
              onClose={close}
              onAnswered={onAnswered}
            />
          )}
        />
      ))}
    </p>
  );
}

function AnswerDialog(props: {
  release: ReleaseView;
  answer: keyof typeof ANSWERS;
  production: boolean;
  onClose: () => void;
  onAnswered: () => void;
}) {
  const { release } = props;
  const { resource, label } = ANSWERS[props.answer];
  const effect = answerEffect(props.answer, release.approval?.pause !== undefined);
  const [reason, setReason] = useState('');
  const run = async () => {
    const body = { version: release.version, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    await api<ReleaseView>('POST', `${apiPath('environments', release.environment)}/${resource}`, body);
    props.onAnswered();
  };
  return (
    <ConfirmDialog
      title={`${label} ${release.version} in ${release.environment}`}
      confirmLabel={label}
      onClose={props.onClose}
      onConfirm={run}
      typeToConfirm={props.production ? release.environment : undefined}
    >
      <p class="small muted">
        This {effect}. The API refuses an approver not on the list, and the asker under four eyes.
      </p>
      <ReasonField label="Reason (for the timeline and notices)" value={reason} onInput={setReason} />
    </ConfirmDialog>
  );
}
