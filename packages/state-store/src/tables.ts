import type { Generated } from 'kysely';

/**
 * The tables of the shared state, with the names and columns the all-in-one's SQLite stores already
 * use (broker/src/terminal-registry.ts, dashboards/src/auth/user-store.ts, alerting/src/*.ts,
 * ingest/src/store/sqlite-lift-state.ts), so a database written by the all-in-one is read as it is
 * and its rows copy to PostgreSQL one to one. Times are milliseconds since the epoch (BIGINT on
 * PostgreSQL); flags are 0/1 integers on both dialects.
 */
export interface LiftsTable {
  lift_id: string; first_seen_rx: number; last_seen_rx: number; records_total: number;
  status_json: string | null; status_ts: number | null; status_seq: number | null; registry_json: string | null; registry_ts: number | null;
  presence: 'online' | 'offline' | 'unknown'; presence_rx: number | null;
}
export interface TerminalsTable {
  terminal_id: string; lift_id: string | null; role: string; salt: Buffer; token_hash: Buffer; enabled: number; created_at: number; rotated_at: number;
}
export interface OrgsTable { id: string; kind: string; name: string; roles_json: string }
export interface PeopleTable { id: string; name: string; org_id: string; channels_json: string; severities_json: string; quiet_json: string | null; language: Generated<string> }
export interface CrewLiftsTable { lift_id: string; maintenance_unit: string; use_unit: string | null; district: string | null }
export interface RotaTable { id: Generated<number>; unit_id: string; starts_at: number; ends_at: number; primary_id: string; backup_id: string }
export interface PoliciesTable { org_id: string; severity: string; policy_json: string }
export interface UsersTable {
  id: string; name: string; role: string; org_id: string | null; area_code: string | null; password_hash: string; disabled: number; created_at: number; updated_at: number;
  /** Added by migration 0004: 1 while the password is a one-time one that must be replaced at the first login. */
  must_change_password: Generated<number>;
  /** Added by migration 0004: when the password stops working (a one-time password); null: never. */
  password_expires_at: number | null;
}
/**
 * New with migration 0004: the platform's lift registry, set by admins. What decides who sees a lift
 * (a regulator's area); the terminal's own `registry` record stays in `lifts` as reported.
 */
export interface LiftRegistryTable {
  lift_id: string; area_code: string | null; updated_at: number; updated_by: string;
  /** The profile, added by migration 0009 (null: not known). */
  registration_code: string | null; name: string | null; rescue_code: string | null; address: string | null; latitude: number | null; longitude: number | null;
  lift_type: string | null; rated_speed_mps: number | null; rated_load_kg: number | null; floors: number | null; install_date: string | null;
}
/** New with migration 0009: periodic inspections, one per lift and date (dates YYYY-MM-DD as on the report). */
export interface LiftInspectionsTable {
  id: Generated<number>; lift_id: string; inspected_on: string; result: string; next_due: string; inspector: string | null; report_no: string | null; note: string; recorded_at: number; recorded_by: string;
}
/** New with migration 0009: a lift's maintenance plan (docs/maintenance.md). */
export interface MaintenancePlansTable { lift_id: string; starts_at: number; cycle_days: number; item_set: string; updated_at: number; updated_by: string }
/** New with migration 0009: work orders; `alert_id` is unique (an alert becomes one work order). */
export interface WorkOrdersTable {
  id: Generated<number>; lift_id: string; kind: string; class: string | null; alert_id: number | null; state: string; due_at: number; assignee: string | null;
  created_at: number; created_by: string; started_at: number | null; ended_at: number | null; visit_id: number | null;
  checklist_json: string; finding_json: string | null; signed_by: string | null; signed_at: number | null; note: string;
}
/** New with migration 0009: the photos of a work order; the bytes are a file under `file_key` in the photo store. */
export interface WorkOrderPhotosTable {
  id: Generated<number>; work_order_id: number; item_id: string | null; file_key: string; content_type: string; size_bytes: number; sha256: string; uploaded_at: number; uploaded_by: string;
}
export interface SessionsTable { token_sha256: string; user_id: string; created_at: number; expires_at: number }
export interface DashAuditTable { id: Generated<number>; at: number; actor: string; role: string; method: string; route: string; url: string; status: number; ip: string }
export interface AlertsTable {
  id: Generated<number>; lift_id: string; code: string; severity: string; state: string; reason: string;
  opened_at: number; updated_at: number; last_seen_at: number; condition_cleared_at: number | null; occurrences: Generated<number>; assignee: string | null;
  reason_key: string | null; reason_params_json: string | null;
}
export interface OccurrencesTable { alert_id: number; lift_id: string; stream: string; seq: number; ts: number; at: number; reason: string; values_json: string }
export interface AlertAuditTable { id: Generated<number>; alert_id: number; at: number; action: string; actor: string; note: string }
export interface VisitsTable {
  id: Generated<number>; lift_id: string; technician: string; source: string; started_at: number; ends_by: number;
  ended_at: number | null; end_reason: string | null; suppressed: Generated<number>;
}
/** New with the state store: one row per computed health score (docs/health-score.md), so a regulator can follow a lift's grade over time. */
export interface HealthHistoryTable {
  /** `grade` null (since migration 0006): too little data to grade. */
  lift_id: string; at: number; score: number; grade: string | null; confidence: number; params_version: string; components_json: string; reasons_json: string;
  /** Added by migration 0003; '[]' for scores stored before it. */
  caps_json: Generated<string>;
}

