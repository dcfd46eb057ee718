import { useState } from 'react';
import { useServices, useClientState } from '../../app/hooks.js';
import { describeError, fieldErrors } from '../../app/errors.js';
import { displayName } from '../../app/format.js';
import { Modal } from '../../components/Modal.js';
import { TextField } from '../../components/TextField.js';
import { ImagePicker } from '../../components/ImagePicker.js';

/** "Create your server": a name (suggested from my name) and an optional icon. */
export function CreateGuildModal() {
  const { bridge, ui } = useServices();
  const me = useClientState((s) => s.user);
  const [name, setName] = useState(`${displayName(me ?? undefined)}'s server`);
  const [icon, setIcon] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    const result = await bridge.createGuild({ name: name.trim(), ...(icon ? { icon } : {}) });
    setBusy(false);
    if (!result.ok) {
      setErrors(fieldErrors(result.error));
      setBanner(result.error.errors ? null : describeError(result.error));
      return;
    }
    ui.closeModal();
    ui.selectGuild(result.value.id);
  };

  return (
    <Modal
      title="Create Your Server"
      description="Give your new server a personality with a name and an icon. You can always change it later."
      onClose={() => ui.closeModal()}
      footer={
        <>
          <button type="button" className="btn btn-link" onClick={() => ui.openModal({ type: 'join-guild' })}>Join a server instead</button>
          <button type="submit" form="create-guild" className="btn" disabled={busy || !name.trim()}>Create</button>
        </>
      }
    >
      <form id="create-guild" onSubmit={(event) => { event.preventDefault(); void create(); }}>
        {banner && <div className="error-banner" role="alert">{banner}</div>}
        <ImagePicker label="Server icon" value={icon} onChange={setIcon} error={errors.icon} />
        <TextField label="Server name" value={name} maxLength={100} required error={errors.name} onChange={(event) => setName(event.target.value)} autoFocus />
      </form>
    </Modal>
  );
}
