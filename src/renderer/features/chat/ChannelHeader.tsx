import type { Channel } from '../../../shared/protocol/entities.js';
import { useNarrowLayout, useServices, useUi } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { Markdown } from './markdown/Markdown.js';

export interface Props {
  channel: Channel;
}

/** Cmd on macOS, Ctrl elsewhere, as the shortcut itself accepts both. */
const SWITCHER_KEY = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl K';

/** The bar above the messages: channel name, topic, member list toggle, quick switcher. */
export function ChannelHeader({ channel }: Props) {
  const { ui } = useServices();
  const narrow = useNarrowLayout();
  const showMembers = useUi((s) => (narrow ? s.membersDrawer : s.showMembers));
  return (
    <header className="channel-header">
      <Icon name="hash" size={24} className="channel-header-icon" />
      <h1 className="channel-header-name">{channel.name}</h1>
      {channel.topic && (
        <>
          <span className="channel-header-divider" aria-hidden="true" />
          <div className="channel-header-topic" title={channel.topic}><Markdown content={channel.topic} /></div>
        </>
      )}
      <div className="channel-header-tools">
        <button
          type="button"
          className="icon-btn members-toggle"
          aria-label={showMembers ? 'Hide Member List' : 'Show Member List'}
          aria-pressed={showMembers}
          onClick={() => ui.update(narrow ? { membersDrawer: !showMembers } : { showMembers: !showMembers })}
        >
          <Icon name="members" />
        </button>
        <button type="button" className="switcher-hint" aria-label={`Quick switcher (${SWITCHER_KEY})`} onClick={() => ui.openModal({ type: 'quick-switcher' })}>
          <Icon name="search" size={16} />
          <span>Find or jump</span>
          <kbd>{SWITCHER_KEY}</kbd>
        </button>
      </div>
    </header>
  );
}
