/**
 * Attachment URLs are signed and expire (Discord's `?ex=&is=&hm=`, a day after issue). A message
 * can stay on screen longer than that, so a shown attachment asks the server for a fresh URL a
 * minute before its own expires, or when it fails to load. Requests made together travel as one
 * `refreshAttachmentUrls` call (up to 50 URLs, the server's limit).
 */
import { useEffect, useState } from 'react';
import type { HearthBridge } from '../../../shared/ipc/bridge.js';
import { useServices } from '../../app/hooks.js';

/** How long before its expiry a URL is replaced. */
const MARGIN_MS = 60_000;
/** The most URLs one refresh request carries. */
const BATCH = 50;

/** Unix ms when a signed attachment URL stops working; undefined for a URL without `ex`. */
export function urlExpiry(url: string): number | undefined {
  const ex = /[?&]ex=([0-9a-f]{1,12})(&|$)/.exec(url)?.[1];
  return ex === undefined ? undefined : parseInt(ex, 16) * 1000;
}

/** Gathers the URLs asked for in one turn and refreshes them together. */
class UrlRefresher {
  private readonly waiting = new Map<string, ((fresh: string) => void)[]>();
  private scheduled = false;

  constructor(private readonly bridge: HearthBridge) {}

  /** A fresh URL, or the same one when the server gave none (no access any more, or unreachable). */
  refresh(url: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.set(url, [...(this.waiting.get(url) ?? []), resolve]);
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = new Map(this.waiting);
    this.waiting.clear();
    const urls = [...batch.keys()];
    for (let start = 0; start < urls.length; start += BATCH) {
      const chunk = urls.slice(start, start + BATCH);
      const result = await this.bridge.refreshAttachmentUrls(chunk);
      for (const url of chunk) {
        const fresh = (result.ok ? result.value[url] : undefined) ?? url;
        for (const resolve of batch.get(url) ?? []) resolve(fresh);
      }
    }
  }
}

const refreshers = new WeakMap<HearthBridge, UrlRefresher>();

function refresherOf(bridge: HearthBridge): UrlRefresher {
  let refresher = refreshers.get(bridge);
  if (!refresher) {
    refresher = new UrlRefresher(bridge);
    refreshers.set(bridge, refresher);
  }
  return refresher;
}

/**
 * The URL to show for an attachment: the given one until shortly before it expires (or after it
 * failed to load: call `failed`), then a fresh one from the server.
 */
export function useFreshUrl(url: string): { url: string; failed: () => void } {
  const { bridge } = useServices();
  const [fresh, setFresh] = useState<{ of: string; url: string } | null>(null);
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const current = fresh?.of === url ? fresh.url : url;

  useEffect(() => {
    const expiry = urlExpiry(current);
    if (expiry === undefined) return;
    let live = true;
    const run = () => {
      void refresherOf(bridge).refresh(current).then((next) => {
        if (live && next !== current) setFresh({ of: url, url: next });
      });
    };
    // A URL that failed to load is refreshed now; one that works, a minute before it expires.
    const wait = failedUrl === current ? 0 : Math.max(0, expiry - MARGIN_MS - Date.now());
    const timer = setTimeout(run, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, url, current, failedUrl]);

  return { url: current, failed: () => setFailedUrl(current) };
}
