import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { STORED_LENGTHS } from '../../domain/stored-lengths.js';
import { Appeal } from './appeal.js';

/** A file the citizen or the operator attached (1207 DocTransfer, JSON contentBase64). */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachment',
  properties: {
    id: p.uuid().primary(),
    appeal: () => p.manyToOne(Appeal).deleteRule('cascade'),
    fileName: p.string().length(STORED_LENGTHS.fileName),
    mimeType: p.string().length(STORED_LENGTHS.mimeType),
    size: p.integer(),
    content: p.blob().lazy(),
  },
});
export type IAttachment = InferEntity<typeof Attachment>;