/** Every notification attempt with its outcome (docs/lessons.md#5-notifications-users-cannot-manage-and-sends-that-are-not-retried); append-only. */
export interface NotificationAttemptsTable {
  id: Generated<number>; alert_id: number; job_id: string; cause: string; recipient_id: string; channel: string; attempt: number; at: number; outcome: string; detail: string;
}
/** Which node plans an alert's escalation; `planned_at` once its jobs are queued and its audit written. */
export interface AlertPlansTable { alert_id: number; node: string; claimed_at: number; planned_at: number | null }

/**
 * New with migration 0007: the dead letters of every ingest node (the all-in-one's SQLite table of the
 * same name and columns is adopted), and per terminal its counts (`client_id` '' for the platform's own publishes).
 */
export interface DeadLettersTable {
  id: Generated<number>; rx_ts: number; topic: string; client_id: string | null; code: string; reason: string; size_bytes: number; raw: Buffer;
}
export interface DeadLetterCountsTable {
  client_id: string; rejected: number; dropped: number; dropped_bytes: number;
  first_at: number; last_at: number; last_code: string; last_reason: string; last_topic: string;
}

/** New with migration 0008: what the crew found when it closed an alert, one row per alert (docs/findings.md). */
export interface FindingsTable {
  alert_id: number; lift_id: string; code: string; alert_opened_at: number; model_id: string | null; model_version: string | null; family: string | null;
  outcome: string; component: string | null; part_replaced: string | null; note: string; actor: string; at: number;
}
/** New with migration 0010_exchange: a message for the government platform, kept until delivered (docs/government-exchange.md). */
export interface ExchangeOutboxTable {
  id: Generated<number>; idempotency_key: string; type: string; subject: string; version: number; occurred_at: number; created_at: number; payload_json: string;
  /** pending (to send, again at next_attempt_at), delivered, or rejected (refused for good, until an admin retries it). */
  state: string; attempts: Generated<number>; next_attempt_at: number;
  /** A node sending the message holds it until then; after a crash another node takes it when it passes. */
  lease_until: number | null;
  last_error: string | null; last_status: number | null; delivered_at: number | null;
}
/** How far each feed of the outbox has read its source (an alert-audit id, a registry or visit time). */
export interface ExchangeCursorsTable { name: string; position: number }
/** New with migration 0010_exchange: a call a rescue line (96333) handed over, attached to the lift's entrapment alert. */
export interface RescueCallsTable {
  id: Generated<number>; line: string; external_id: string | null; lift_id: string; alert_id: number | null; received_at: number;
  caller_name: string | null; caller_phone: string | null; rescue_code: string | null; note: string;
  /** Stage times the line or a crew reported for this call; the alert's own transitions fill those left null. */
  dispatched_at: number | null; on_site_at: number | null; released_at: number | null; false_alarm_at: number | null;
  created_at: number; created_by: string;
}

/** New with migration 0012_hazards: a hazard on a lift, from a resident, a crew or an inspector, tracked to closure. */
export interface HazardsTable {
  id: Generated<number>; lift_id: string; source: string; category: string; description: string; contact: string | null; reported_by: string | null;
  state: string; opened_at: number; updated_at: number; rectified_at: number | null; rectified_by: string | null; rectification_note: string | null;
  closed_at: number | null; closed_by: string | null; review_note: string | null;
}
/** The photo of a hazard's fix (the latest one sent). */
export interface HazardPhotosTable { hazard_id: number; content_type: string; sha256: string; bytes: Buffer }
/** New with migration 0013_terminal_config: a lift's desired terminal config beside what its terminal reported. */
export interface TerminalConfigsTable {
  lift_id: string; desired_version: number; settings_json: string; desired_at: number; desired_by: string;
  acked_version: number | null; acked_at: number | null; rejected_version: number | null; rejected_reason: string | null; rejected_at: number | null;
}
/** A command sent to a terminal and the result it reported (ok 1/0, null: none yet). */
export interface TerminalCommandsTable {
  cmd_id: string; lift_id: string; cmd: string; sent_at: number; sent_by: string; result_at: number | null; ok: number | null; detail: string | null;
}

export interface StateTables {
  lifts: LiftsTable;
  lift_registry: LiftRegistryTable;
  broker_terminals: TerminalsTable;
  crew_orgs: OrgsTable;
  crew_people: PeopleTable;
  crew_lifts: CrewLiftsTable;
  crew_rota: RotaTable;
  escalation_policies: PoliciesTable;
  dash_users: UsersTable;
  dash_sessions: SessionsTable;
  dash_audit: DashAuditTable;
  alerts: AlertsTable;
  alert_occurrences: OccurrencesTable;
  alert_audit: AlertAuditTable;
  alert_findings: FindingsTable;
  maintenance_visits: VisitsTable;
  health_history: HealthHistoryTable;
  notification_attempts: NotificationAttemptsTable;
  alert_plans: AlertPlansTable;
  dead_letters: DeadLettersTable;
  dead_letter_counts: DeadLetterCountsTable;
  lift_inspections: LiftInspectionsTable;
  maintenance_plans: MaintenancePlansTable;
  work_orders: WorkOrdersTable;
  work_order_photos: WorkOrderPhotosTable;
  exchange_outbox: ExchangeOutboxTable;
  exchange_cursors: ExchangeCursorsTable;
  rescue_calls: RescueCallsTable;
  hazards: HazardsTable;
  hazard_photos: HazardPhotosTable;
  terminal_configs: TerminalConfigsTable;
  terminal_commands: TerminalCommandsTable;
}
