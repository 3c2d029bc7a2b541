#!/usr/bin/env node
// nianbao-feishu: the Feishu bot. Configured by environment variables (see README).
import { BotConfigError, readConfig } from './config.js';
import { createLogger } from './log.js';
import { startBot, StartError } from './app.js';

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
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('正在停止：等待进行中的检查完成');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await running.stop();
    log.info('已停止');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`nianbao-feishu：意外错误：${(e as Error)?.message ?? e}\n`);
  process.exit(1);
});
