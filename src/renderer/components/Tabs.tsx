import type { ReactNode } from 'react';

export interface Tab<T extends string> {
  id: T;
  label: string;
}

export interface Props<T extends string> {
  label: string;
  tabs: Tab<T>[];
  current: T;
  onChange(id: T): void;
  children: ReactNode;
}

/** A vertical tab list beside its panel (settings dialogs); arrow keys move between tabs. */
export function Tabs<T extends string>({ label, tabs, current, onChange, children }: Props<T>) {
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = tabs.findIndex((t) => t.id === current);
    const next = tabs[(index + (event.key === 'ArrowDown' ? 1 : -1) + tabs.length) % tabs.length];
    if (next) {
      onChange(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label={label} aria-orientation="vertical" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            id={`tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={tab.id === current}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === current ? 0 : -1}
            className={tab.id === current ? 'tab active' : 'tab'}
            onClick={() => onChange(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`}>
        {children}
      </div>
    </div>
  );
}
