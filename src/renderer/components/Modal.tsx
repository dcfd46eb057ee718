import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon.js';

export interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom (the primary action last). */
  footer?: ReactNode;
  /** Short text under the title. */
  description?: string;
  wide?: boolean;
}

/**
 * A modal dialog: labelled by its title, Esc and backdrop click close it, focus moves in on open
 * and back to where it was on close, Tab stays inside.
 */
export function Modal({ title, onClose, children, footer, description, wide }: Props) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = dialog.current?.querySelector<HTMLElement>('[autofocus], input, textarea, select, button:not(.modal-close)');
    (first ?? dialog.current)?.focus();
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close.current();
    } else if (event.key === 'Tab') {
      trapTab(event, dialog.current);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={dialog}
        className={wide ? 'modal modal-wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          {description && <p className="modal-description">{description}</p>}
          <button type="button" className="icon-btn modal-close" aria-label="Close" onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-footer">{footer}</footer>}
      </div>
    </div>
  );
}

/** Keeps Tab and Shift+Tab cycling within the dialog. */
function trapTab(event: React.KeyboardEvent, root: HTMLElement | null): void {
  if (!root) return;
  const focusable = [...root.querySelectorAll<HTMLElement>('button, [href], input, textarea, select, [tabindex]:not([tabindex="-1"])')]
    .filter((element) => !element.hasAttribute('disabled'));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
