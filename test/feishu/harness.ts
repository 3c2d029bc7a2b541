// Runs the built bot (`node dist/bot-feishu/src/main.js`, as users run it) against a stand-in.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP_ID, APP_SECRET, type StandIn } from './standin.js';

// The built entry, whether this file runs from test/ (vitest, tsx) or from dist/test/ (the benchmark).
const MAIN = fileURLToPath(
  new URL(
    import.meta.url.includes('/dist/test/')
      ? '../../bot-feishu/src/main.js'
      : '../../dist/bot-feishu/src/main.js',
    import.meta.url,
  ),
);

export interface BotProcess {
  proc: ChildProcess;
  /** Every line the bot wrote (stdout and stderr). */
  output: string[];
  port?: number;
  stop(): Promise<number | null>;
}

export async function spawnBot(standin: StandIn, env: Record<string, string> = {}): Promise<BotProcess> {
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: APP_SECRET,
      FEISHU_DOMAIN: standin.url,
      LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const bot: BotProcess = {
    proc,
    output,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode != null) return resolve(proc.exitCode);
        // 'close', not 'exit': the last lines of output have arrived by then.
        proc.once('close', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
  let started: () => void;
  let failed: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    started = res;
    failed = rej;
  });
  const onLine = (line: string) => {
    output.push(line);
    if (line.includes('"msg":"年报校对机器人已启动"')) started();
    const port = line.match(/"port":(\d+)/);
    if (port) bot.port = Number(port[1]);
  };
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
  proc.once('exit', (code) => failed(new Error(`bot exited with ${code}:\n${output.join('\n')}`)));
  const timer = setTimeout(() => failed(new Error(`bot did not start:\n${output.join('\n')}`)), 15000);
  await ready.finally(() => clearTimeout(timer));
  return bot;
}

/** The bot's JSON log records. */
export function records(bot: BotProcess): Array<Record<string, unknown>> {
  return bot.output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The bot process's resident memory now and at its peak (VmHWM), MB (Linux). */
export function memory(bot: BotProcess): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${bot.proc.pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}
