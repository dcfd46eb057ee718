import { useId, useRef, useState } from 'react';

export interface Props {
  label: string;
  /** A data URI, an image URL, or null. */
  value: string | null;
  onChange(dataUri: string | null): void;
  error?: string | null | undefined;
}

/** Largest image accepted for icons and avatars (Discord's limit is in this range too). */
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

/** Picks an image (PNG, JPEG, GIF, WebP) and hands it over as a data URI, as Discord's API takes icons. */
export function ImagePicker({ label, value, onChange, error }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const pick = (file: File | undefined) => {
    if (!file) return;
    if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
      setProblem('Choose a PNG, JPEG, GIF or WebP image.');
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      setProblem('That image is larger than 8 MB.');
      return;
    }
    setProblem(null);
    const reader = new FileReader();
    reader.onload = () => typeof reader.result === 'string' && onChange(reader.result);
    reader.onerror = () => setProblem('The image could not be read.');
    reader.readAsDataURL(file);
  };

  const shown = problem ?? error;
  return (
    <div className="field image-picker">
      <span className={shown ? 'field-label has-error' : 'field-label'} id={`${id}-label`}>
        {label}
        {shown && <span className="field-error"> — {shown}</span>}
      </span>
      <div className="image-picker-row">
        <button type="button" className="image-picker-preview" aria-labelledby={`${id}-label`} aria-describedby={`${id}-action`} onClick={() => input.current?.click()}>
          {value ? <img src={value} alt="" width={80} height={80} /> : <span aria-hidden="true">Upload</span>}
        </button>
        <div className="image-picker-actions">
          <button type="button" id={`${id}-action`} className="btn btn-secondary btn-small" onClick={() => input.current?.click()}>
            {value ? 'Change image' : 'Upload image'}
          </button>
          {value && <button type="button" className="btn btn-link" onClick={() => onChange(null)}>Remove</button>}
          <span className="hint">At least 128×128 recommended.</span>
        </div>
      </div>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        hidden
        tabIndex={-1}
        onChange={(event) => {
          pick(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
