import type { StepId, UserId } from '@shared/model/ids';
import type { StepInput, StepKind, TimingInput } from '@shared/model/plan';

export type StepOf<K extends StepKind> = Extract<StepInput, { kind: K }>;

/** Every step kind the builder offers, with its words and icon; grouped as the kind picker shows them. */
export const KINDS: {
  kind: StepKind;
  label: string;
  group: 'Messages' | 'Tasks' | 'Lead changes' | 'Plans' | 'Integrations';
  icon: string;
  hint: string;
}[] = [
  { kind: 'email', label: 'Email', group: 'Messages', icon: '✉', hint: 'Send an email from your mailbox' },
  { kind: 'sms', label: 'Text message', group: 'Messages', icon: '✆', hint: 'Send a text (SMS)' },
  { kind: 'task', label: 'Task', group: 'Tasks', icon: '☑', hint: 'A to-do for the assigned agent' },
  { kind: 'automatedCall', label: 'Call task', group: 'Tasks', icon: '☎', hint: 'A scheduled call for the dialer' },
  { kind: 'addTags', label: 'Add tags', group: 'Lead changes', icon: '#', hint: 'Tag the lead' },
  { kind: 'removeTags', label: 'Remove tags', group: 'Lead changes', icon: '⌫', hint: 'Untag the lead' },
  { kind: 'changeStage', label: 'Change stage', group: 'Lead changes', icon: '⇢', hint: 'Move the lead to a stage' },
  { kind: 'changeContactType', label: 'Change contact type', group: 'Lead changes', icon: '◐', hint: 'e.g. Buyer, Seller' },
  { kind: 'addNote', label: 'Add note', group: 'Lead changes', icon: '✎', hint: 'Write a note on the lead' },
  { kind: 'assignUser', label: 'Assign user', group: 'Lead changes', icon: '☺', hint: 'Assign an agent or lender' },
  { kind: 'unassignUser', label: 'Unassign user', group: 'Lead changes', icon: '⊘', hint: 'Remove an assignee' },
  { kind: 'assignPlan', label: 'Start another plan', group: 'Plans', icon: '▶', hint: 'Enroll the lead in another plan' },
  { kind: 'pausePlan', label: 'Pause a plan', group: 'Plans', icon: '‖', hint: 'Pause the lead in one plan' },
  { kind: 'pauseAllPlans', label: 'Pause all plans', group: 'Plans', icon: '◼', hint: 'Pause every other plan of the lead' },
  { kind: 'repeatPlan', label: 'Repeat this plan', group: 'Plans', icon: '↻', hint: 'Start this plan again from step one' },
  { kind: 'webhook', label: 'Webhook', group: 'Integrations', icon: '⇄', hint: 'Call another app over HTTP' },
];

export const kindInfo = (kind: StepKind) => KINDS.find((k) => k.kind === kind) ?? KINDS[0]!;

const newStepId = () => crypto.randomUUID() as StepId;

/** A new step of a kind with empty content; message steps default to two days after the previous one. */
export function newStep(kind: StepKind, timing: TimingInput, currentUserId: UserId): StepInput {
  const base = { id: newStepId(), name: '', notifyMe: false, timing };
  switch (kind) {
    case 'email':
      return { ...base, kind, subject: '', body: '', review: { mode: 'none' } };
    case 'sms':
      return { ...base, kind, body: '', review: { mode: 'none' } };
    case 'task':
      return { ...base, kind, title: '', notes: '' };
    case 'automatedCall':
      return { ...base, kind, title: '', script: '' };
    case 'addTags':
    case 'removeTags':
      return { ...base, kind, tags: [] };
    case 'changeStage':
      return { ...base, kind, stage: '' };
    case 'changeContactType':
      return { ...base, kind, contactType: '' };
    case 'addNote':
      return { ...base, kind, note: '' };
    case 'assignUser':
      return { ...base, kind, role: 'buyerAgent', userId: currentUserId };
    case 'unassignUser':
      return { ...base, kind, role: 'buyerAgent' };
    case 'assignPlan':
    case 'pausePlan':
      return { ...base, kind, planId: '' };
    case 'pauseAllPlans':
    case 'repeatPlan':
      return { ...base, kind };
    case 'webhook':
      return { ...base, kind, method: 'POST', url: '', headers: [], payload: { mode: 'allLeadFields' } };
  }
}

const unitWord = (n: number, unit: string) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;

/** "2 days after enrollment", "Day 3 at 09:00", "7 days before closing" — the step header's summary. */
export function timingSummary(t: TimingInput): string {
  switch (t.kind) {
    case 'immediate':
      return 'Immediately';
    case 'after':
      return `${unitWord(t.amount, t.unit)} after enrollment`;
    case 'onDay':
      return `Day ${t.day} at ${t.time}${t.businessDaysOnly ? ' (business days)' : ''}`;
    case 'beforeEvent':
    case 'afterEvent':
      return `${unitWord(t.amount, t.unit)} ${t.kind === 'beforeEvent' ? 'before' : 'after'} ${t.event || 'event'}${t.time ? ` at ${t.time}` : ''}`;
  }
}

/** What the step does, in one line, for the collapsed header and the timeline. */
export function stepSummary(step: StepInput): string {
  switch (step.kind) {
    case 'email':
      return step.subject || '(no subject yet)';
    case 'sms':
      return step.body.slice(0, 60) || '(no text yet)';
    case 'task':
    case 'automatedCall':
      return step.title || '(no title yet)';
    case 'addTags':
    case 'removeTags':
      return step.tags.join(', ') || '(no tags yet)';
    case 'changeStage':
      return step.stage || '(no stage yet)';
    case 'changeContactType':
      return step.contactType || '(no contact type yet)';
    case 'addNote':
      return step.note.slice(0, 60) || '(empty note)';
    case 'assignUser':
    case 'unassignUser':
      return step.role;
    case 'assignPlan':
    case 'pausePlan':
    case 'pauseAllPlans':
    case 'repeatPlan':
      return kindInfo(step.kind).hint;
    case 'webhook':
      return `${step.method} ${step.url || '(no URL yet)'}`;
  }
}

export const COMMON_EVENTS = ['closing', 'birthday', 'homeAnniversary', 'openHouse', 'leaseEnd', 'showing'];
