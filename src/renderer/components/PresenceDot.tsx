import type { Status } from '../../shared/protocol/entities.js';

export interface Props {
  status: Status;
  size?: number;
}

/** Human labels for statuses, as Discord words them. */
export const STATUS_LABELS: Record<Status, string> = {
  online: 'Online',
  idle: 'Idle',
  dnd: 'Do Not Disturb',
  invisible: 'Invisible',
  offline: 'Offline',
};

/** The coloured presence dot; shape differs per status too, so it does not rely on colour alone. */
export function PresenceDot({ status, size = 10 }: Props) {
  return (
    <span
      className={`presence-dot presence-${status}`}
      style={{ width: size, height: size }}
      role="img"
      aria-label={STATUS_LABELS[status]}
    />
  );
}
