import type { Lead } from '@shared/model/lead';
import type { RoutingRule } from '@shared/model/team';

const norm = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
const inList = (list: string[], value: string | undefined): boolean => list.map(norm).includes(norm(value));

/** Every condition that is set must hold; a default rule matches any lead. */
export function ruleMatches(rule: RoutingRule, lead: Pick<Lead, 'source' | 'tags' | 'price' | 'city' | 'zip'>): boolean {
  if (rule.isDefault) return true;
  const c = rule.conditions;
  if (c.sources.length && !inList(c.sources, lead.source)) return false;
  if (c.tags.length && !lead.tags.some((t) => inList(c.tags, t))) return false;
  if (c.minPrice !== undefined && (lead.price === undefined || lead.price < c.minPrice)) return false;
  if (c.maxPrice !== undefined && (lead.price === undefined || lead.price > c.maxPrice)) return false;
  if (c.cities.length && !inList(c.cities, lead.city)) return false;
  if (c.zips.length && !inList(c.zips, lead.zip)) return false;
  return true;
}

/** The order rules are tried in (and shown): by `order`, the default rule last. */
export function inOrder(rules: RoutingRule[]): RoutingRule[] {
  return [...rules].sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.order - b.order);
}

/** The first matching rule in order; the default rule only when no other rule matches. */
export function pickRule(rules: RoutingRule[], lead: Pick<Lead, 'source' | 'tags' | 'price' | 'city' | 'zip'>): RoutingRule | null {
  return inOrder(rules).find((r) => ruleMatches(r, lead)) ?? null;
}

/** Round robin: who gets this lead, and the rule with its pointer moved on (stored in the same transaction). */
export function nextAssignee(rule: RoutingRule, exists: (id: string) => boolean): { assigneeId: string; rule: RoutingRule } | null {
  const n = rule.assigneeIds.length;
  for (let k = 0; k < n; k++) {
    const i = (rule.nextIndex + k) % n;
    const id = rule.assigneeIds[i]!;
    if (exists(id)) return { assigneeId: id, rule: { ...rule, nextIndex: (i + 1) % n } };
  }
  return null;
}
