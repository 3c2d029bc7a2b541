// The Feishu bot's reading of incoming messages: text, post (plain and locale-wrapped), files, commands.
import { describe, expect, it } from 'vitest';
import { missingScopes } from '../../bot-feishu/src/bot.js';
import { FeishuError } from '../../bot-feishu/src/feishu.js';
import { readMessage } from '../../bot-feishu/src/message.js';

describe('readMessage', () => {
  it('a text message, without the @-mention of the bot', () => {
    expect(
      readMessage('text', JSON.stringify({ text: '@_user_1 一、总体情况\n二、主动公开政府信息情况' }), [
        { key: '@_user_1' },
      ]),
    ).toEqual({ kind: 'text', text: '一、总体情况\n二、主动公开政府信息情况' });
  });
  it('commands, with or without a slash or mention', () => {
    expect(readMessage('text', JSON.stringify({ text: '帮助' }))).toEqual({
      kind: 'command',
      command: 'help',
    });
    expect(readMessage('text', JSON.stringify({ text: '@_user_1 模板' }), [{ key: '@_user_1' }])).toEqual({
      kind: 'command',
      command: 'template',
    });
    expect(readMessage('text', JSON.stringify({ text: '/规则' }))).toEqual({
      kind: 'command',
      command: 'rules',
    });
  });
  it('a post, plain and locale-wrapped, paragraphs as lines', () => {
    const body = {
      title: '青禾县农业农村局2024年政府信息公开工作年度报告',
      content: [
        [{ tag: 'text', text: '一、总体情况' }],
        [
          { tag: 'at', user_id: 'x' },
          { tag: 'text', text: '行政许可 | 14 |' },
        ],
      ],
    };
    const want = {
      kind: 'text',
      text: '青禾县农业农村局2024年政府信息公开工作年度报告\n一、总体情况\n行政许可 | 14 |',
    };
    expect(readMessage('post', JSON.stringify(body))).toEqual(want);
    expect(readMessage('post', JSON.stringify({ zh_cn: body }))).toEqual(want);
  });
  it('a file message', () => {
    expect(readMessage('file', JSON.stringify({ file_key: 'file_v3_abc', file_name: '年报.docx' }))).toEqual({
      kind: 'file',
      fileKey: 'file_v3_abc',
      fileName: '年报.docx',
    });
  });
  it('anything else, or broken content, is unsupported — never a throw', () => {
    expect(readMessage('image', JSON.stringify({ image_key: 'x' }))).toEqual({
      kind: 'unsupported',
      messageType: 'image',
    });
    expect(readMessage('text', '{not json')).toEqual({ kind: 'unsupported', messageType: 'text' });
    expect(readMessage('file', '{}')).toEqual({ kind: 'unsupported', messageType: 'file' });
  });
});

describe('missing permissions named for the administrator', () => {
  it('the scopes the open platform lists, else the ones the call needs; other failures are not about permissions', () => {
    const denied = new FeishuError(
      'im.messageResource.get',
      99991672,
      'Access denied. One of the following scopes is required: [im:message, im:message:readonly]',
      400,
    );
    expect(missingScopes(denied, ['im:resource'])).toBe(
      '“获取与发送单聊、群组消息”（im:message）或“获取单聊、群组消息”（im:message:readonly）',
    );
    expect(
      missingScopes(new FeishuError('im.message.get', 99991679, 'Unauthorized'), ['im:message.group_msg']),
    ).toBe('“获取群组中所有消息”（im:message.group_msg）');
    expect(
      missingScopes(new FeishuError('im.message.get', 230002, 'The message is not found.'), ['im:message']),
    ).toBe(null);
    expect(missingScopes(new Error('socket hang up'), ['im:message'])).toBe(null);
  });
});
