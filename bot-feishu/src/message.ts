// What a user sent: the report text of a text or post message, a file, or a command. Pure
// functions over the im.message.receive_v1 event's message — no SDK, no network.

export type Incoming =
  | { kind: 'command'; command: 'help' | 'template' | 'rules' }
  | { kind: 'text'; text: string }
  | { kind: 'file'; fileKey: string; fileName: string }
  | { kind: 'unsupported'; messageType: string };

interface Mention {
  key: string;
}

/** Reads a message's content (a JSON string, as Feishu sends it). Never throws. */
export function readMessage(messageType: string, content: string, mentions: Mention[] = []): Incoming {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return { kind: 'unsupported', messageType };
  }
  if (messageType === 'file') {
    const fileKey = typeof c.file_key === 'string' ? c.file_key : '';
    return fileKey
      ? { kind: 'file', fileKey, fileName: typeof c.file_name === 'string' ? c.file_name : '' }
      : { kind: 'unsupported', messageType };
  }
  let text: string;
  if (messageType === 'text') text = typeof c.text === 'string' ? c.text : '';
  else if (messageType === 'post') text = postText(c);
  else return { kind: 'unsupported', messageType };
  // Drop @-mention placeholders (@_user_1) of the bot.
  for (const m of mentions) text = text.split(m.key).join('');
  const trimmed = text.trim();
  const command = COMMANDS[trimmed.replace(/^\/+/, '')];
  if (command) return { kind: 'command', command };
  return { kind: 'text', text: trimmed };
}

const COMMANDS: Record<string, 'help' | 'template' | 'rules'> = {
  帮助: 'help',
  help: 'help',
  '?': 'help',
  '？': 'help',
  模板: 'template',
  template: 'template',
  规则: 'rules',
  rules: 'rules',
};

/**
 * A post's text: `{title, content: [[{tag:'text', text}, …], …]}`, either directly or wrapped by
 * locale (`{zh_cn: {...}}`); paragraphs become lines.
 */
export function postText(c: Record<string, unknown>): string {
  const body = (
    Array.isArray(c.content)
      ? c
      : Object.values(c).find(
          (v) => v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content),
        )
  ) as { title?: string; content?: unknown[] } | undefined;
  if (!body) return '';
  const lines: string[] = [];
  if (body.title) lines.push(body.title);
  for (const para of body.content ?? []) {
    if (!Array.isArray(para)) continue;
    lines.push(
      para
        .map((el: { tag?: string; text?: string }) =>
          el && (el.tag === 'text' || el.tag === 'a' || el.tag === 'md') && typeof el.text === 'string'
            ? el.text
            : '',
        )
        .join(''),
    );
  }
  return lines.join('\n');
}
