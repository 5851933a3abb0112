import type { templatesContract } from '@shared/contract/templates';
import type { UserId } from '@shared/model/ids';
import type { Template } from '@shared/model/template';
import { AppError, notFound } from '@shared/rpc/errors';
import type { EngineDeps } from '../deps';
import type { AreaHandlers } from '../handlers';
import { getLead } from '../leads/app';
import { mergeScope, renderText, templateProblems } from './render';

/** Signatures are per user, kept in the settings table (one row per user). */
export const signatureKey = (userId: UserId): string => `signature:${userId}`;

export async function getSignature(deps: EngineDeps, userId: UserId): Promise<string> {
  const row = await deps.db.settings.get(signatureKey(userId));
  return typeof row?.value === 'string' ? row.value : '';
}

export function createTemplatesHandlers(deps: EngineDeps): AreaHandlers<typeof templatesContract> {
  const { db } = deps;
  return {
    async 'templates.list'({ kind }) {
      const rows = kind ? await db.templates.where('kind').equals(kind).toArray() : await db.templates.toArray();
      return rows.sort((a, b) => a.name.localeCompare(b.name));
    },

    async 'templates.save'(input) {
      const problems = [...templateProblems(input.subject), ...templateProblems(input.body)];
      if (problems[0]) {
        throw new AppError('ValidationFailed', `The template cannot be saved: ${problems[0]}`, {
          issues: problems.map((message) => ({ path: 'body', message })),
        });
      }
      if (input.id && !(await db.templates.get(input.id))) throw notFound('Template', input.id);
      const template: Template = {
        id: input.id ?? deps.newId(),
        kind: input.kind,
        name: input.name,
        subject: input.kind === 'email' ? input.subject : '',
        body: input.body,
      };
      await db.templates.put(template);
      return template;
    },

    async 'templates.delete'({ id }) {
      if (!(await db.templates.get(id))) throw notFound('Template', id);
      await db.templates.delete(id);
      return { deleted: true };
    },

    async 'templates.preview'({ leadId, subject, body }, { user }) {
      const [lead, account] = await Promise.all([getLead(deps, leadId), db.account.get('account')]);
      if (!account) throw notFound('Account', 'account');
      const problems = [...new Set([...templateProblems(subject), ...templateProblems(body)])];
      if (problems.length) return { subject, body, problems };
      const scope = mergeScope(lead, user, account);
      return { subject: renderText(subject, scope), body: renderText(body, scope), problems };
    },

    async 'templates.signature.get'(_params, { user }) {
      return { signature: await getSignature(deps, user.id) };
    },

    async 'templates.signature.set'({ signature }, { user }) {
      await db.settings.put({ key: signatureKey(user.id), value: signature });
      return { signature };
    },
  };
}
