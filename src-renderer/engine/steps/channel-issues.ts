import type { Step } from '@shared/model/plan';
import type { FieldIssue } from '@shared/rpc/errors';
import { templateProblems } from '../templates/render';

/** What an SMS or webhook step needs before its plan can be Ready, and merge fields that would not work. */
export function channelStepIssues(step: Step, i: number, ready: boolean): FieldIssue[] {
  const at = `steps.${i}`;
  const issues: FieldIssue[] = [];
  if (step.kind === 'sms') {
    if (ready && !step.body.trim())
      issues.push({ path: `${at}.body`, message: `Step ${i + 1}: a text needs a message before the plan can be Ready` });
    for (const m of templateProblems(step.body)) issues.push({ path: `${at}.body`, message: `Step ${i + 1} text: ${m}` });
  }
  if (step.kind === 'webhook') {
    step.headers.forEach((h, j) => {
      if (/[\r\n]/.test(h.value))
        issues.push({ path: `${at}.headers.${j}.value`, message: `Step ${i + 1}: header "${h.name}" must be on one line` });
      for (const m of templateProblems(h.value))
        issues.push({ path: `${at}.headers.${j}.value`, message: `Step ${i + 1} header "${h.name}": ${m}` });
    });
    if (step.payload.mode === 'fields') {
      step.payload.fields.forEach((f, j) => {
        for (const m of templateProblems(f.value))
          issues.push({ path: `${at}.payload.fields.${j}.value`, message: `Step ${i + 1} field "${f.key}": ${m}` });
      });
    }
  }
  return issues;
}
