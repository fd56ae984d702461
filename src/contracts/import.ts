import { z } from 'zod';

/** Fields a spreadsheet column can be mapped to; `required` ones must be mapped before a dry run. */
export const IMPORT_FIELDS = [
  { key: 'personNo', required: true },
  { key: 'fullName', required: true },
  { key: 'unitCode', required: true },
  { key: 'homeUnitCode', required: false },
  { key: 'positionCode', required: false },
  { key: 'nameLatin', required: false },
  { key: 'gender', required: false, vocab: 'gender' },
  { key: 'birthDate', required: false },
  { key: 'nationalId', required: false },
  { key: 'postSince', required: false },
  { key: 'educationLevel', required: false, vocab: 'educationLevel' },
  { key: 'specialties', required: false, vocab: 'specialty', list: true },
  { key: 'titleLevel', required: false, vocab: 'titleLevel' },
  { key: 'titleName', required: false },
  { key: 'languages', required: false, vocab: 'language', list: true },
  { key: 'echelon', required: false, vocab: 'echelon' },
  { key: 'grade', required: false, vocab: 'grade' },
  { key: 'status', required: false, vocab: 'status' },
  { key: 'phone', required: false },
  { key: 'email', required: false },
] as const;
export type ImportFieldKey = (typeof IMPORT_FIELDS)[number]['key'];
export const ImportFieldKeySchema = z.enum(IMPORT_FIELDS.map((f) => f.key) as [ImportFieldKey, ...ImportFieldKey[]]);

/** Column header (as written in the file) → field key; unmapped columns are ignored. */
export const ImportMapping = z.record(z.string().max(200), ImportFieldKeySchema);
export type ImportMapping = z.infer<typeof ImportMapping>;

/** An Excel sheet name: at most 31 characters in Excel; other producers are allowed a little more. */
export const ImportSheetName = z.string().min(1).max(255);

/** A worksheet of an uploaded workbook, in tab order; `rowCount` counts the sheet's stored rows less the header (an estimate). */
export const ImportSheet = z.object({ name: z.string(), rowCount: z.number() });
export type ImportSheet = z.infer<typeof ImportSheet>;

export const ImportUploadResponse = z.object({
  uploadId: z.uuid(),
  fileName: z.string(),
  format: z.enum(['xlsx', 'csv']),
  /** For CSV: utf-8, utf-8-bom or gb18030, as detected. */
  encoding: z.string().nullable(),
  /** Every worksheet of an XLSX workbook (empty for CSV). */
  sheets: z.array(ImportSheet),
  /** The worksheet that headers, rowCount and sampleRows describe: the first unless another was asked for; null for CSV. */
  sheet: z.string().nullable(),
  headers: z.array(z.string()),
  rowCount: z.number(),
  sampleRows: z.array(z.array(z.string())),
  suggestedMapping: ImportMapping,
});
export type ImportUploadResponse = z.infer<typeof ImportUploadResponse>;

/** `sheet`: the worksheet to import (XLSX), by name; the first when absent. */
export const ImportRunRequest = z.object({ mapping: ImportMapping, sheet: ImportSheetName.optional() });
/** GET /api/imports/:uploadId?sheet=…: the summary of another worksheet of the same upload. */
export const ImportUploadQuery = z.object({ sheet: ImportSheetName.optional() });
export const ImportRunResponse = z.object({ jobId: z.uuid() });

/** One problem in the file, in the user's language; `row` is the spreadsheet row number (header = 1). */
export const ImportRowError = z.object({
  row: z.number(),
  column: z.string(),
  field: z.string(),
  value: z.string(),
  reason: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** Result of an 'import.dry_run' or 'import.commit' job (GET /api/jobs/:id → result). */
export const ImportReport = z.object({
  uploadId: z.uuid(),
  mode: z.enum(['dry_run', 'commit']),
  /** The worksheet that was read (XLSX), null for CSV; absent in reports of jobs from before sheets could be chosen. */
  sheet: z.string().nullable().optional(),
  rows: z.number(),
  validRows: z.number(),
  errorRows: z.number(),
  toCreate: z.number(),
  toUpdate: z.number(),
  unchanged: z.number(),
  committed: z.boolean(),
  errors: z.array(ImportRowError),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const SavedMapping = z.object({ id: z.uuid(), name: z.string(), mapping: ImportMapping, createdAt: z.string() });
export const SaveMappingRequest = z.object({ name: z.string().trim().min(1).max(100), mapping: ImportMapping });
