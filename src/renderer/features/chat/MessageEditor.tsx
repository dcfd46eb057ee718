import { useEffect, useRef, useState } from 'react';

export interface Props {
  initial: string;
  onSave(content: string): Promise<string | null>;
  onCancel(): void;
}

/** Inline editing of my message: Enter saves, Esc cancels, an empty save offers deletion upstream. */
export function MessageEditor({ initial, onSave, onCancel }: Props) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const element = input.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  const save = async () => {
    if (value === initial) return onCancel();
    setError(await onSave(value));
  };

  return (
    <div className="message-editor">
      <textarea
        ref={input}
        className="composer-input editor-input"
        aria-label="Edit message"
        value={value}
        rows={Math.min(10, value.split('\n').length)}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div className="hint">
        escape to <button type="button" className="btn btn-link" onClick={onCancel}>cancel</button> • enter to{' '}
        <button type="button" className="btn btn-link" onClick={() => void save()}>save</button>
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
    </div>
  );
}
