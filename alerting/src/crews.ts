import type { AlertEscalation, AlertView, CrewRole, NotificationAttempt, Person } from '@liftwatch/contract';
import type { AlertBackend } from './backend.js';

/**
 * Crews, their rotas and who is on call, escalation policies, maintenance visits and the
 * notification audit, as the API and the console use them (the dashboards' CrewsPort): made once
 * here, over the alert backend, with the few alert operations a crew does (assign, note).
 */
export function createCrews(backend: AlertBackend, alerts: {
  escalation(alertId: number): Promise<AlertEscalation | undefined>;
  assign(alertId: number, assignee: string, actor: string): Promise<AlertView>;
  addNote(alertId: number, actor: string, note: string): Promise<AlertView>;
}) {
  const { crew, policies, maintenance, notifications } = backend;
  return {
    upsertOrg: crew.upsertOrg, getOrg: crew.getOrg, listOrgs: crew.listOrgs,
    upsertPerson: crew.upsertPerson, getPerson: crew.getPerson, listPeople: crew.listPeople,
    assignLift: crew.assignLift, getLift: crew.getLift, listLifts: crew.listLifts,
    addShift: crew.addShift, shifts: crew.shifts,
    /** Who is on call for a lift at `at`: its unit's primary and backup by the rota, and the roles nobody fills. */
    onCall: (liftId: string, at: number): Promise<{ people: Array<Person & { role: CrewRole }>; gaps: string[] }> => crew.resolve(liftId, ['primary', 'backup'], at),
    listPolicies: policies.list, setPolicy: policies.set,
    checkIn: maintenance.checkIn, checkOut: maintenance.checkOut,
    visits: (liftId: string | undefined, limit?: number) => maintenance.list(liftId, limit),
    /** Every notification attempt of an alert, oldest first. */
    notifications: (alertId: number): Promise<NotificationAttempt[]> => notifications.ofAlert(alertId),
    /** Notification attempts after id `after`, for an audit reader that pages through all of them. */
    notificationsAfter: (after: number, limit?: number): Promise<NotificationAttempt[]> => notifications.after(after, limit),
    /** Who was notified of an alert (deliveries, attempts, outcomes) and who is next, for the inbox. */
    escalation: alerts.escalation,
    assign: alerts.assign,
    addNote: alerts.addNote,
  };
}

export type Crews = ReturnType<typeof createCrews>;
