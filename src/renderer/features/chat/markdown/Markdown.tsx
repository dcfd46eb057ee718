import { missingCase } from '../../../../shared/missing-case.js';
import { useContext, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type MarkdownNode } from './parse.js';
import { MarkdownContext, type MarkdownResolvers } from './MarkdownContext.js';
import { ExternalLink } from './ExternalLink.js';
import { Spoiler } from './Spoiler.js';

export interface Props {
  /** The raw message content. */
  content: string;
}

/** Renders message content from its parsed tree: React elements only, never HTML strings. */
export function Markdown({ content }: Props) {
  const resolvers = useContext(MarkdownContext);
  const tree = useMemo(() => parseMarkdown(content), [content]);
  return <>{renderNodes(tree, resolvers)}</>;
}

function renderNodes(nodes: readonly MarkdownNode[], r: MarkdownResolvers): ReactNode[] {
  return nodes.map((node, index) => renderNode(node, r, index));
}

function renderNode(node: MarkdownNode, r: MarkdownResolvers, key: number): ReactNode {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'br':
      return <br key={key} />;
    case 'strong':
      return <strong key={key}>{renderNodes(node.children, r)}</strong>;
    case 'em':
      return <em key={key}>{renderNodes(node.children, r)}</em>;
    case 'underline':
      return <u key={key}>{renderNodes(node.children, r)}</u>;
    case 'strike':
      return <s key={key}>{renderNodes(node.children, r)}</s>;
    case 'spoiler':
      return <Spoiler key={key}>{renderNodes(node.children, r)}</Spoiler>;
    case 'blockquote':
      return <blockquote key={key} className="md-quote">{renderNodes(node.children, r)}</blockquote>;
    case 'inlineCode':
      return <code key={key} className="md-code">{node.text}</code>;
    case 'codeBlock':
      return (
        <pre key={key} className="md-pre" data-lang={node.lang ?? undefined}>
          <code>{node.text}</code>
        </pre>
      );
    case 'link':
      return <ExternalLink key={key} url={node.url} open={r.openExternal}>{renderNodes(node.children, r)}</ExternalLink>;
    case 'userMention': {
      const name = r.userName(node.id);
      return (
        <button
          key={key}
          type="button"
          className={node.id === r.meId ? 'mention mention-me' : 'mention'}
          onClick={(event) => r.openUser?.(node.id, event.currentTarget)}
        >
          @{name ?? 'unknown-user'}
        </button>
      );
    }
    case 'roleMention': {
      const role = r.role(node.id);
      const color = role && role.color ? `#${role.color.toString(16).padStart(6, '0')}` : undefined;
      return <span key={key} className="mention" style={color ? { color } : undefined}>@{role?.name ?? 'deleted-role'}</span>;
    }
    case 'channelMention': {
      const name = r.channelName(node.id);
      return (
        <button key={key} type="button" className="mention" onClick={() => r.openChannel(node.id)}>
          #{name ?? 'unknown'}
        </button>
      );
    }
    case 'everyone':
      return <span key={key} className="mention">@{node.which}</span>;
    default:
      return missingCase(node);
  }
}

/**
 * The text a reader sees, without formatting: for one-line previews (reply quotes) where markup
 * characters would show raw. Mentions read as names; spoilers stay hidden.
 */
export function markdownToPlainText(content: string, r: MarkdownResolvers): string {
  return plainNodes(parseMarkdown(content), r).replace(/\s+/g, ' ').trim();
}

function plainNodes(nodes: readonly MarkdownNode[], r: MarkdownResolvers): string {
  return nodes.map((node) => plainNode(node, r)).join('');
}

function plainNode(node: MarkdownNode, r: MarkdownResolvers): string {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'br':
      return ' ';
    case 'strong':
    case 'em':
    case 'underline':
    case 'strike':
    case 'link':
      return plainNodes(node.children, r);
    // Blocks own their line breaks: keep a space where the break was.
    case 'blockquote':
      return `${plainNodes(node.children, r)} `;
    case 'codeBlock':
      return ` ${node.text} `;
    case 'spoiler':
      return '(spoiler)';
    case 'inlineCode':
      return node.text;
    case 'userMention':
      return `@${r.userName(node.id) ?? 'unknown-user'}`;
    case 'roleMention':
      return `@${r.role(node.id)?.name ?? 'deleted-role'}`;
    case 'channelMention':
      return `#${r.channelName(node.id) ?? 'unknown'}`;
    case 'everyone':
      return `@${node.which}`;
    default:
      return missingCase(node);
  }
}
