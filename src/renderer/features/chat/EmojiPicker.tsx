import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { COMMON_EMOJI } from './emoji.js';

export interface Props {
  /** The box of the control that opened it: the picker floats beside it, inside the window. */
  anchor: DOMRect;
  onPick(emoji: string): void;
  onClose(): void;
}

const PICKER_WIDTH = 320;
const PICKER_HEIGHT = 260;

/** Below the anchor when there is room, else above; never past the window's edges. */
function placement(anchor: DOMRect): { left: number; top: number } {
  const left = Math.max(8, Math.min(anchor.right - PICKER_WIDTH, window.innerWidth - PICKER_WIDTH - 8));
  const below = anchor.bottom + 4;
  const top = below + PICKER_HEIGHT <= window.innerHeight - 8 ? below : Math.max(8, anchor.top - PICKER_HEIGHT - 4);
  return { left, top };
}

/** A small grid of common emoji with a filter; arrow keys move, Enter picks, Esc closes. */
export function EmojiPicker({ anchor, onPick, onClose }: Props) {
  const [filter, setFilter] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  const shown = COMMON_EMOJI.filter((e) => e.name.includes(filter.trim().toLowerCase()));

  useEffect(() => {
    root.current?.querySelector('input')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) close.current();
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    const buttons = [...(root.current?.querySelectorAll<HTMLElement>('.emoji-cell') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[event.key];
    if (step !== undefined && index >= 0) {
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, index + step))]?.focus();
    } else if (event.key === 'ArrowDown' && index < 0) {
      event.preventDefault();
      buttons[0]?.focus();
    }
  };

  // Portalled to <body>: the message rows are transformed, which would trap a fixed element.
  return createPortal(
    <div ref={root} className="emoji-picker" role="dialog" aria-label="Add reaction" style={placement(anchor)} onKeyDown={onKeyDown}>
      <input
        className="input emoji-search"
        placeholder="Find an emoji"
        aria-label="Find an emoji"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && shown[0]) onPick(shown[0].emoji);
        }}
      />
      <div className="emoji-grid" role="group" aria-label="Emoji">
        {shown.map(({ emoji, name }) => (
          <button key={emoji} type="button" className="emoji-cell" aria-label={`:${name.replace(/ /g, '_')}:`} title={name} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
        {shown.length === 0 && <p className="hint">No emoji match “{filter}”.</p>}
      </div>
    </div>,
    document.body,
  );
}
