import { useMemo, useState } from 'react';
import { ChannelType } from '../../shared/protocol/entities.js';
import { selectChannelList, selectIsUnread } from '../../client/state/selectors.js';
import { useServices } from './hooks.js';
import { Modal } from '../components/Modal.js';

interface Candidate {
  key: string;
  label: string;
  detail: string;
  kind: 'guild' | 'text' | 'voice';
  unread: boolean;
  open(): void;
}

/**
 * A fuzzy score: every query character must appear in order; consecutive matches and matches at
 * word starts score higher. Null when the query does not match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    const index = t.indexOf(char, from);
    if (index < 0) return null;
    score += index === previous + 1 ? 3 : 1;
    if (index === 0 || /[\s\-_#]/.test(t[index - 1] ?? '')) score += 2;
    previous = index;
    from = index + 1;
  }
  return score - t.length * 0.01;
}

/** Ctrl/Cmd+K: jump to any guild or channel by fuzzy name; arrows move, Enter opens. */
export function QuickSwitcher() {
  const { store, ui } = useServices();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const candidates = useMemo<Candidate[]>(() => {
    const state = store.getState();
    if (!state) return [];
    return state.guildOrder.flatMap((guildId) => {
      const guild = state.guilds[guildId];
      if (!guild) return [];
      const channels = selectChannelList(state, guildId).flatMap((section) => section.channels).map(({ channel }): Candidate => ({
        key: channel.id,
        label: channel.name,
        detail: guild.name,
        kind: channel.type === ChannelType.GUILD_VOICE ? 'voice' : 'text',
        unread: selectIsUnread(state, channel.id),
        open: () => (channel.type === ChannelType.GUILD_VOICE ? ui.selectGuild(guildId) : ui.selectChannel(guildId, channel.id)),
      }));
      const openGuild = () => {
        const channelId = ui.getState().channelByGuild[guildId] ?? channels.find((c) => c.kind === 'text')?.key;
        if (channelId) ui.selectChannel(guildId, channelId);
        else ui.selectGuild(guildId);
      };
      return [{ key: guildId, label: guild.name, detail: 'Server', kind: 'guild' as const, unread: false, open: openGuild }, ...channels];
    });
  }, [store, ui]);

  const results = useMemo(() => {
    const trimmed = query.trim().replace(/^[#*]/, '');
    if (!trimmed) return candidates.filter((c) => c.unread || c.kind === 'guild').slice(0, 20);
    return candidates
      .map((candidate) => ({ candidate, score: fuzzyScore(trimmed, candidate.label) }))
      .filter((r): r is { candidate: Candidate; score: number } => r.score !== null)
      .sort((a, b) => b.score - a.score)
      .slice(0, 20)
      .map((r) => r.candidate);
  }, [candidates, query]);

  const choose = (candidate: Candidate | undefined) => {
    if (!candidate) return;
    ui.closeModal();
    candidate.open();
  };

  return (
    <Modal title="Quick Switcher" onClose={() => ui.closeModal()}>
      <input
        className="input switcher-input"
        role="combobox"
        aria-label="Where would you like to go?"
        aria-expanded="true"
        aria-controls="switcher-results"
        aria-activedescendant={results[active] ? `switcher-${results[active].key}` : undefined}
        placeholder="Where would you like to go?"
        value={query}
        autoFocus
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setActive((current) => (current + step + results.length) % Math.max(1, results.length));
          } else if (event.key === 'Enter') {
            event.preventDefault();
            choose(results[active]);
          }
        }}
      />
      <ul id="switcher-results" className="switcher-results" role="listbox" aria-label="Results">
        {results.map((candidate, index) => (
          <li
            key={candidate.key}
            id={`switcher-${candidate.key}`}
            role="option"
            aria-selected={index === active}
            className={`switcher-result${index === active ? ' active' : ''}${candidate.unread ? ' unread' : ''}`}
            onMouseEnter={() => setActive(index)}
            onClick={() => choose(candidate)}
          >
            <span className="switcher-kind" aria-hidden="true">{candidate.kind === 'guild' ? '★' : candidate.kind === 'voice' ? '🔊' : '#'}</span>
            <span className="switcher-label">{candidate.label}</span>
            <span className="switcher-detail">{candidate.detail}</span>
          </li>
        ))}
        {results.length === 0 && <li className="hint switcher-empty">Nothing matches “{query}”.</li>}
      </ul>
      <p className="hint">Tip: Alt+↑/↓ moves between channels, Alt+Shift+↑/↓ between unread channels.</p>
    </Modal>
  );
}
