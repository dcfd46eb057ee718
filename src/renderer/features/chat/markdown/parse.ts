/**
 * Discord-flavoured markdown → a tree of typed nodes. The renderer turns the tree into React
 * elements ({@link ../Markdown}); user text is only ever a `text` node, so nothing reaches
 * `innerHTML`. Rules follow Discord's (simple-markdown based) grammar: the first rule that
 * matches at the cursor wins, and plain text runs until the next character that could start one.
 */

/** One node of the parsed message. */
export type MarkdownNode =
  | { type: 'text'; text: string }
  | { type: 'br' }
  | { type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler' | 'blockquote'; children: MarkdownNode[] }
  | { type: 'inlineCode'; text: string }
  | { type: 'codeBlock'; lang: string | null; text: string }
  | { type: 'link'; url: string; children: MarkdownNode[] }
  | { type: 'userMention'; id: string }
  | { type: 'roleMention'; id: string }
  | { type: 'channelMention'; id: string }
  | { type: 'everyone'; which: 'everyone' | 'here' };

interface ParseState {
  /** True when the cursor is at the start of a line (block quotes only start there). */
  lineStart: boolean;
  /** Quotes do not nest, as in Discord. */
  inQuote: boolean;
  /** Nesting depth, bounded so hostile input cannot blow the stack. */
  depth: number;
}

type Rule = (source: string, state: ParseState) => { node: MarkdownNode; length: number } | null;

const MAX_DEPTH = 12;

/** Only http(s) URLs become links; anything else (javascript:, data:, file:) stays text. */
export function safeUrl(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function wrap(type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler', pattern: RegExp): Rule {
  return (source, state) => {
    const match = pattern.exec(source);
    if (!match) return null;
    return { node: { type, children: parseInline(match[1] ?? '', state) }, length: match[0].length };
  };
}

const rules: Rule[] = [
  // Backslash escapes any punctuation.
  (source) => {
    const match = /^\\([^0-9A-Za-z\s])/.exec(source);
    return match ? { node: { type: 'text', text: match[1] ?? '' }, length: match[0].length } : null;
  },
  (source) => {
    const match = /^```(?:([a-z0-9_+\-.#]+?)\n)?\n*([^\n][\s\S]*?)\n*```/i.exec(source);
    if (!match) return null;
    return { node: { type: 'codeBlock', lang: match[1] ?? null, text: match[2] ?? '' }, length: match[0].length };
  },
  (source, state) => {
    if (!state.lineStart || state.inQuote) return null;
    const rest = /^ *>>> ([\s\S]*)/.exec(source);
    const lines = rest ? null : /^ *> [^\n]*(?:\n *> [^\n]*)*\n?/.exec(source);
    if (!rest && !lines) return null;
    const length = (rest ?? lines)?.[0].length ?? 0;
    const body = rest ? (rest[1] ?? '') : (lines?.[0] ?? '').replace(/^ *> /gm, '').replace(/\n$/, '');
    const children = parseInline(body, { ...state, inQuote: true, lineStart: true });
    return { node: { type: 'blockquote', children }, length };
  },
  (source) => {
    const match = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(source);
    if (!match) return null;
    return { node: { type: 'inlineCode', text: (match[2] ?? '').trim() || (match[2] ?? '') }, length: match[0].length };
  },
  wrap('spoiler', /^\|\|([\s\S]+?)\|\|/),
  wrap('strong', /^\*\*([\s\S]+?)\*\*(?!\*)/),
  wrap('underline', /^__([\s\S]+?)__(?!_)/),
  wrap('em', /^\*(?=\S)((?:\*\*|\\[\s\S]|[^\\*])+?)\*(?!\*)/),
  wrap('em', /^_((?:__|\\[\s\S]|[^\\_])+?)_(?![A-Za-z0-9_])/),
  wrap('strike', /^~~([\s\S]+?)~~/),
  (source) => {
    const match = /^<@&(\d{1,20})>/.exec(source);
    return match ? { node: { type: 'roleMention', id: match[1] ?? '' }, length: match[0].length } : null;
  },
  (source) => {
    const match = /^<@!?(\d{1,20})>/.exec(source);
    return match ? { node: { type: 'userMention', id: match[1] ?? '' }, length: match[0].length } : null;
  },
  (source) => {
    const match = /^<#(\d{1,20})>/.exec(source);
    return match ? { node: { type: 'channelMention', id: match[1] ?? '' }, length: match[0].length } : null;
  },
  (source) => {
    const match = /^@(everyone|here)\b/.exec(source);
    return match ? { node: { type: 'everyone', which: match[1] as 'everyone' | 'here' }, length: match[0].length } : null;
  },
  (source, state) => {
    const match = /^\[([^\]\n]+)\]\(<?([^\s)>]+)>?\)/.exec(source);
    if (!match) return null;
    const url = safeUrl(match[2] ?? '');
    if (!url) return null;
    return { node: { type: 'link', url, children: parseInline(match[1] ?? '', state) }, length: match[0].length };
  },
  (source) => {
    const match = /^<(https?:\/\/[^\s>]+)>/.exec(source);
    const url = match ? safeUrl(match[1] ?? '') : null;
    return match && url ? { node: { type: 'link', url, children: [{ type: 'text', text: match[1] ?? '' }] }, length: match[0].length } : null;
  },
  (source) => {
    const match = /^https?:\/\/[^\s<]+[^<.,:;"')\]\s]/.exec(source);
    const url = match ? safeUrl(match[0]) : null;
    return match && url ? { node: { type: 'link', url, children: [{ type: 'text', text: match[0] }] }, length: match[0].length } : null;
  },
  (source) => (source.startsWith('\n') ? { node: { type: 'br' }, length: 1 } : null),
];

/** Plain text up to the next character that could start a rule (at least one character). */
const TEXT = /^[\s\S]+?(?=[\\`*_~|<@[\n>]|https?:\/\/|$)/;

function parseInline(source: string, outer: ParseState): MarkdownNode[] {
  const state: ParseState = { ...outer, depth: outer.depth + 1 };
  if (state.depth > MAX_DEPTH) return [{ type: 'text', text: source }];
  const nodes: MarkdownNode[] = [];
  let rest = source;
  while (rest.length > 0) {
    let matched: { node: MarkdownNode; length: number } | null = null;
    for (const rule of rules) {
      matched = rule(rest, state);
      if (matched) break;
    }
    if (!matched) {
      const text = TEXT.exec(rest)?.[0] ?? rest.charAt(0);
      matched = { node: { type: 'text', text }, length: text.length };
    }
    pushNode(nodes, matched.node);
    state.lineStart = matched.node.type === 'br' || matched.node.type === 'blockquote' || matched.node.type === 'codeBlock';
    rest = rest.slice(matched.length);
  }
  return nodes;
}

/** Adjacent text nodes merge, so the tree stays small and tests read simply. */
function pushNode(nodes: MarkdownNode[], node: MarkdownNode): void {
  const last = nodes[nodes.length - 1];
  if (node.type === 'text' && last?.type === 'text') last.text += node.text;
  else nodes.push(node);
}

/** Parses a message's content into a markdown tree. */
export function parseMarkdown(source: string): MarkdownNode[] {
  return parseInline(source, { lineStart: true, inQuote: false, depth: 0 });
}

/** The IDs of users mentioned in `source` (for highlighting without a full render). */
export function mentionedUserIds(nodes: readonly MarkdownNode[]): string[] {
  const ids: string[] = [];
  for (const node of nodes) {
    if (node.type === 'userMention') ids.push(node.id);
    else if ('children' in node) ids.push(...mentionedUserIds(node.children));
  }
  return ids;
}
