import { create } from 'zustand';
import type { LiveState } from '@shared/contract/enrollments-bulk';
import type { Session } from '@shared/contract/session';
import type { LeadId, PlanId } from '@shared/model/ids';
import type { EngineClient } from './engine-client';

export type Route =
  | { screen: 'leads' }
  | { screen: 'lead'; id: LeadId }
  | { screen: 'plans' }
  | { screen: 'plan'; id: PlanId | 'new' }
  | { screen: 'planLeads'; id: PlanId; state: LiveState }
  | { screen: 'templates' }
  | { screen: 'outbox'; leadId?: LeadId }
  | { screen: 'today' }
  | { screen: 'settings'; tab?: SettingsTab }
  | { screen: 'team' }
  | { screen: 'routing' }
  | { screen: 'exchange' };

/** Settings has two tabs: this computer's email and messages, and the team server. */
export type SettingsTab = 'channels' | 'teamServer';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
}

interface AppState {
  client: EngineClient | null;
  session: Session | null;
  route: Route;
  toasts: Toast[];
  /** A guard a screen sets while it has unsaved changes; navigation asks before leaving. */
  leaveGuard: (() => boolean) | null;
  setClient: (client: EngineClient, session: Session) => void;
  setSession: (session: Session) => void;
  navigate: (route: Route) => void;
  setLeaveGuard: (guard: (() => boolean) | null) => void;
  toast: (text: string, tone?: Toast['tone']) => void;
  dismiss: (id: number) => void;
}

let toastId = 1;

export const useApp = create<AppState>((set, get) => ({
  client: null,
  session: null,
  route: { screen: 'leads' },
  toasts: [],
  leaveGuard: null,
  setClient: (client, session) => set({ client, session }),
  setSession: (session) => set({ session }),
  navigate: (route) => {
    const guard = get().leaveGuard;
    if (guard && !guard()) return;
    set({ route, leaveGuard: null });
  },
  setLeaveGuard: (leaveGuard) => set({ leaveGuard }),
  toast: (text, tone = 'info') => {
    const id = toastId++;
    set((s) => ({ toasts: [...s.toasts, { id, tone, text }] }));
    setTimeout(() => get().dismiss(id), tone === 'error' ? 8000 : 4000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function useClient(): EngineClient {
  const client = useApp((s) => s.client);
  if (!client) throw new Error('The engine is not connected yet');
  return client;
}
