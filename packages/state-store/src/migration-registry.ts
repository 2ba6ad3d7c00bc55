import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './open.js';

/**
 * The lift registry as master data (each lift's profile beside its area code), periodic inspection
 * records, maintenance plans, work orders and the photos of work orders (their bytes are files; the
 * rows say where).
 */
export function registryMaintenance(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'bigint' : 'integer';
  const real = pg ? 'double precision' : 'real';
  const id = pg ? 'bigserial' : 'integer';
  type Col = Parameters<Parameters<ReturnType<Kysely<unknown>['schema']['createTable']>['addColumn']>[2] & object>[0];
  const idCol = (c: Col) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      const profile: Array<[string, string]> = [
        ['registration_code', 'text'], ['name', 'text'], ['rescue_code', 'text'], ['address', 'text'], ['latitude', real], ['longitude', real],
        ['lift_type', 'text'], ['rated_speed_mps', real], ['rated_load_kg', real], ['floors', 'integer'], ['install_date', 'text'],
      ];
      for (const [column, type] of profile) await s.alterTable('lift_registry').addColumn(column, sql.raw(type)).execute();
      // One lift per registration code: two rows with one code would be two lifts claiming one usage sign.
      await s.createIndex('lift_registry_registration_code').unique().on('lift_registry').column('registration_code')
        .where(sql.raw<boolean>('registration_code IS NOT NULL')).execute();
      await s.createIndex('lift_registry_rescue_code').on('lift_registry').column('rescue_code').execute();

      await s.createTable('lift_inspections')
        .addColumn('id', id, idCol).addColumn('lift_id', 'text', (c) => c.notNull())
        .addColumn('inspected_on', 'text', (c) => c.notNull()).addColumn('result', 'text', (c) => c.notNull()).addColumn('next_due', 'text', (c) => c.notNull())
        .addColumn('inspector', 'text').addColumn('report_no', 'text').addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('recorded_at', time, (c) => c.notNull()).addColumn('recorded_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('lift_inspections_once', ['lift_id', 'inspected_on'])
        .execute();
      await s.createIndex('lift_inspections_next_due').on('lift_inspections').column('next_due').execute();

      await s.createTable('maintenance_plans')
        .addColumn('lift_id', 'text', (c) => c.primaryKey()).addColumn('starts_at', time, (c) => c.notNull())
        .addColumn('cycle_days', 'integer', (c) => c.notNull()).addColumn('item_set', 'text', (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull()).addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();

      await s.createTable('work_orders')
        .addColumn('id', id, idCol).addColumn('lift_id', 'text', (c) => c.notNull()).addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('class', 'text').addColumn('alert_id', time).addColumn('state', 'text', (c) => c.notNull())
        .addColumn('due_at', time, (c) => c.notNull()).addColumn('assignee', 'text')
        .addColumn('created_at', time, (c) => c.notNull()).addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('started_at', time).addColumn('ended_at', time).addColumn('visit_id', time)
        .addColumn('checklist_json', 'text', (c) => c.notNull()).addColumn('finding_json', 'text')
        .addColumn('signed_by', 'text').addColumn('signed_at', time).addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // An alert becomes one work order, also when two nodes make it at once.
      await s.createIndex('work_orders_one_per_alert').unique().on('work_orders').column('alert_id').where(sql.raw<boolean>('alert_id IS NOT NULL')).execute();
      await s.createIndex('work_orders_by_lift').on('work_orders').columns(['lift_id', 'state', 'ended_at']).execute();
      await s.createIndex('work_orders_by_state').on('work_orders').columns(['state', 'due_at']).execute();

      await s.createTable('work_order_photos')
        .addColumn('id', id, idCol).addColumn('work_order_id', time, (c) => c.notNull()).addColumn('item_id', 'text')
        .addColumn('file_key', 'text', (c) => c.notNull()).addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', time, (c) => c.notNull()).addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', time, (c) => c.notNull()).addColumn('uploaded_by', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('work_order_photos_by_order').on('work_order_photos').columns(['work_order_id', 'id']).execute();
    },
  };
}
