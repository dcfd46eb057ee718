import { useState } from 'react';

export interface Props {
  botName: string;
  token: string;
  onDismiss(): void;
}

/** A bot's token, shown once (after creating the bot or resetting its token), with Copy. */
export function BotTokenNotice({ botName, token, onDismiss }: Props) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setError('Could not copy: select the token and copy it by hand.');
    }
  };
  return (
    <div className="bot-token-notice" role="region" aria-label={`Token of ${botName}`}>
      <label className="field-label" htmlFor="bot-token">Token of {botName}</label>
      <div className="copy-row">
        <input id="bot-token" className="input" readOnly value={token} onFocus={(event) => event.target.select()} spellCheck={false} />
        <button type="button" className={copied ? 'btn btn-copied' : 'btn'} onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <p className="hint">
        Copy it now: it will not be shown again. Anyone with this token can act as the bot; if it leaks, reset it.
      </p>
      <button type="button" className="btn btn-link" onClick={onDismiss}>I have copied the token</button>
    </div>
  );
}
