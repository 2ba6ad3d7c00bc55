import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { lwError, PhotoMeta } from '@liftwatch/contract';
import type { MaintenancePort } from '../deps.js';

/** The image types a photo may have, each with the bytes its files start with. */
const IMAGE_TYPES: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};
const OrderParam = Type.Object({ workOrderId: Type.Integer({ minimum: 1 }) });

/**
 * Photos of a work order (a part before and after, a fault found): sent as the image itself
 * (JPEG, PNG or WebP), kept as files by the maintenance port (on disk in the all-in-one), read back
 * by whoever sees the lift. A file whose bytes are not the type it claims is refused.
 */
export const workOrderPhotoRoutes: FastifyPluginAsyncTypebox<{ maintenance: MaintenancePort; maxBytes: number }> = async (app, { maintenance, maxBytes }) => {
  app.addContentTypeParser(Object.keys(IMAGE_TYPES), { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
  const visible = async (req: { lw: { canSee: (liftId: string) => boolean; user: { role: string } } | null }, id: number) => {
    const order = await maintenance.workOrder(id);
    if (!order || (req.lw!.user.role !== 'admin' && !req.lw!.canSee(order.liftId))) throw lwError('LW_ERR_NOT_FOUND', `work order ${id} does not exist or is not in your scope`);
    return order;
  };

  app.post('/api/work-orders/:workOrderId/photos', {
    config: { access: 'act', scope: 'list' },
    schema: {
      params: OrderParam,
      querystring: Type.Object({ itemId: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'The checklist item the photo shows' })) }),
      consumes: Object.keys(IMAGE_TYPES),
      response: { 200: PhotoMeta },
    },
  }, async (req) => {
    const order = await visible(req, req.params.workOrderId);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const bytes = req.body as Buffer;
    if (!Buffer.isBuffer(bytes) || !IMAGE_TYPES[type]) throw lwError('LW_ERR_REQUEST_INVALID', `a photo is sent as the image itself with Content-Type ${Object.keys(IMAGE_TYPES).join(', ')} (got ${JSON.stringify(type)})`);
    if (!IMAGE_TYPES[type](bytes)) throw lwError('LW_ERR_REQUEST_INVALID', `the ${bytes.length} bytes sent are not a ${type} file (they do not start as one): send the photo's file unchanged, with its own Content-Type`);
    const { itemId } = req.query;
    if (itemId !== undefined && !order.checklist.some((e) => e.itemId === itemId)) throw lwError('LW_ERR_REQUEST_INVALID', `work order ${order.id} has no checklist item ${JSON.stringify(itemId)}`);
    if (order.state === 'cancelled') throw lwError('LW_ERR_CONFLICT', `work order ${order.id} is cancelled: it takes no photos`);
    return maintenance.addPhoto({ workOrderId: order.id, itemId: itemId ?? null, contentType: type, bytes, uploadedBy: req.lw!.user.id });
  });

  app.get('/api/work-orders/:workOrderId/photos/:photoId', {
    config: { access: 'read', scope: 'list' },
    schema: { params: Type.Composite([OrderParam, Type.Object({ photoId: Type.Integer({ minimum: 1 }) })]), produces: Object.keys(IMAGE_TYPES), response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image as uploaded' }) } },
  }, async (req, reply) => {
    await visible(req, req.params.workOrderId);
    const photo = await maintenance.photo(req.params.workOrderId, req.params.photoId);
    if (!photo) throw lwError('LW_ERR_NOT_FOUND', `work order ${req.params.workOrderId} has no photo ${req.params.photoId}`);
    return reply.type(photo.meta.contentType).header('cache-control', 'private, max-age=86400').send(photo.bytes);
  });
};
