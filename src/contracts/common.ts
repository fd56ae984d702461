import { z } from 'zod';

export const IsoDate = z.iso.date();
export const Uuid = z.uuid();

/** Accepts a repeated query parameter or a comma-separated list: ?specialty=a&specialty=b or ?specialty=a,b */
export const listParam = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return undefined;
    const arr = Array.isArray(v) ? v : [v];
    return arr.flatMap((x) => String(x).split(',')).filter(Boolean);
  }, z.array(item).optional());

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(
      z.object({
        field: z.string(),
        reason: z.string(),
        message: z.string().optional(),
        row: z.number().optional(),
        value: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    ),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
