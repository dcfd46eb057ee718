import { describe, expect, it } from 'vitest';
import { anchoredScrollOffset, findScrollAnchor, isOlderPagePrepend, type RowBox } from './scroll-anchor.js';

const VIEWPORT = 600;

describe('findScrollAnchor', () => {
  it('takes the first visible message row, skipping the loading placeholder above it', () => {
    const rows: RowBox[] = [
      { messageId: null, top: -100, bottom: 60 }, // the placeholder, partly in view
      { messageId: '11', top: 60, bottom: 122 },
      { messageId: '12', top: 122, bottom: 184 },
    ];
    expect(findScrollAnchor(rows, VIEWPORT)).toEqual({ messageId: '11', offset: 60 });
  });

  it('keeps a partly visible message at a negative offset', () => {
    const rows: RowBox[] = [
      { messageId: '10', top: -80, bottom: -18 }, // overscan, out of view
      { messageId: '11', top: -18, bottom: 44 },
      { messageId: '12', top: 44, bottom: 106 },
    ];
    expect(findScrollAnchor(rows, VIEWPORT)).toEqual({ messageId: '11', offset: -18 });
  });

  it('does not depend on the order rows are given in', () => {
    const rows: RowBox[] = [
      { messageId: '12', top: 44, bottom: 106 },
      { messageId: '11', top: -18, bottom: 44 },
    ];
    expect(findScrollAnchor(rows, VIEWPORT)?.messageId).toBe('11');
  });

  it('finds nothing when no message is in view', () => {
    expect(findScrollAnchor([{ messageId: null, top: 0, bottom: 160 }, { messageId: '9', top: 600, bottom: 662 }], VIEWPORT)).toBeNull();
    expect(findScrollAnchor([], VIEWPORT)).toBeNull();
  });
});

describe('isOlderPagePrepend', () => {
  it('is true when older messages arrive before the old oldest one', () => {
    expect(isOlderPagePrepend(['5', '6', '7'], ['2', '3', '4', '5', '6', '7'])).toBe(true);
  });

  it('is false for appends, edits, a first page and a different window', () => {
    expect(isOlderPagePrepend(['5', '6'], ['5', '6', '7'])).toBe(false);
    expect(isOlderPagePrepend(['5', '6'], ['5', '6'])).toBe(false);
    expect(isOlderPagePrepend([], ['1', '2'])).toBe(false);
    expect(isOlderPagePrepend(['5', '6'], ['90', '91'])).toBe(false);
  });
});

describe('anchoredScrollOffset', () => {
  it('puts the anchor row back at its offset from the viewport top', () => {
    // The row was 60 px below the top; after 50 older messages it starts at 3200 px.
    expect(anchoredScrollOffset({ messageId: '11', offset: 60 }, 3200)).toBe(3140);
    expect(anchoredScrollOffset({ messageId: '11', offset: -18 }, 3200)).toBe(3218);
  });

  it('never scrolls above the top', () => {
    expect(anchoredScrollOffset({ messageId: '1', offset: 100 }, 40)).toBe(0);
  });
});
