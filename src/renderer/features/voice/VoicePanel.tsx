import { useBridge, useClientState } from '../../app/hooks.js';
import { Icon } from '../../components/Icon.js';
import { useVoiceController, useVoiceView } from './voice-context.js';

/**
 * Above the user panel: "Voice Connected" with the channel and guild, the ping to the other
 * participants (WebRTC round-trip time) and Disconnect while in voice; and, in or out of voice,
 * the last refusal or microphone problem until dismissed.
 */
export function VoicePanel() {
  const bridge = useBridge();
  const controller = useVoiceController();
  const channelId = useClientState((s) => s.selfVoice.channelId);
  const channel = useClientState((s) => (s.selfVoice.channelId ? s.channels[s.selfVoice.channelId] : undefined));
  const guild = useClientState((s) => (s.selfVoice.guildId ? s.guilds[s.selfVoice.guildId] : undefined));
  const phase = useVoiceView((v) => v.phase);
  const pingMs = useVoiceView((v) => v.pingMs);
  const notice = useVoiceView((v) => v.notice);
  return (
    <>
      {notice && (
        <div className="voice-notice" role="alert">
          <Icon name="warning" size={16} />
          <span className="voice-notice-text">{notice}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss voice message" onClick={() => controller?.dismissNotice()}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {channelId && (
        <section className="voice-panel" aria-label="Voice connection">
          <div className="voice-panel-text">
            <span className={phase === 'connected' ? 'voice-panel-status' : 'voice-panel-status connecting'}>
              {phase === 'connected' ? 'Voice Connected' : 'Connecting…'}
            </span>
            <span className="voice-panel-where">{channel?.name ?? 'Voice channel'}{guild ? ` / ${guild.name}` : ''}</span>
          </div>
          {pingMs !== null && (
            <span className="voice-ping" data-ping-ms={pingMs} title="Round-trip time to the other participants">
              {pingMs} ms
            </span>
          )}
          <button type="button" className="icon-btn" aria-label="Disconnect" onClick={() => void bridge.leaveVoice()}>
            <Icon name="logout" size={20} />
          </button>
        </section>
      )}
    </>
  );
}
