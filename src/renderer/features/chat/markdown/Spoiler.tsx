import { useState, type ReactNode } from 'react';

export interface Props {
  children: ReactNode;
}

/** Hidden text revealed by a click (or Enter/Space), as Discord's spoilers. */
export function Spoiler({ children }: Props) {
  const [revealed, setRevealed] = useState(false);
  if (revealed) return <span className="md-spoiler revealed">{children}</span>;
  return (
    <span
      className="md-spoiler"
      role="button"
      tabIndex={0}
      aria-label="Spoiler, activate to reveal"
      onClick={() => setRevealed(true)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          setRevealed(true);
        }
      }}
    >
      <span aria-hidden="true">{children}</span>
    </span>
  );
}
