import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ChecklistItem, DEFAULT_ITEM_SETS, lwError, MAINTENANCE_CLASSES, type ItemSetId } from '@liftwatch/contract';
import type { MaintenancePort } from '@liftwatch/dashboards';
import type { StateStore } from '@liftwatch/state-store';

/** A maintenance unit's own checklist items, replacing the built-in ones (setting maintenanceItemsFile). */
const ItemSetsFile = Type.Object({ traction: Type.Array(ChecklistItem, { minItems: 1 }), hydraulic: Type.Array(ChecklistItem, { minItems: 1 }), escalator: Type.Array(ChecklistItem, { minItems: 1 }) }, { additionalProperties: false });
type ItemSets = Static<typeof ItemSetsFile>;

/** The checklist items of setting maintenanceItemsFile, or the built-in ones; a wrong file stops the start, naming what is wrong. */
export async function loadItemSets(file: string): Promise<Readonly<Record<ItemSetId, readonly ChecklistItem[]>>> {
  if (file === '') return DEFAULT_ITEM_SETS;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw lwError('LW_ERR_CONFIG_INVALID', `maintenanceItemsFile ${file} cannot be read as JSON (${(err as Error).message}): give a JSON file {"traction": [...], "hydraulic": [...], "escalator": [...]} of items {id, class, zh, en}`, err);
  }
  const first = Value.Errors(ItemSetsFile, value).First();
  if (first) throw lwError('LW_ERR_CONFIG_INVALID', `maintenanceItemsFile ${file}: ${first.path || '(file)'} ${first.message.toLowerCase()}: each set is a list of items {id, class (${MAINTENANCE_CLASSES.join(', ')}), zh, en}`);
  const sets = value as ItemSets;
  for (const [name, items] of Object.entries(sets)) {
    const twice = items.find((item, i) => items.findIndex((x) => x.id === item.id) !== i);
    if (twice) throw lwError('LW_ERR_CONFIG_INVALID', `maintenanceItemsFile ${file}: item ${twice.id} is twice in set ${name}: give each item its own id`);
  }
  return sets;
}

/**
 * Statutory maintenance over the state store, with the photos of work orders as files under
 * `photoDir`, named by their sha256 (the same photo sent twice is one file). A file is written
 * whole under a temporary name and renamed, so a crash never leaves half a photo under its name.
 */
export function createMaintenancePort(state: Pick<StateStore, 'maintenance'>, photoDir: string, itemSets: Readonly<Record<ItemSetId, readonly ChecklistItem[]>>): MaintenancePort {
  const m = state.maintenance;
  const root = resolve(photoDir);
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) throw lwError('LW_ERR_STORAGE', `photo file key ${JSON.stringify(key)} is not one liftwatch writes: the work_order_photos row was changed by hand`);
    return join(root, key);
  };
  return {
    itemSets,
    putPlans: (plans, actor) => m.putPlans(plans, actor),
    plan: (liftId) => m.plan(liftId),
    lastCompleted: (liftId) => m.lastCompleted(liftId),
    overdue: (now) => m.overdue(now),
    createWorkOrder: (input) => m.createWorkOrder(input),
    workOrder: (id) => m.workOrder(id),
    workOrders: (filter) => m.workOrders(filter),
    updateWorkOrder: (id, from, change) => m.updateWorkOrder(id, from, change),
    async addPhoto({ workOrderId, itemId, contentType, bytes, uploadedBy }) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const key = `${sha256.slice(0, 2)}/${sha256}`;
      const path = pathOf(key);
      try {
        await mkdir(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(temp, bytes, { flush: true });
        await rename(temp, path);
      } catch (err) {
        throw lwError('LW_ERR_STORAGE', `the photo cannot be written to ${root} (${(err as Error).message}): free disk space or fix --photo-dir`, err);
      }
      return m.addPhoto({ workOrderId, itemId, fileKey: key, contentType, sizeBytes: bytes.length, sha256, uploadedAt: Date.now(), uploadedBy });
    },
    async photo(workOrderId, photoId) {
      const found = await m.photo(workOrderId, photoId);
      if (!found) return undefined;
      try {
        return { meta: found.meta, bytes: await readFile(pathOf(found.fileKey)) };
      } catch (err) {
        throw lwError('LW_ERR_STORAGE', `photo ${photoId} of work order ${workOrderId} is recorded but its file ${found.fileKey} cannot be read under ${root} (${(err as Error).message}): with several dashboards nodes, give them a shared --photo-dir`, err);
      }
    },
  };
}
