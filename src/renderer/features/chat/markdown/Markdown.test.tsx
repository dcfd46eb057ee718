import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Markdown, markdownToPlainText } from './Markdown.js';
import { MarkdownContext, defaultResolvers, type MarkdownResolvers } from './MarkdownContext.js';
import { parseMarkdown } from './parse.js';

afterEach(cleanup);

function renderContent(content: string, resolvers: Partial<MarkdownResolvers> = {}) {
  return render(
    <MarkdownContext.Provider value={{ ...defaultResolvers, ...resolvers }}>
      <div data-testid="root"><Markdown content={content} /></div>
    </MarkdownContext.Provider>,
  );
}

describe('parseMarkdown', () => {
  it('parses nested emphasis, underline, strike and spoilers', () => {
    expect(parseMarkdown('**bold _it_** __under__ ~~gone~~ ||secret||')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'bold ' }, { type: 'em', children: [{ type: 'text', text: 'it' }] }] },
      { type: 'text', text: ' ' },
      { type: 'underline', children: [{ type: 'text', text: 'under' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' ' },
      { type: 'spoiler', children: [{ type: 'text', text: 'secret' }] },
    ]);
  });

  it('keeps code verbatim and reads the code block language', () => {
    expect(parseMarkdown('`**x**` ```ts\nconst a = 1;\n```')).toEqual([
      { type: 'inlineCode', text: '**x**' },
      { type: 'text', text: ' ' },
      { type: 'codeBlock', lang: 'ts', text: 'const a = 1;' },
    ]);
  });

  it('parses quotes only at line start, and >>> quotes the rest', () => {
    expect(parseMarkdown('a > b\n> quoted\nafter')).toEqual([
      { type: 'text', text: 'a > b' },
      { type: 'br' },
      { type: 'blockquote', children: [{ type: 'text', text: 'quoted' }] },
      { type: 'text', text: 'after' },
    ]);
    expect(parseMarkdown('>>> all\nof this')).toEqual([
      { type: 'blockquote', children: [{ type: 'text', text: 'all' }, { type: 'br' }, { type: 'text', text: 'of this' }] },
    ]);
  });

  it('parses mentions, channel links, role mentions and @everyone', () => {
    expect(parseMarkdown('<@12> <@!13> <#14> <@&15> @here')).toEqual([
      { type: 'userMention', id: '12' },
      { type: 'text', text: ' ' },
      { type: 'userMention', id: '13' },
      { type: 'text', text: ' ' },
      { type: 'channelMention', id: '14' },
      { type: 'text', text: ' ' },
      { type: 'roleMention', id: '15' },
      { type: 'text', text: ' ' },
      { type: 'everyone', which: 'here' },
    ]);
  });

  it('links http(s) URLs and masked links, without trailing punctuation', () => {
    expect(parseMarkdown('see https://example.com/a?b=1. and [docs](https://hearth.dev/x)')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', url: 'https://example.com/a?b=1', children: [{ type: 'text', text: 'https://example.com/a?b=1' }] },
      { type: 'text', text: '. and ' },
      { type: 'link', url: 'https://hearth.dev/x', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });

  it('honours backslash escapes', () => {
    expect(parseMarkdown('\\*not italic\\*')).toEqual([{ type: 'text', text: '*not italic*' }]);
  });
});

/** Payloads that must never execute or reach the DOM as markup or script URLs. */
const XSS_PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload="window.__xss=1"></svg>',
  '[click](javascript:window.__xss=1)',
  '[click](JaVaScRiPt:window.__xss=1)',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<javascript:window.__xss=1>',
  'javascript:window.__xss=1',
  '[x](https://ok.example" onmouseover="window.__xss=1)',
  '**<iframe src="javascript:window.__xss=1"></iframe>**',
  '`<script>window.__xss=1</script>`',
  '```html\n<script>window.__xss=1</script>\n```',
  '||<img src=x onerror=window.__xss=1>||',
  '> <a href="javascript:window.__xss=1">quote</a>',
  '[<img src=x onerror=window.__xss=1>](https://example.com)',
  '<@1><img src=x onerror=window.__xss=1>',
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
];

describe('Markdown', () => {
  it('renders formatting as elements', () => {
    renderContent('**bold** *it* __u__ ~~s~~ `code`');
    const root = screen.getByTestId('root');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelector('em')?.textContent).toBe('it');
    expect(root.querySelector('u')?.textContent).toBe('u');
    expect(root.querySelector('s')?.textContent).toBe('s');
    expect(root.querySelector('code')?.textContent).toBe('code');
  });

  it.each(XSS_PAYLOADS)('renders %j as inert text', (payload) => {
    (window as unknown as { __xss?: number }).__xss = undefined;
    renderContent(payload);
    const root = screen.getByTestId('root');
    expect(root.querySelector('script, img, svg, iframe, object, embed')).toBeNull();
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) {
        expect(attribute.startsWith('on')).toBe(false);
      }
      const href = element.getAttribute('href');
      if (href !== null) expect(href).toMatch(/^https?:\/\//);
    }
    for (const link of root.querySelectorAll('a')) fireEvent.click(link);
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
  });

  it('opens links through the bridge instead of navigating', () => {
    const openExternal = vi.fn();
    renderContent('go to https://example.com/path', { openExternal });
    const link = screen.getByRole('link', { name: 'https://example.com/path' });
    const notPrevented = fireEvent.click(link);
    expect(notPrevented).toBe(false);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/path');
  });

  it('shows mentions by name, highlights mentions of me, and opens channel links', () => {
    const openChannel = vi.fn();
    renderContent('<@1> <@2> <#9>', {
      meId: '1',
      userName: (id) => (id === '1' ? 'ada' : id === '2' ? 'bob' : null),
      channelName: (id) => (id === '9' ? 'general' : null),
      openChannel,
    });
    expect(screen.getByRole('button', { name: '@ada' }).className).toContain('mention-me');
    expect(screen.getByRole('button', { name: '@bob' }).className).not.toContain('mention-me');
    fireEvent.click(screen.getByRole('button', { name: '#general' }));
    expect(openChannel).toHaveBeenCalledWith('9');
  });

  it('hides spoilers until revealed', () => {
    renderContent('||the end||');
    const spoiler = screen.getByRole('button', { name: 'Spoiler, activate to reveal' });
    fireEvent.keyDown(spoiler, { key: 'Enter' });
    expect(screen.queryByRole('button', { name: 'Spoiler, activate to reveal' })).toBeNull();
    expect(screen.getByText('the end')).toBeTruthy();
  });
});

describe('markdownToPlainText', () => {
  it('reads as the reader sees it: no markup, mentions by name, spoilers hidden', () => {
    const resolvers = { ...defaultResolvers, userName: (id: string) => (id === '2' ? 'bob' : null), channelName: () => 'general' };
    expect(markdownToPlainText('Hello from **Alice** and __*you*__ <@2> in <#9>', resolvers)).toBe('Hello from Alice and you @bob in #general');
    expect(markdownToPlainText('> quoted\n`code` ||secret|| [site](https://example.com)', resolvers)).toBe('quoted code (spoiler) site');
  });
});
