import type { ReactNode } from 'react';

export interface Props {
  url: string;
  open(url: string): void;
  children: ReactNode;
}

/** A link that never navigates the app: clicks go to the bridge, which opens the system browser. */
export function ExternalLink({ url, open, children }: Props) {
  return (
    <a
      href={url}
      className="md-link"
      target="_blank"
      rel="noreferrer noopener"
      title={url}
      onClick={(event) => {
        event.preventDefault();
        open(url);
      }}
    >
      {children}
    </a>
  );
}
