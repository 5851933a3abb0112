import { useEffect } from 'react';
import type { LeadId } from '@shared/model/ids';
import { useApp } from '../lib/store';

/**
 * Shows the engine's notifications when the host could not (web mode): the browser's Notification
 * API when allowed, else a toast in the window. A click opens the lead.
 */
export function DesktopNotifications() {
  const client = useApp((s) => s.client);
  const navigate = useApp((s) => s.navigate);
  const toast = useApp((s) => s.toast);
  // Desktop app: main shows the notification; its click comes back as openLead.
  useEffect(() => {
    if (!client) return;
    return client.on('openLead', ({ leadId }) => navigate({ screen: 'lead', id: leadId as LeadId }));
  }, [client, navigate]);
  useEffect(() => {
    if (!client) return;
    return client.on('notification', ({ title, body, leadId }) => {
      const open = () => leadId && navigate({ screen: 'lead', id: leadId as LeadId });
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        const n = new Notification(title, { body, tag: `${leadId ?? ''}:${title}` });
        n.onclick = () => {
          window.focus();
          open();
        };
        return;
      }
      toast(`${title}: ${body}`, /failed|not delivered/i.test(title) ? 'error' : 'info');
    });
  }, [client, navigate, toast]);
  return null;
}
