import { z } from 'zod';

const Bucket = z.object({ key: z.string(), count: z.number() });
export const DashboardRequest = z.object({
  unitId: z.uuid().optional(),
  rotationYears: z.coerce.number().min(1).max(30).optional(),
  expiringDays: z.coerce.number().int().min(1).max(365).default(90),
});
export const DashboardResponse = z.object({
  total: z.number(),
  ageByGender: z.array(z.object({ band: z.string(), male: z.number(), female: z.number(), unknown: z.number() })),
  educationLevel: z.array(Bucket),
  specialty: z.array(Bucket),
  titleLevel: z.array(Bucket),
  echelon: z.array(Bucket),
  /** Tenure bands in years: [0,1), [1,3), [3,5), [5,10), [10,∞), unknown. */
  tenure: z.array(Bucket),
  rotationDue: z.object({ years: z.number(), count: z.number() }),
  certificationsExpiring: z.object({ days: z.number(), count: z.number() }),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;
