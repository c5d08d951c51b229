import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { Problem } from '../views/problem.js';

/**
 * A modal that asks before an action runs: what it will do (children), an optional name to type
 * (production, destructive tasks), and the API's error if it refuses. The browser's <dialog> keeps
 * focus inside and closes on Escape.
 */
export interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  onClose: () => void;
  /** Runs the action; the dialog closes when it resolves and shows the API's error when it rejects. */
  onConfirm: () => Promise<void>;
  /** The confirm button stays disabled until exactly this is typed. */
  typeToConfirm?: string | undefined;
  /** False while the form above is incomplete. */
  ready?: boolean;
  children: ComponentChildren;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const confirmed = props.typeToConfirm === undefined || typed === props.typeToConfirm;
  const submit = (event: Event) => {
    event.preventDefault();
    if (!confirmed || busy || props.ready === false) return;
    setBusy(true);
    setProblem(undefined);
    props.onConfirm().then(
      () => {
        dialog.current?.close();
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'CONSOLE_ERROR', String(error)));
      },
    );
  };
  return (
    <dialog ref={dialog} class="confirm" onClose={props.onClose} aria-labelledby="confirm-title">
      <form onSubmit={submit}>
        <h2 id="confirm-title">{props.title}</h2>
        {props.children}
        {props.typeToConfirm !== undefined && (
          <label class="type-to-confirm">
            <span>
              Type <strong class="mono">{props.typeToConfirm}</strong> to confirm
            </span>
            <input
              name="confirm-name"
              autoComplete="off"
              spellcheck={false}
              value={typed}
              onInput={(event) => {
                setTyped(event.currentTarget.value);
              }}
            />
          </label>
        )}
        <Problem problem={problem} title="The API refused" />
        <div class="buttons">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={!confirmed || busy || props.ready === false}>
            {busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A button that opens its dialog; the dialog is mounted only while open. */
export function ActionButton(props: {
  label: string;
  title?: string;
  /** While the page still loads what the dialog needs. */
  disabled?: boolean;
  dialog: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        title={props.title}
        disabled={props.disabled}
        onClick={() => {
          setOpen(true);
        }}
      >
        {props.label}
      </button>
      {open &&
        props.dialog(() => {
          setOpen(false);
        })}
    </>
  );
}

/** A free-text reason given with an action (an answer, an abort), for the timeline and notices. */
export function ReasonField(props: { label: string; value: string; onInput: (value: string) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <input
        name="reason"
        value={props.value}
        onInput={(event) => {
          props.onInput(event.currentTarget.value);
        }}
      />
    </label>
  );
}
