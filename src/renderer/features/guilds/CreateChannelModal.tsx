import { useState } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { ChannelType } from '../../../shared/protocol/entities.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { describeError, fieldErrors } from '../../app/errors.js';
import { Modal } from '../../components/Modal.js';
import { TextField } from '../../components/TextField.js';

export interface Props {
  guildId: Snowflake;
  parentId: Snowflake | null;
  channelType: 0 | 2 | 4;
}

/** Text channel names are lower-case with dashes, as Discord normalizes them. */
export function normalizeChannelName(name: string, type: number): string {
  if (type !== ChannelType.GUILD_TEXT) return name;
  return name.toLowerCase().replace(/\s+/g, '-').replace(/-{2,}/g, '-');
}

/** Creates a text channel, voice channel or category (in a category when opened from one). */
export function CreateChannelModal({ guildId, parentId, channelType }: Props) {
  const { bridge, ui } = useServices();
  const category = useClientState((s) => (parentId ? s.channels[parentId] : undefined));
  const [type, setType] = useState<0 | 2 | 4>(channelType);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const isCategory = type === ChannelType.GUILD_CATEGORY;

  const create = async () => {
    const result = await bridge.createChannel(guildId, {
      name: normalizeChannelName(name.trim(), type),
      type,
      ...(parentId && !isCategory ? { parent_id: parentId } : {}),
    });
    if (!result.ok) {
      setErrors(fieldErrors(result.error));
      setBanner(result.error.errors ? null : describeError(result.error));
      return;
    }
    ui.closeModal();
    if (result.value.type === ChannelType.GUILD_TEXT) ui.selectChannel(guildId, result.value.id);
  };

  return (
    <Modal
      title={isCategory ? 'Create Category' : 'Create Channel'}
      description={category && !isCategory ? `in ${category.name}` : undefined}
      onClose={() => ui.closeModal()}
      footer={
        <>
          <button type="button" className="btn btn-link" onClick={() => ui.closeModal()}>Cancel</button>
          <button type="submit" form="create-channel" className="btn" disabled={!name.trim()}>{isCategory ? 'Create Category' : 'Create Channel'}</button>
        </>
      }
    >
      <form id="create-channel" onSubmit={(event) => { event.preventDefault(); void create(); }}>
        {banner && <div className="error-banner" role="alert">{banner}</div>}
        {!isCategory && (
          <fieldset className="field channel-type-choice">
            <legend className="field-label">Channel type</legend>
            <label className="radio-card">
              <input type="radio" name="channel-type" checked={type === 0} onChange={() => setType(0)} />
              <span><strong>Text</strong><span className="hint">Send messages, images, opinions and puns</span></span>
            </label>
            <label className="radio-card">
              <input type="radio" name="channel-type" checked={type === 2} onChange={() => setType(2)} />
              <span><strong>Voice</strong><span className="hint">Hang out together with voice</span></span>
            </label>
          </fieldset>
        )}
        <TextField
          label={isCategory ? 'Category name' : 'Channel name'}
          placeholder={isCategory ? 'New Category' : 'new-channel'}
          value={name}
          maxLength={100}
          required
          autoFocus
          error={errors.name}
          onChange={(event) => setName(normalizeChannelName(event.target.value, type))}
        />
      </form>
    </Modal>
  );
}
