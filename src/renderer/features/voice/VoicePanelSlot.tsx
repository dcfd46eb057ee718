import { useClientState, useBridge } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { voiceSlots } from './voice-slots.js';

/**
 * Above the user panel while in a voice channel: the voice feature's panel when registered,
 * else the connection itself (where, and disconnect) — what the state really says, nothing more.
 */
export function VoicePanelSlot() {
  const bridge = useBridge();
  const selfVoice = useClientState((s) => s.selfVoice);
  const channel = useClientState((s) => (s.selfVoice.channelId ? s.channels[s.selfVoice.channelId] : undefined));
  const guild = useClientState((s) => (s.selfVoice.guildId ? s.guilds[s.selfVoice.guildId] : undefined));
  // A registered panel decides for itself what to show out of voice (e.g. why a join was refused).
  const Registered = voiceSlots.panel;
  if (Registered) return <Registered />;
  if (!selfVoice.channelId) return null;
  return (
    <section className="voice-panel" aria-label="Voice connection">
      <div className="voice-panel-text">
        <span className="voice-panel-status">Voice Connected</span>
        <span className="voice-panel-where">{channel?.name ?? 'Voice channel'}{guild ? ` / ${guild.name}` : ''}</span>
      </div>
      <button type="button" className="icon-btn" aria-label="Disconnect" onClick={() => void bridge.leaveVoice()}>
        <Icon name="logout" size={20} />
      </button>
    </section>
  );
}
