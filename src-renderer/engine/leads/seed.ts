import type { LeadId, UserId } from '@shared/model/ids';
import type { EngineDeps } from '../deps';
import type { LeadRow } from '../store/db';
import { leadSearchWords } from '../store/search-key';

const FIRST = 'Ann Ben Cara Dev Eli Fay Gus Hana Ivan Jo Kai Lena Max Nia Omar Pia Quinn Rosa Sam Tara Uma Vic Wes Xena Yara Zed'.split(
  ' ',
);
const LAST = 'Lee Park Diaz Chen Khan Novak Silva Brown Moore Young Ortiz Evans Price Reyes Ward Cole Fox Gray Hale Irwin'.split(' ');
// The stages the lead form offers.
const STAGES = ['New', 'Attempted contact', 'Nurture', 'Active buyer', 'Active seller', 'Under contract', 'Closed', 'Lost'];
const SOURCES = ['Zillow', 'Realtor.com', 'Website', 'Referral', 'Open house', 'Facebook', 'Google', 'Walk-in'];
const TAGS = [
  'buyer',
  'seller',
  'investor',
  'first-time',
  'relocation',
  'luxury',
  'condo',
  'pre-approved',
  'hot',
  'cold',
  'vip',
  'past-client',
];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const AREA = ['212', '312', '303', '415', '617', '305', '512', '206'];

/** A small deterministic generator so a seed always produces the same leads. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Test mode only (benchmarks, e2e): writes `count` varied leads in large transactions. */
export async function seedLeads(deps: EngineDeps, count: number, seed: number): Promise<number> {
  const { db, clock } = deps;
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const users = (await db.users.toArray()).map((u) => u.id);
  const maybeUser = (): UserId | undefined => (users.length && rnd() < 0.6 ? pick(users) : undefined);
  const now = clock.now();
  const CHUNK = 5000;
  for (let start = 0; start < count; start += CHUNK) {
    const rows: LeadRow[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const firstName = pick(FIRST);
      const lastName = pick(LAST);
      const createdAt = now - Math.floor(rnd() * 365 * 86_400_000);
      const tags = TAGS.filter(() => rnd() < 0.15);
      const lead = {
        id: `seed${seed}-${String(i).padStart(6, '0')}` as LeadId,
        firstName,
        lastName,
        email: rnd() < 0.9 ? `${firstName}.${lastName}.${i}@example.com`.toLowerCase() : undefined,
        phone: rnd() < 0.8 ? `+1${pick(AREA)}555${String(i % 10_000).padStart(4, '0')}` : undefined,
        timeZone: pick(ZONES),
        stage: pick(STAGES),
        contactType: 'Lead',
        source: pick(SOURCES),
        tags,
        assignees: { buyerAgent: maybeUser(), lender: rnd() < 0.3 ? maybeUser() : undefined },
        eventDates: {},
        optOuts: { email: false, sms: false },
        createdAt,
        updatedAt: createdAt,
        createdBy: users[0]!,
      };
      if (!lead.assignees.buyerAgent) delete lead.assignees.buyerAgent;
      if (!lead.assignees.lender) delete lead.assignees.lender;
      rows.push({ ...lead, searchWords: leadSearchWords(lead) });
    }
    await db.leads.bulkPut(rows);
  }
  return count;
}
