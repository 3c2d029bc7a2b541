// Configuration (.nianbaorc.json) as every adapter resolves it: per-rule severity.

import { RULES } from '../rules/index.js';
import type { Severity } from './model.js';

export type RuleSetting = 'off' | Severity;
export interface Config {
  rules: Record<string, RuleSetting>;
}

export class ConfigError extends Error {}

const SETTINGS = new Set(['off', 'info', 'warning', 'error']);

/** Validates a parsed configuration object; throws ConfigError with a Chinese message. */
export function parseConfig(raw: unknown, knownRules: Iterable<string>, source = '配置'): Config {
  const known = new Set(knownRules);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${source}：应为 JSON 对象`);
  const rules = (raw as { rules?: unknown }).rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules))
    throw new ConfigError(`${source}：“rules”应为对象`);
  const out: Config = { rules: {} };
  for (const [id, v] of Object.entries(rules as Record<string, unknown>)) {
    if (!known.has(id)) throw new ConfigError(`${source}：未知的规则“${id}”`);
    if (typeof v !== 'string' || !SETTINGS.has(v))
      throw new ConfigError(
        `${source}：规则“${id}”的级别应为 off、info、warning 或 error，而不是 ${JSON.stringify(v)}`,
      );
    out.rules[id] = v as RuleSetting;
  }
  return out;
}

/** The severity a finding gets: the configured one, else the rule's own. */
export function resolveSeverity(config: Config | undefined, ruleId: string, own: Severity): Severity | 'off' {
  return config?.rules[ruleId] ?? own;
}

/** A config object read from a file, checked against the rule ids this build knows. */
export function loadConfig(raw: unknown, source?: string): Config {
  return parseConfig(
    raw,
    RULES.map((r) => r.id),
    source,
  );
}
