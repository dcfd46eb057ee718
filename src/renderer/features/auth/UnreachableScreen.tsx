import { Icon } from '../../components/Icon.js';

export interface Props {
  url: string;
  message: string;
  retrying: boolean;
  onRetry(): void;
  onChangeServer(): void;
}

/** Shown when no Hearth server answers at the chosen address. */
export function UnreachableScreen({ url, message, retrying, onRetry, onChangeServer }: Props) {
  return (
    <main className="auth-screen">
      <section className="auth-card unreachable" aria-labelledby="unreachable-title">
        <span className="unreachable-icon"><Icon name="warning" size={40} /></span>
        <h1 id="unreachable-title">Can’t reach the server</h1>
        <p className="auth-subtitle">
          No Hearth server answered at <strong className="unreachable-url">{url}</strong>.
        </p>
        <p className="hint">{message} If the address is right, the server may be down or your network offline.</p>
        <div className="unreachable-actions">
          <button type="button" className="btn" onClick={onRetry} disabled={retrying}>Try again</button>
          <button type="button" className="btn btn-secondary" onClick={onChangeServer}>Use a different server</button>
        </div>
      </section>
    </main>
  );
}
