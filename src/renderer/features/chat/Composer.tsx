import { useEffect, useRef, useState, type ClipboardEvent } from 'react';
import type { Snowflake } from '../../../shared/snowflake.js';
import { selectDisplayName } from '../../../client/state/selectors.js';
import { useClientState, useServices, useUi } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { fileSize } from '../../app/format.js';
import { Icon } from '../../components/Icon.js';
import { toBridgeFiles, uploadProblem, type DraftFile } from './attachments.js';

export interface Props {
  channelId: Snowflake;
  channelName: string;
  guildId: Snowflake;
  canSend: boolean;
  canAttach: boolean;
  /** Files dropped on the chat pane, handed over by the pane's drop zone. */
  droppedFiles: { files: File[]; token: number } | null;
}

/** Drafts survive switching channels (kept per channel for the session). */
const drafts = new Map<Snowflake, string>();
let fileIds = 0;

/**
 * The message box: Enter sends, Shift+Enter adds a line, Up edits my last message, Esc leaves
 * reply mode and marks the channel read; files by button, paste and drop, checked against the
 * size limit before sending.
 */
export function Composer({ channelId, channelName, guildId, canSend, canAttach, droppedFiles }: Props) {
  const { bridge, ui, store } = useServices();
  const [text, setText] = useState(() => drafts.get(channelId) ?? '');
  const [files, setFiles] = useState<DraftFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const replyToId = useUi((s) => s.replyTo[channelId]);
  const replyName = useClientState((s) => {
    const target = replyToId ? s.messages[channelId]?.messages.find((m) => m.id === replyToId) : undefined;
    return target ? selectDisplayName(s, guildId, target.author.id) : null;
  });

  useEffect(() => {
    input.current?.focus();
  }, [channelId, replyToId]);

  const addFiles = (incoming: readonly File[]) => {
    if (incoming.length === 0) return;
    if (!canAttach) {
      setProblem('You do not have permission to attach files in this channel.');
      return;
    }
    const next = [...files, ...incoming.map((file) => ({ id: String(++fileIds), file }))];
    setProblem(uploadProblem(next.map((f) => f.file)));
    setFiles(next);
  };

  const handled = useRef(0);
  useEffect(() => {
    if (!droppedFiles || handled.current === droppedFiles.token) return;
    handled.current = droppedFiles.token;
    addFiles(droppedFiles.files);
  });

  const updateText = (value: string) => {
    setText(value);
    drafts.set(channelId, value);
    if (value.trim()) void bridge.sendTyping(channelId);
  };

  const send = async () => {
    const content = text.trim();
    if (!content && files.length === 0) return;
    const chosen = files.map((f) => f.file);
    const tooLarge = uploadProblem(chosen);
    if (tooLarge) {
      setProblem(tooLarge);
      return;
    }
    setText('');
    setFiles([]);
    setProblem(null);
    drafts.delete(channelId);
    ui.setReplyTo(channelId, null);
    const result = await bridge.sendMessage({
      channelId,
      content,
      ...(replyToId ? { replyTo: replyToId } : {}),
      ...(chosen.length > 0 ? { files: await toBridgeFiles(chosen) } : {}),
    });
    if (!result.ok) setProblem(describeError(result.error));
  };

  const editLast = () => {
    const state = store.getState();
    const me = state?.user?.id;
    const mine = state?.messages[channelId]?.messages.filter((m) => m.author.id === me && m.delivery === 'sent').at(-1);
    if (mine) ui.update({ editing: { channelId, messageId: mine.id } });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    } else if (event.key === 'ArrowUp' && text === '' && files.length === 0) {
      event.preventDefault();
      editLast();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (replyToId) ui.setReplyTo(channelId, null);
      void bridge.ackChannel(channelId);
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = [...event.clipboardData.files];
    if (pasted.length > 0) {
      event.preventDefault();
      addFiles(pasted);
    }
  };

  if (!canSend) {
    return (
      <div className="composer composer-disabled">
        <p className="hint">You do not have permission to send messages in this channel.</p>
      </div>
    );
  }

  return (
    <form className="composer" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      {replyToId && (
        <div className="composer-reply">
          <span>Replying to <strong>{replyName ?? 'a message'}</strong></span>
          <button type="button" className="icon-btn" aria-label="Cancel reply" onClick={() => ui.setReplyTo(channelId, null)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {files.length > 0 && (
        <ul className="composer-files" aria-label="Attachments to send">
          {files.map(({ id, file }) => (
            <li key={id} className="composer-file">
              <Icon name="file" size={28} />
              <span className="composer-file-name" title={file.name}>{file.name}</span>
              <span className="hint">{fileSize(file.size)}</span>
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove ${file.name}`}
                onClick={() => {
                  const next = files.filter((f) => f.id !== id);
                  setFiles(next);
                  setProblem(uploadProblem(next.map((f) => f.file)));
                }}
              >
                <Icon name="trash" size={16} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && <div className="composer-problem" role="alert">{problem}</div>}
      <div className="composer-row">
        {canAttach && (
          <>
            <button type="button" className="icon-btn composer-attach" aria-label="Upload a File" onClick={() => picker.current?.click()}>
              <Icon name="upload" size={22} />
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              aria-hidden="true"
              tabIndex={-1}
              onChange={(event) => {
                addFiles([...(event.target.files ?? [])]);
                event.target.value = '';
              }}
            />
          </>
        )}
        <textarea
          ref={input}
          className="composer-input"
          aria-label={`Message #${channelName}`}
          placeholder={`Message #${channelName}`}
          rows={1}
          value={text}
          maxLength={4000}
          onChange={(event) => updateText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
      </div>
    </form>
  );
}
