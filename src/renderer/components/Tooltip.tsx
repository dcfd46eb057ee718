import { cloneElement, useId, useState, type ReactElement } from 'react';

export interface Props {
  label: string;
  /** Where the bubble sits relative to the control. */
  side?: 'right' | 'top';
  /** One focusable element; it receives aria-describedby. */
  children: ReactElement<{ 'aria-describedby'?: string }>;
}

/** A tooltip shown on hover and keyboard focus. */
export function Tooltip({ label, side = 'top', children }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span
      className="tooltip-anchor"
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
    >
      {cloneElement(children, { 'aria-describedby': open ? id : undefined })}
      {open && (
        <span id={id} role="tooltip" className={`tooltip tooltip-${side}`}>
          {label}
        </span>
      )}
    </span>
  );
}
