#!/usr/bin/env node
import { startBot } from './app.js';
// nianbao-feishu: the Feishu bot. Configured by environment variables (see README).
import { BotConfigError, readConfig } from './config.js';
import { createLogger } from './log.js';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig();
  } catch (e) {
    if (e instanceof BotConfigError) {
      process.stderr.write(`nianbao-feishu：配置有误\n${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel, [config.appSecret, config.encryptKey, config.verificationToken]);
  let running;
  try {
    running = await startBot(config, log, {
      onFatal: (e) => {
        log.fatal({ err: e.message }, '长连接已断开且无法恢复，退出');
        process.exit(1);
      },
    });
  } catch (e) {
    log.fatal({ err: (e as Error).message }, '启动失败');
    process.stderr.write(`nianbao-feishu：启动失败：${(e as Error).message}\n`);
    process.exit(1);
  }
  log.info({ mode: config.mode, domain: config.domain }, '年报校对机器人已启动');
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ grace_ms: config.shutdownMs }, '正在停止：等待进行中的检查完成');
    // Past the grace period every open message is answered (one open-platform request each, bounded
    // by the request timeout); this is the backstop should any of that hang.
    const force = setTimeout(
      () => {
        log.fatal('停止超时，强制退出');
        process.exit(1);
      },
      config.shutdownMs + config.requestTimeoutMs + 5000,
    );
    force.unref();
    await running.stop();
    log.info('已停止');
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // A promise nobody awaited failed: log it and keep serving (the default would end the process
  // and leave every accepted message unanswered).
  process.on('unhandledRejection', (e) =>
    log.error({ err: (e as Error)?.stack ?? String(e) }, '未处理的异步错误'),
  );
  // A synchronous error escaped: the process may be in a bad state. Answer what was accepted, then exit.
  process.on('uncaughtException', (e) => {
    log.fatal({ err: e?.stack ?? String(e) }, '意外错误，正在停止');
    void stop(1);
  });
}

main().catch((e) => {
  process.stderr.write(`nianbao-feishu：意外错误：${(e as Error)?.message ?? e}\n`);
  process.exit(1);
});
