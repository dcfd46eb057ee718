import { useState } from 'react';
import { useClientState, useServices } from '../../app/hooks.js';
import { avatarUrl } from '../../app/format.js';
import { describeError, fieldErrors } from '../../app/errors.js';
import { TextField } from '../../components/TextField.js';
import { ImagePicker } from '../../components/ImagePicker.js';

/** Display name and avatar, the server I am on, and log out. */
export function AccountTab() {
  const { bridge, ui } = useServices();
  const user = useClientState((s) => s.user);
  const serverUrl = useClientState((s) => s.serverUrl);
  const [name, setName] = useState(user?.global_name ?? '');
  const [avatar, setAvatar] = useState<string | null | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  if (!user) return null;

  const save = async () => {
    setStatus(null);
    const result = await bridge.updateProfile({
      global_name: name.trim() || null,
      ...(avatar !== undefined ? { avatar } : {}),
    });
    if (result.ok) {
      setErrors({});
      setAvatar(undefined);
      setStatus('Saved.');
    } else {
      setErrors(fieldErrors(result.error));
      setStatus(result.error.errors ? null : describeError(result.error));
    }
  };

  return (
    <section aria-labelledby="account-title">
      <h3 id="account-title" className="settings-title">My Account</h3>
      <form onSubmit={(event) => { event.preventDefault(); void save(); }}>
        <ImagePicker label="Avatar" value={avatar === undefined ? avatarUrl(serverUrl, user) : avatar} onChange={setAvatar} error={errors.avatar} />
        <TextField label="Display name" value={name} maxLength={32} placeholder={user.username} error={errors.global_name} onChange={(event) => setName(event.target.value)} />
        <div className="field">
          <span className="field-label">Username</span>
          <span>{user.username}</span>
        </div>
        <div className="field">
          <span className="field-label">Server</span>
          <span>{serverUrl}</span>
        </div>
        <div className="settings-actions">
          <button type="submit" className="btn">Save Changes</button>
          {status && <span className="hint" role="status">{status}</span>}
        </div>
      </form>
      <hr className="settings-divider" />
      <button
        type="button"
        className="btn btn-danger"
        onClick={() => {
          ui.closeModal();
          void bridge.logout();
        }}
      >
        Log Out
      </button>
    </section>
  );
}
