import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageWindow } from '../../../shared/ipc/state.js';
import type { Snowflake } from '../../../shared/snowflake.js';
import { Icon } from '../../components/Icon.js';
import { buildRows, type MessageRow } from './rows.js';
import { MessageItem, type ChannelAbilities } from './MessageItem.js';
import { anchoredScrollOffset, findScrollAnchor, isOlderPagePrepend, type ScrollAnchor } from './scroll-anchor.js';

export interface Props {
  channelName: string;
  guildId: Snowflake;
  window: MessageWindow;
  firstUnreadId: Snowflake | undefined;
  abilities: ChannelAbilities;
  /** A message to bring into view (reply jump); `token` distinguishes repeated jumps. */
  jump: { messageId: Snowflake; token: number } | null;
  onLoadOlder(): void;
  onLoadNewer(): void;
  /** "Jump to present": load the newest page when the window does not reach it. */
  onJumpToPresent(): Promise<void>;
  /** Called when the view reaches or leaves the bottom (mark read at bottom). */
  onAtBottomChange(atBottom: boolean): void;
  onJump(messageId: Snowflake): void;
}

/** Pixels from the top at which the next older page starts loading. */
const LOAD_AHEAD_PX = 800;
/** Pixels from the bottom that still count as "at the bottom". */
const BOTTOM_SLACK_PX = 32;

function estimateSize(row: MessageRow | undefined): number {
  switch (row?.kind) {
    case 'message':
      return row.grouped ? 24 : 64 + (row.message.attachments.length > 0 ? 200 : 0);
    case 'channel-start':
      return 120;
    case 'loading-older':
      return 160;
    default:
      return 40;
  }
}

/**
 * The virtualized message list: only the rows in view (plus overscan) are in the DOM, whatever
 * the channel's size. Anchored to the end: older pages prepend without moving what is on screen,
 * and new messages follow when the view is at the bottom.
 *
 * The list opens at its end. Its virtualizer is created again when the first page arrives (the
 * `key` below), starting at that page's estimated end: created while the window was still empty,
 * it would render and measure the oldest rows of the page first, only to scroll away from them.
 */
export function MessageList(props: Props) {
  const hasMessages = props.window.messages.length > 0;
  const [opened, setOpened] = useState(hasMessages);
  // Latched: a channel whose messages are all deleted later keeps its list (and scroll state).
  if (hasMessages && !opened) setOpened(true);
  return <VirtualMessageList key={opened ? 'opened' : 'empty'} {...props} />;
}

