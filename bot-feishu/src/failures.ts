// Failures explained to the sender: a missing permission in the words an administrator finds in
// the console, a failed download, and what to do with a report too complex to check.
import { FeishuError } from './feishu.js';

/**
 * The open platform's codes for a missing permission: 99991672, the app has not been granted a
 * scope (the message lists the scopes that would do); 99991679, a user authorization is missing.
 */
const PERMISSION_CODES = new Set([99991672, 99991679]);

/** The console names of the scopes the bot uses, as an administrator finds them. */
const SCOPE_NAMES: Record<string, string> = {
  'im:message': '获取与发送单聊、群组消息',
  'im:message:readonly': '获取单聊、群组消息',
  'im:message.group_msg': '获取群组中所有消息',
  'im:message.p2p_msg:readonly': '读取用户发给机器人的单聊消息',
  'im:message.group_at_msg:readonly': '接收群聊中@机器人消息事件',
  'im:message:send_as_bot': '以应用的身份发消息',
  'im:resource': '获取与上传图片或文件资源',
};

/** The open platform's error code, as the sender is told it ('' when there is none). */
export const codeOf = (e: unknown) => (e instanceof FeishuError && e.code ? `（飞书错误码 ${e.code}）` : '');

/**
 * The permission a refusal says is missing, in words for the administrator — the scopes the open
 * platform names in its message, else `fallback` (the ones this call needs); null when the
 * failure is not a missing permission.
 */
export function missingScopes(e: unknown, fallback: string[]): string | null {
  if (!(e instanceof FeishuError) || !((e.code && PERMISSION_CODES.has(e.code)) || e.status === 403))
    return null;
  const listed = /\[([^\]]+)\]/.exec(e.msg)?.[1];
  const scopes = listed
    ? listed
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : fallback;
  return scopes.map((x) => (SCOPE_NAMES[x] ? `“${SCOPE_NAMES[x]}”（${x}）` : x)).join('或');
}

export function downloadFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof FeishuError && !e.code && (e.msg === '请求超时' || e.msg === '下载超时')) {
    return `下载文件超时（${Math.round(timeoutMs / 1000)} 秒内未能下载完成），请稍后重新发送。`;
  }
  const missing = missingScopes(e, ['im:message', 'im:message:readonly']);
  return missing
    ? `下载文件失败${codeOf(e)}：机器人无权读取这条消息的文件，缺少${missing}权限。请联系管理员在开发者后台开通并发布新版本，并确认机器人在这个会话中。`
    : `下载文件失败${codeOf(e)}，请稍后重新发送。`;
}

/** What to do with a report too complex to check in time or memory, by its format ('' for pasted text). */
export function simpler(ext: string): string {
  switch (ext) {
    case '.pdf':
      return '请把报告另存为 .docx 或 .txt 后重新发送。';
    case '.doc':
    case '.wps':
      return '请在 Word 或 WPS 中把报告另存为 .docx 后重新发送。';
    case '.html':
    case '.htm':
      return '请把报告另存为 .docx，或把正文复制为 .txt 后重新发送。';
    case '.docx':
      return '请确认文件只包含年度报告本身（删去附件、图片和其他材料），或在 Word 中另存为纯文本 .txt 后重新发送。';
    default:
      return '请确认发送的是年度报告全文，删去报告以外的内容后重新发送。';
  }
}
