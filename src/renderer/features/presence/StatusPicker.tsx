import { useEffect, useRef } from 'react';
import type { Status } from '../../../shared/protocol/entities.js';
import { useBridge } from '../../app/hooks.js';
import { PresenceDot, STATUS_LABELS } from '../../components/PresenceDot.js';

export interface Props {
  current: Status;
  onClose(): void;
}

const CHOICES: { status: Exclude<Status, 'offline'>; hint?: string }[] = [
  { status: 'online' },
  { status: 'idle' },
  { status: 'dnd', hint: 'You will not receive desktop notifications' },
  { status: 'invisible', hint: 'You will appear offline, with full access' },
];

/** The status menu of the user panel: online, idle, do not disturb, invisible. */
export function StatusPicker({ current, onClose }: Props) {
  const bridge = useBridge();
  const menu = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!menu.current?.parentElement?.contains(event.target as Node)) close.current();
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <div ref={menu} className="status-picker" role="menu" aria-label="Set status" onKeyDown={onKeyDown}>
      {CHOICES.map(({ status, hint }) => (
        <button
          key={status}
          type="button"
          role="menuitemradio"
          aria-checked={status === current}
          className="menu-item status-choice"
          onClick={() => {
            void bridge.setStatus(status);
            onClose();
          }}
        >
          <PresenceDot status={status} size={10} />
          <span className="status-choice-text">
            <span>{STATUS_LABELS[status]}</span>
            {hint && <span className="hint">{hint}</span>}
          </span>
        </button>
      ))}
    </div>
  );
}