function VirtualMessageList(props: Props) {
  const { window: history, firstUnreadId, jump, onLoadOlder, onLoadNewer, onAtBottomChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const rows = useMemo(
    () => buildRows(history.messages, { hasMoreBefore: history.hasMoreBefore, firstUnreadId }),
    [history.messages, history.hasMoreBefore, firstUnreadId],
  );
  // Our own anchor for older pages (see scroll-anchor.ts). It is read here, in render, because
  // the DOM still shows the committed rows only until this render commits (a function component
  // has no getSnapshotBeforeUpdate); reading is idempotent, so a repeated render is harmless.
  const committedMessages = useRef(history.messages);
  const prependAnchor = useRef<ScrollAnchor | null>(null);
  if (scroller.current && history.messages[0]?.id !== committedMessages.current[0]?.id) {
    prependAnchor.current = readScrollAnchor(scroller.current);
  }
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateSize(rows[index]),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 10,
    // The first rows rendered are the newest ones: the browser window's height above the estimated end
    // (the scroller is not in the DOM yet, and is a little shorter than the browser window).
    initialOffset: () => Math.max(0, rows.reduce((total, row) => total + estimateSize(row), 0) - window.innerHeight),
    initialRect: { width: 0, height: window.innerHeight },
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: BOTTOM_SLACK_PX,
  });

  // The new page's rows are estimates until they render. Those between the view's top and the
  // kept message are measured in view, where the virtualizer would let them push the kept message
  // (it compensates only rows above the view): compensate them too. Other rows: its defaults.
  const keptRow = useRef(-1);
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const offset = instance.scrollOffset ?? 0;
    if (item.index < keptRow.current && item.start >= offset && item.start < offset + (scroller.current?.clientHeight ?? 0)) return true;
    return instance.itemSizeCache.has(item.key) ? item.end <= offset && instance.scrollDirection !== 'backward' : item.start < offset;
  };

  // After an older page is prepended, put the anchor message back where it was. Declared after
  // useVirtualizer so it runs after the virtualizer's own (placeholder-based) adjustment.
  useLayoutEffect(() => {
    const before = committedMessages.current;
    committedMessages.current = history.messages;
    const anchor = prependAnchor.current;
    prependAnchor.current = null;
    if (!anchor || !isOlderPagePrepend(before.map((m) => m.id), history.messages.map((m) => m.id))) return;
    const index = rows.findIndex((row) => row.kind === 'message' && row.message.id === anchor.messageId);
    const start = virtualizer.measurementsCache[index]?.start;
    if (start === undefined) return;
    keptRow.current = index;
    virtualizer.scrollToOffset(anchoredScrollOffset(anchor, start));
  }, [history.messages, rows, virtualizer]);

  // Open at the bottom once the first page is there.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || history.messages.length === 0) return;
    opened.current = true;
    virtualizer.scrollToEnd();
  }, [history.messages.length, virtualizer]);

  const check = () => {
    const element = scroller.current;
    if (!element) return;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      onAtBottomChange(bottom && !history.hasMoreAfter);
    }
    if (element.scrollTop < LOAD_AHEAD_PX && history.hasMoreBefore && !history.loadingBefore && history.messages.length > 0) onLoadOlder();
    if (bottom && history.hasMoreAfter && !history.loadingAfter) onLoadNewer();
  };
  // Also after each change: a short first page may not fill the view, so keep loading.
  useEffect(check);

  // Reply jumps: scroll the target into the middle once it is loaded.
  const handledJump = useRef(0);
  useEffect(() => {
    if (!jump || handledJump.current === jump.token) return;
    const index = rows.findIndex((row) => row.kind === 'message' && row.message.id === jump.messageId);
    if (index < 0) return;
    handledJump.current = jump.token;
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [jump, rows, virtualizer]);

  const jumpToPresent = async () => {
    await props.onJumpToPresent();
    virtualizer.scrollToEnd();
  };

  const items = virtualizer.getVirtualItems();
  // aria-live off: rows enter the DOM as the user scrolls, which must not be announced as new.
  return (
    <div className="message-list-wrap">
      <div ref={scroller} className="message-scroller" onScroll={check} role="log" aria-live="off" aria-label={`Messages in #${props.channelName}`} tabIndex={0}>
        <div className="message-rows" role="list" style={{ height: virtualizer.getTotalSize() }}>
          <div className="message-rows-inner" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => (
              <div key={item.key} ref={virtualizer.measureElement} data-index={item.index} data-message-id={messageIdOf(rows[item.index])} role="listitem">
                {renderRow(rows[item.index], props)}
              </div>
            ))}
          </div>
        </div>
      </div>
      {(!atBottom || history.hasMoreAfter) && history.messages.length > 0 && (
        <button type="button" className="jump-to-present" onClick={() => void jumpToPresent()}>
          {history.hasMoreAfter ? 'You’re viewing older messages' : 'Newer messages below'}
          <span className="jump-to-present-label">Jump To Present <Icon name="arrowDown" size={16} /></span>
        </button>
      )}
    </div>
  );
}

function messageIdOf(row: MessageRow | undefined): string | undefined {
  return row?.kind === 'message' ? row.message.id : undefined;
}

/** The first visible message row of the scroller as it is on screen now. */
function readScrollAnchor(element: HTMLElement): ScrollAnchor | null {
  const viewportTop = element.getBoundingClientRect().top;
  const boxes = Array.from(element.querySelectorAll<HTMLElement>('[role="listitem"]'), (row) => {
    const rect = row.getBoundingClientRect();
    return { messageId: row.dataset.messageId ?? null, top: rect.top - viewportTop, bottom: rect.bottom - viewportTop };
  });
  return findScrollAnchor(boxes, element.clientHeight);
}

function renderRow(row: MessageRow | undefined, props: Props) {
  switch (row?.kind) {
    case undefined:
      return null;
    case 'message':
      return <MessageItem message={row.message} grouped={row.grouped} guildId={props.guildId} abilities={props.abilities} onJump={props.onJump} />;
    case 'date':
      return row.unread ? (
        <div className="date-separator unread" role="separator" aria-label={`${row.label}, new messages`}>
          <span>{row.label}</span>
          <span className="new-pill" aria-hidden="true">New</span>
        </div>
      ) : (
        <div className="date-separator" role="separator" aria-label={row.label}><span>{row.label}</span></div>
      );
    case 'unread-divider':
      return <div className="unread-divider" role="separator" aria-label="New messages"><span>New</span></div>;
    case 'channel-start':
      return (
        <div className="channel-start">
          <span className="channel-start-icon"><Icon name="hash" size={40} /></span>
          <h2>Welcome to #{props.channelName}!</h2>
          <p className="hint">This is the start of the #{props.channelName} channel.</p>
        </div>
      );
    case 'loading-older':
      return (
        <div className="loading-older" aria-busy="true">
          <span className="visually-hidden">Loading older messages…</span>
          {[0, 1, 2].map((i) => <div key={i} className="skeleton-message" aria-hidden="true" />)}
        </div>
      );
  }
}
