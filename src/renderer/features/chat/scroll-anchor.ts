/**
 * Keeping the view still when an older page is prepended to the message list.
 *
 * The virtualizer anchors to whatever row is at the top of the view. When the user has scrolled
 * into the "loading older messages" placeholder, that row is the placeholder, which stays first
 * after the prepend: the view would then show the oldest messages of the new page, skipping about
 * a page. So the list keeps its own anchor: the first visible real message and its offset from the
 * viewport's top, taken before the prepend and restored after it.
 */

/** A rendered row's box, relative to the top of the scroll viewport (pixels). */
export interface RowBox {
  /** The message the row shows; null for separators and placeholders. */
  messageId: string | null;
  top: number;
  bottom: number;
}

/** The message to keep still, and how far below the viewport's top its row starts. */
export interface ScrollAnchor {
  messageId: string;
  offset: number;
}

/** The first message row that is at least partly visible (rows in any order), or null. */
export function findScrollAnchor(rows: readonly RowBox[], viewportHeight: number): ScrollAnchor | null {
  let best: RowBox | null = null;
  for (const row of rows) {
    if (row.messageId === null || row.bottom <= 0 || row.top >= viewportHeight) continue;
    if (best === null || row.top < best.top) best = row;
  }
  return best?.messageId ? { messageId: best.messageId, offset: best.top } : null;
}

/**
 * Whether going from `before` to `after` (message ids, oldest first) prepended older messages:
 * the old oldest message is still there but no longer first.
 */
export function isOlderPagePrepend(before: readonly string[], after: readonly string[]): boolean {
  const oldest = before[0];
  return oldest !== undefined && after[0] !== oldest && after.includes(oldest);
}

/** The scroll offset that puts the anchor's row, now starting at `rowStart`, back at its offset. */
export function anchoredScrollOffset(anchor: ScrollAnchor, rowStart: number): number {
  return Math.max(0, rowStart - anchor.offset);
}
