import type { Plan, Step, Timing } from '@shared/model/plan';

/** Every character that could start markup or end an attribute: plan text can never become HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const unitWord = (amount: number, unit: string) => `${amount} ${amount === 1 ? unit.replace(/s$/, '') : unit}`;

export function timingInWords(t: Timing): string {
  switch (t.kind) {
    case 'immediate':
      return 'Immediately when the lead is enrolled';
    case 'after':
      return `${unitWord(t.amount, t.unit)} after enrollment`;
    case 'onDay':
      return `On day ${t.day} at ${t.time} in the lead’s time zone${t.businessDaysOnly ? ' (business days only)' : ''}`;
    case 'beforeEvent':
    case 'afterEvent':
      return `${unitWord(t.amount, t.unit)} ${t.kind === 'beforeEvent' ? 'before' : 'after'} the lead’s “${t.event}” date${t.time ? ` at ${t.time}` : ''}`;
  }
}

const KIND_LABEL: Record<Step['kind'], string> = {
  email: 'Email',
  sms: 'Text message',
  task: 'Task',
  automatedCall: 'Call task',
  addTags: 'Add tags',
  removeTags: 'Remove tags',
  changeStage: 'Change stage',
  changeContactType: 'Change contact type',
  addNote: 'Add note',
  assignUser: 'Assign user',
  unassignUser: 'Unassign user',
  assignPlan: 'Start another plan',
  pausePlan: 'Pause a plan',
  pauseAllPlans: 'Pause all plans',
  repeatPlan: 'Repeat this plan',
  webhook: 'Webhook',
};

export interface ReviewNames {
  plan(id: string): string;
  user(id: string): string;
}

type Row = [label: string, value: string, pre?: boolean];

function reviewInWords(review: Extract<Step, { kind: 'email' }>['review']): string {
  if (review.mode === 'reviewFirst') return 'Waits for a person to review and send it';
  if (review.mode === 'sendUnlessReviewed') return `Sends by itself unless reviewed within ${review.hours} h`;
  return 'Sends by itself';
}

function stepRows(step: Step, names: ReviewNames): Row[] {
  const rows: Row[] = [['When', timingInWords(step.timing)]];
  switch (step.kind) {
    case 'email':
      rows.push(['Subject', step.subject], ['Message', step.body, true], ['Review', reviewInWords(step.review)]);
      break;
    case 'sms':
      rows.push(['Message', step.body, true], ['Review', reviewInWords(step.review)]);
      break;
    case 'task':
      rows.push(['Task', step.title], ['Notes', step.notes, true]);
      break;
    case 'automatedCall':
      rows.push(['Call', step.title], ['Script', step.script, true]);
      break;
    case 'addTags':
    case 'removeTags':
      rows.push(['Tags', step.tags.join(', ')]);
      break;
    case 'changeStage':
      rows.push(['New stage', step.stage]);
      break;
    case 'changeContactType':
      rows.push(['Contact type', step.contactType]);
      break;
    case 'addNote':
      rows.push(['Note', step.note, true]);
      break;
    case 'assignUser':
      rows.push(['Assign', `${names.user(step.userId)} as ${step.role}`]);
      break;
    case 'unassignUser':
      rows.push(['Unassign', step.role]);
      break;
    case 'assignPlan':
    case 'pausePlan':
      rows.push(['Plan', names.plan(step.planId)]);
      break;
    case 'pauseAllPlans':
    case 'repeatPlan':
      break;
    case 'webhook':
      rows.push(['Request', `${step.method} ${step.url}`]);
      if (step.headers.length) rows.push(['Headers', step.headers.map((h) => `${h.name}: ${h.value}`).join('\n'), true]);
      rows.push([
        'Payload',
        step.payload.mode === 'allLeadFields' ? 'All lead fields' : step.payload.fields.map((f) => `${f.key} = ${f.value}`).join('\n'),
        true,
      ]);
      break;
    default: {
      const never: never = step;
      return never;
    }
  }
  if (step.notifyMe) rows.push(['Notify me', 'Yes']);
  return rows;
}

const table = (rows: Row[]) =>
  `<table>${rows.map(([k, v, pre]) => `<tr><th scope="row">${escapeHtml(k)}</th><td${pre ? ' class="pre"' : ''}>${escapeHtml(v)}</td></tr>`).join('')}</table>`;

function planSection(plan: Plan, names: ReviewNames): string {
  const t = plan.triggers;
  const settings: Row[] = [
    ['Level', plan.scope.kind === 'account' ? 'Account' : 'Personal'],
    ['Type', plan.type === 'fullyAutomated' ? 'Fully automated' : 'Traditional (agent-driven)'],
    ['Category', plan.category.charAt(0).toUpperCase() + plan.category.slice(1)],
    ['Status', plan.status === 'ready' ? 'Ready' : 'Draft'],
    ['Locked', plan.locked ? 'Yes' : 'No'],
    ['Pause on reply', plan.pauseOnReply ? 'Yes' : 'No'],
    ['Missed while offline', `${plan.misfire.policy === 'sendLate' ? 'Send late' : 'Skip'} when over ${plan.misfire.graceHours} h late`],
    ['Restart allowed', plan.allowRestart ? 'Yes' : 'No'],
    ['Next plan', plan.nextPlanId ? names.plan(plan.nextPlanId) : 'None'],
    [
      'Triggers',
      [
        t.sources.length ? `Sources: ${t.sources.join(', ')}` : '',
        t.stages.length ? `Stages: ${t.stages.join(', ')}` : '',
        t.tags.length ? `Tags: ${t.tags.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'None',
    ],
  ];
  const steps = plan.steps
    .map(
      (s, i) =>
        `<section class="step"><h3>Step ${i + 1}: ${escapeHtml(KIND_LABEL[s.kind])}${s.name ? ` — ${escapeHtml(s.name)}` : ''}</h3>${table(stepRows(s, names))}</section>`,
    )
    .join('');
  return `<article><h2>${escapeHtml(plan.name)}</h2>${table(settings)}<h3 class="steps-title">${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}</h3>${steps || '<p>No steps yet.</p>'}</article>`;
}

/** A standalone, printable page (no scripts, no remote resources) for sharing a plan with a manager. */
export function reviewDocument(plans: Plan[], names: ReviewNames, meta: { by: string; at: string }): string {
  const title = plans.length === 1 ? `Plan review: ${plans[0]!.name}` : `Plan review: ${plans.length} plans`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;color:#1f2430;max-width:860px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #1f2430}h3{font-size:15px;margin:16px 0 6px}
.meta{color:#5b6478;margin:0 0 16px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #d5d9e2;padding:4px 8px;text-align:left;vertical-align:top}
th{width:180px;background:#f4f6fa;font-weight:600}.pre{white-space:pre-wrap}.step{break-inside:avoid}article{break-after:page}
@media print{body{margin:0}}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Prepared by ${escapeHtml(meta.by)} on ${escapeHtml(meta.at)}. Print this page (Ctrl+P) to save it as a PDF.</p>
${plans.map((p) => planSection(p, names)).join('\n')}
</body></html>`;
}
