import type { RoutingRule, User } from '@shared/model/team';

/** A rule's conditions in words, as the rules list and the read-only Lead Routing Settings show them. */
export function describeConditions(r: Pick<RoutingRule, 'isDefault' | 'conditions'>): string {
  if (r.isDefault) return 'Any lead no other rule takes';
  const c = r.conditions;
  const price =
    c.minPrice !== undefined || c.maxPrice !== undefined
      ? `price ${c.minPrice !== undefined ? money(c.minPrice) : 'any'} to ${c.maxPrice !== undefined ? money(c.maxPrice) : 'any'}`
      : '';
  const parts = [
    c.sources.length ? `source ${c.sources.join(' or ')}` : '',
    c.tags.length ? `tag ${c.tags.join(' or ')}` : '',
    price,
    c.cities.length ? `city ${c.cities.join(' or ')}` : '',
    c.zips.length ? `zip ${c.zips.join(' or ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Leads with ${parts.join(', ')}` : 'Any lead';
}

const money = (n: number): string => `$${n.toLocaleString('en-US')}`;

export function assigneeNames(r: Pick<RoutingRule, 'assigneeIds'>, users: Pick<User, 'id' | 'name'>[]): string {
  return r.assigneeIds.map((id) => users.find((u) => u.id === id)?.name ?? 'someone no longer on the team').join(', ');
}
