/**
 * The bridge methods about the user's presence, voice, settings and the desktop host, on top of
 * {@link HearthClientCore}; {@link HearthClient} adds the rest.
 */
import type { Snowflake } from '../shared/snowflake.js';
import { HearthError } from '../shared/errors.js';
import { formBodyError } from '../shared/validation.js';
import { GatewayOpcode } from '../shared/protocol/gateway.js';
import type { Status } from '../shared/protocol/entities.js';
import type { AppInfo, BridgeResult } from '../shared/ipc/bridge.js';
import {
  applySettingsPatch, clientSettingsPatchSchema, type ClientSettings, type ClientSettingsPatch, type PushToTalkBinding,
} from '../shared/ipc/settings.js';
import { HearthClientCore } from './client-core.js';

export class HearthClientPresence extends HearthClientCore {
  private muteBeforeDeaf = false;

  // ---- Presence and voice ----

  setStatus(status: Exclude<Status, 'offline'>): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      if (!['online', 'idle', 'dnd', 'invisible'].includes(status)) {
        throw this.fieldError('status', 'BASE_TYPE_CHOICES', 'Value must be one of online, idle, dnd, invisible.');
      }
      this.apply({ type: 'self-status', status });
      await this.options.storage.set('status', status);
      this.sendPresence();
      return null;
    });
  }

  joinVoice(guildId: Snowflake, channelId: Snowflake): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      this.requireSignedIn();
      if (this.state.channels[channelId]?.type !== 2) throw new HearthError('INVALID_CHANNEL_TYPE');
      const voice = { ...this.state.selfVoice, guildId, channelId };
      if (!this.sendVoiceState(guildId, channelId, voice.selfMute, voice.selfDeaf)) throw new HearthError('CLIENT_SERVER_UNREACHABLE');
      this.apply({ type: 'self-voice', voice });
      return null;
    });
  }

  leaveVoice(): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      const { guildId } = this.state.selfVoice;
      if (!guildId) throw new HearthError('CLIENT_NOT_IN_VOICE');
      this.sendVoiceState(guildId, null, this.state.selfVoice.selfMute, this.state.selfVoice.selfDeaf);
      this.apply({ type: 'self-voice', voice: { ...this.state.selfVoice, guildId: null, channelId: null } });
      return null;
    });
  }

  setSelfMute(muted: boolean): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      // Unmuting while deafened also undeafens, as Discord does.
      this.updateSelfVoice({ selfMute: muted, selfDeaf: muted ? this.state.selfVoice.selfDeaf : false });
      return null;
    });
  }

  setSelfDeaf(deafened: boolean): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      // Deafening mutes too; undeafening restores the mute state from before, as Discord does.
      if (deafened && !this.state.selfVoice.selfDeaf) this.muteBeforeDeaf = this.state.selfVoice.selfMute;
      this.updateSelfVoice({ selfDeaf: deafened, selfMute: deafened ? true : this.muteBeforeDeaf });
      return null;
    });
  }

  private updateSelfVoice(change: { selfMute: boolean; selfDeaf: boolean }): void {
    const voice = { ...this.state.selfVoice, ...change };
    this.apply({ type: 'self-voice', voice });
    if (voice.guildId && voice.channelId) this.sendVoiceState(voice.guildId, voice.channelId, voice.selfMute, voice.selfDeaf);
  }

  sendVoiceSignal(sessionId: string, signal: unknown): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      if (!this.state.selfVoice.channelId) throw new HearthError('CLIENT_NOT_IN_VOICE');
      if (!this.sendGateway({ op: GatewayOpcode.VOICE_SIGNAL, d: { session_id: sessionId, signal } })) {
        throw new HearthError('CLIENT_SERVER_UNREACHABLE');
      }
      return null;
    });
  }

  setVoiceSpeaking(speaking: boolean): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      if (typeof speaking !== 'boolean') throw this.fieldError('speaking', 'BASE_TYPE_INVALID', 'Must be true or false.');
      if (!this.state.selfVoice.channelId) throw new HearthError('CLIENT_NOT_IN_VOICE');
      if (!this.sendGateway({ op: GatewayOpcode.VOICE_SPEAKING, d: { speaking } })) throw new HearthError('CLIENT_SERVER_UNREACHABLE');
      return null;
    });
  }

  // ---- Settings and the host ----

  getSettings(): Promise<BridgeResult<ClientSettings>> {
    return this.settle(async () => this.state.settings);
  }

  updateSettings(patch: ClientSettingsPatch): Promise<BridgeResult<ClientSettings>> {
    return this.settle(async () => {
      const parsed = clientSettingsPatchSchema.safeParse(patch);
      if (!parsed.success) throw formBodyError(parsed.error, patch);
      const settings = applySettingsPatch(this.state.settings, parsed.data);
      await this.options.storage.set('settings', JSON.stringify(settings));
      this.apply({ type: 'settings', settings });
      return settings;
    });
  }

  getAppInfo(): Promise<BridgeResult<AppInfo>> {
    return this.settle(async () => {
      if (this.options.host) return { platform: this.options.platform, ...this.options.host.appInfo() };
      return {
        platform: this.options.platform,
        version: this.options.version ?? '0.0.0',
        globalPushToTalk: { available: false, reason: 'Global push-to-talk needs the Hearth desktop app; push-to-talk works while this window is focused.' },
        update: { status: 'unsupported', reason: 'The web client is updated with its server.' },
        updateSource: null,
        desktopShell: null,
      };
    });
  }

  installUpdate(): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      const install = this.options.host?.installUpdate;
      if (!install) throw new HearthError('CLIENT_UNSUPPORTED');
      await install.call(this.options.host);
      return null;
    });
  }

  capturePushToTalkBinding(): Promise<BridgeResult<PushToTalkBinding>> {
    return this.settle(async () => {
      const capture = this.options.host?.capturePushToTalkBinding;
      if (!capture) throw new HearthError('CLIENT_UNSUPPORTED');
      return capture.call(this.options.host);
    });
  }

  openExternal(url: string): Promise<BridgeResult<null>> {
    return this.settle(async () => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw this.fieldError('url', 'URL_TYPE_INVALID_URL', 'Not a valid URL');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw this.fieldError('url', 'URL_TYPE_INVALID_SCHEME', 'Only http and https links open');
      const open = this.options.host?.openExternal;
      if (open) await open.call(this.options.host, parsed.toString());
      else if (typeof globalThis.open === 'function') globalThis.open(parsed.toString(), '_blank', 'noopener,noreferrer');
      else throw new HearthError('CLIENT_UNSUPPORTED');
      return null;
    });
  }
}
