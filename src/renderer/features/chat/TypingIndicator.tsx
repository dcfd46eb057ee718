import { useEffect, useMemo, useState } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { typingNames, typingText } from '../../app/selectors.js';

export interface Props {
  channelId: Snowflake;
}

/** "X is typing…" under the composer; ticks while someone types so expired entries disappear. */
export function TypingIndicator({ channelId }: Props) {
  const { store } = useServices();
  const typing = useClientState((s) => s.typing[channelId]);
  const members = useClientState((s) => s.members);
  const [now, setNow] = useState(() => Date.now());
  const active = typing !== undefined && Object.keys(typing).length > 0;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  const text = useMemo(() => {
    const state = store.getState();
    return state ? typingText(typingNames(state, channelId, Math.max(now, Date.now()))) : null;
  }, [store, channelId, typing, members, now]); // eslint-disable-line react-hooks/exhaustive-deps -- state slices the text derives from
  return (
    <div className="typing-indicator" aria-live="polite">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true"><i /><i /><i /></span>
          <span>{text}</span>
        </>
      )}
    </div>
  );
}
