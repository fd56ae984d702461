import { z } from 'zod';
import { Uuid } from './common.js';
import { POSITION_CATEGORIES, GRADES, UNIT_KINDS } from './vocab.js';

export const UnitItem = z.object({
  id: Uuid,
  parentId: Uuid.nullable(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  depth: z.number(),
  path: z.string(),
  version: z.number(),
  /** Serving staff in the unit and everything below it. */
  headcount: z.number(),
  /** Serving staff attached to the unit itself. */
  directHeadcount: z.number(),
  /** False for ancestors shown only so the tree has a trunk; their people stay hidden. */
  inScope: z.boolean(),
});
export type UnitItem = z.infer<typeof UnitItem>;

export const UnitCreateRequest = z.object({
  parentId: Uuid,
  code: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(UNIT_KINDS).default('other'),
});
export const UnitUpdateRequest = z.object({
  code: z.string().trim().min(1).max(32).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  version: z.number().int().min(1),
});
export const UnitMoveRequest = z.object({ parentId: Uuid, version: z.number().int().min(1) });

export const PositionItem = z.object({
  id: Uuid,
  code: z.string(),
  name: z.string(),
  category: z.string(),
  grade: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
});
export const PositionCreateRequest = z.object({
  code: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(100),
  category: z.enum(POSITION_CATEGORIES).default('professional'),
  grade: z.enum(GRADES).nullish(),
  description: z.string().trim().max(500).nullish(),
});
export const PositionUpdateRequest = PositionCreateRequest.partial().extend({
  active: z.boolean().optional(),
  version: z.number().int().min(1),
});
