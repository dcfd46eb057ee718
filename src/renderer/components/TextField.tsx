import { useId, type InputHTMLAttributes } from 'react';

export interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Error from the server (or local validation), shown beside the label. */
  error?: string | null;
  hint?: string;
}

/** A labelled input with its error beside the label, tied to the input for screen readers. */
export function TextField({ label, error, hint, required, ...input }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id} className={error ? 'field-label has-error' : 'field-label'}>
        {label}
        {required && <span className="required" aria-hidden="true">*</span>}
        {error && <span className="field-error" id={errorId}> — {error}</span>}
      </label>
      <input
        id={id}
        className="input"
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {hint && <span className="hint" id={hintId}>{hint}</span>}
    </div>
  );
}
