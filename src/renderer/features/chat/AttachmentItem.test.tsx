import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Attachment } from '../../../shared/protocol/entities.js';
import { readyState, renderWithApp } from '../../test-support/harness.js';
import { AttachmentItem } from './AttachmentItem.js';
import { urlExpiry } from './fresh-urls.js';

afterEach(cleanup);

const hex = (ms: number) => Math.floor(ms / 1000).toString(16);
const signed = (expiresAt: number, hm = 'a'.repeat(64)) => `http://hearth.test/attachments/200/300/cat.png?ex=${hex(expiresAt)}&is=${hex(expiresAt - 86_400_000)}&hm=${hm}&`;

function image(url: string): Attachment {
  return { id: '300', filename: 'cat.png', size: 10, url, proxy_url: url, content_type: 'image/png', width: 40, height: 30 };
}

describe('AttachmentItem', () => {
  it('asks for a fresh URL when the signed one has expired, and shows it', async () => {
    const expired = signed(Date.now() - 1000);
    const fresh = signed(Date.now() + 86_400_000, 'b'.repeat(64));
    const { fake } = renderWithApp(<AttachmentItem attachment={image(expired)} />, readyState(), {
      refreshAttachmentUrls: { ok: true, value: { [expired]: fresh } },
    });
    await waitFor(() => expect(fake.callsOf('refreshAttachmentUrls')).toEqual([[[expired]]]));
    await waitFor(() => expect(screen.getByRole('img', { name: 'cat.png' }).getAttribute('src')).toBe(fresh));
    expect(screen.getByRole('link', { name: 'Open image cat.png' }).getAttribute('href')).toBe(fresh);
  });

  it('keeps a URL that still works, and refreshes it when it fails to load', async () => {
    const valid = signed(Date.now() + 3_600_000);
    const fresh = signed(Date.now() + 86_400_000, 'c'.repeat(64));
    const { fake } = renderWithApp(<AttachmentItem attachment={image(valid)} />, readyState(), {
      refreshAttachmentUrls: { ok: true, value: { [valid]: fresh } },
    });
    const img = screen.getByRole('img', { name: 'cat.png' });
    expect(img.getAttribute('src')).toBe(valid);
    expect(fake.callsOf('refreshAttachmentUrls')).toEqual([]);
    fireEvent.error(img);
    await waitFor(() => expect(img.getAttribute('src')).toBe(fresh));
  });

  it('leaves unsigned URLs and files the server would not re-sign alone', async () => {
    const expired = signed(Date.now() - 1000);
    const { fake } = renderWithApp(<AttachmentItem attachment={{ ...image(expired), content_type: 'text/plain', width: null, height: null, filename: 'notes.txt' }} />, readyState(), {
      refreshAttachmentUrls: { ok: true, value: {} },
    });
    await waitFor(() => expect(fake.callsOf('refreshAttachmentUrls')).toHaveLength(1));
    expect(screen.getByRole('link', { name: 'Download notes.txt' }).getAttribute('href')).toBe(expired);
    expect(urlExpiry('http://hearth.test/attachments/1/2/a.png')).toBeUndefined();
    expect(urlExpiry(signed(1_700_000_000_000))).toBe(1_700_000_000_000);
  });
});
