import { useState, type ReactNode } from 'react';
import { Modal } from './Modal.js';

export interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Danger styling for destructive actions. */
  danger?: boolean;
  onConfirm(): Promise<unknown> | void;
  onClose(): void;
}

/** Asks before a destructive action; shows the error in place if the action fails. */
export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-link" onClick={onClose}>Cancel</button>
          <button type="button" className={danger ? 'btn btn-danger' : 'btn'} disabled={busy} onClick={() => void confirm()} autoFocus>
            {confirmLabel}
          </button>
        </>
      }
    >
      {error && <div className="error-banner" role="alert">{error}</div>}
      {children}
    </Modal>
  );
}
