/**
 * Routing from tenant rules: tier first (VIPs go to their team whatever the topic), then topic, then
 * language, then the fallback group. Skills are always filled so helpdesks without groups can use them.
 */
import type { RoutingResult } from '../types/handoff-report.ts';
import type { ResolvedAnalysisOptions } from './options.ts';

export interface RoutingInput {
  topic: string;
  language: string;
  tier?: string;
  options: ResolvedAnalysisOptions;
}

function lookup(map: Record<string, number> | undefined, key: string | undefined): number | undefined {
  if (!map || !key) return undefined;
  if (map[key] !== undefined) return map[key];
  const lower = key.toLowerCase();
  const hit = Object.entries(map).find(([k]) => k.toLowerCase() === lower);
  return hit?.[1];
}

export function route(input: RoutingInput): RoutingResult {
  const r = input.options.routing;
  const tier = input.tier?.trim();
  const skills = [`topic:${input.topic}`, `lang:${input.language}`];
  if (tier) skills.push(`tier:${tier.toLowerCase()}`);
  const base = { skills, language: input.language };
  const byTier = lookup(r.byTier, tier);
  if (byTier !== undefined) return { ...base, groupId: byTier, rule: `tier:${tier}` };
  const byTopic = lookup(r.byTopic, input.topic);
  if (byTopic !== undefined) return { ...base, groupId: byTopic, rule: `topic:${input.topic}` };
  const byLang = lookup(r.byLanguage, input.language);
  if (byLang !== undefined) return { ...base, groupId: byLang, rule: `language:${input.language}` };
  if (r.fallbackGroupId !== undefined) return { ...base, groupId: r.fallbackGroupId, rule: 'fallback' };
  return { ...base, rule: 'none' };
}
