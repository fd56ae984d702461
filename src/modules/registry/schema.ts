import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Units form a vertical hierarchy of any depth. `path` is the materialised chain of ids
 * ('/root/child/…/self/'), so a subtree is one indexed prefix match and a move rewrites
 * the prefix of the moved rows in one statement.
 */
export const orgUnit = pgTable(
  'org_unit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    parentId: uuid('parent_id'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** administration | district | site | section | other */
    kind: text('kind').notNull().default('other'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('org_unit_code_uq').on(t.orgId, t.code),
    index('org_unit_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_unit_parent_idx').on(t.parentId),
  ],
);

export const position = pgTable(
  'position',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** leadership | professional | support */
    category: text('category').notNull().default('professional'),
    /** Managerial grade of the post, e.g. section or division level; drives rotation rules. */
    grade: text('grade'),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('position_code_uq').on(t.orgId, t.code)],
);

export const person = pgTable(
  'person',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    /** The agency's staff number: the key imports upsert on. */
    personNo: text('person_no').notNull(),
    fullName: text('full_name').notNull(),
    /** Romanised name (pinyin, or Vietnamese without diacritics) for sorting and display to foreigners. */
    nameLatin: text('name_latin'),
    /** The list's name order (romanised, lower case, code-point collation), stored so a covering index can carry it. */
    sortName: text('sort_name').generatedAlwaysAs(sql`lower(COALESCE(name_latin, full_name))`),
    /** Lower-case, diacritic-free name plus full pinyin and pinyin initials; trigram-indexed. */
    searchText: text('search_text').notNull(),
    gender: text('gender').notNull().default('unknown'),
    birthDate: date('birth_date'),
    nationalIdEnc: text('national_id_enc'),
    /** Keyed hash: finds duplicates without decrypting. */
    nationalIdHash: text('national_id_hash'),
    nationalIdMasked: text('national_id_masked'),
    /** Serving unit: directs the work. */
    unitId: uuid('unit_id').notNull(),
    /** Home unit: owns the person (dual management when it differs from the serving unit). */
    homeUnitId: uuid('home_unit_id').notNull(),
    positionId: uuid('position_id'),
    /** Start of the current assignment, kept in step with `assignment` so tenure filters use an index. */
    postSince: date('post_since'),
    educationLevel: text('education_level'),
    specialties: text('specialties')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** `specialties` as bits (migration 0006): what searches filter and count on. */
    specialtyMask: integer('specialty_mask').generatedAlwaysAs(sql`muster_specialty_mask(specialties)`),
    /** The specialty bits with education, title and echelon coded beside them (migration 0009): what facets count. */
    facetCode: integer('facet_code').generatedAlwaysAs(sql`muster_facet_code(specialties, education_level, title_level, echelon)`),
    titleLevel: text('title_level').notNull().default('none'),
    titleName: text('title_name'),
    languages: text('languages')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Mobilisation echelon: frontline | reserve | emergency. */
    echelon: text('echelon'),
    /** Civil-service rank, e.g. section_member, section_head, division_head. */
    grade: text('grade'),
    status: text('status').notNull().default('active'),
    statusSince: date('status_since'),
    phone: text('phone'),
    email: text('email'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('person_no_uq').on(t.orgId, t.personNo),
    index('person_home_unit_idx').on(t.homeUnitId),
    index('person_birth_idx').on(t.orgId, t.birthDate),
    index('person_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('person_natid_hash_idx').on(t.orgId, t.nationalIdHash),
  ],
);

export const education = pgTable(
  'education',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    level: text('level').notNull(),
    institution: text('institution').notNull(),
    major: text('major'),
    graduatedOn: date('graduated_on'),
  },
  (t) => [index('education_person_idx').on(t.personId)],
);

export const certification = pgTable(
  'certification',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    /** Vocabulary key, e.g. animal_quarantine, radiation_safety. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    issuedOn: date('issued_on').notNull(),
    expiresOn: date('expires_on'),
  },
  (t) => [
    index('certification_person_idx').on(t.personId),
    // person_id last so 'valid on a date' is answered from the index alone (index-only scan).
    index('certification_valid_idx').on(t.orgId, t.code, t.issuedOn, t.expiresOn, t.personId),
    index('certification_expiry_idx').on(t.orgId, t.expiresOn),
  ],
);

/**
 * Derived, never written by the application: for each person and certificate code, the spans of
 * days on which they hold a valid certificate of that code (overlapping or adjacent certificates
 * merged into one span, so a date falls in at most one row per person and code), carrying a copy of
 * the person's search columns. "Certification valid on a date" is then a range scan of one covering
 * index (migration 0008) instead of a semi-join against every person of the organisation. Triggers
 * keep it in step with `certification` and `person`; `valid_to` is 'infinity' for certificates that
 * do not expire. The columns mirror `person`, under the same names, so the search's WHERE applies.
 */
export const certificationHolding = pgTable(
  'certification_holding',
  {
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    unitId: uuid('unit_id').notNull(),
    homeUnitId: uuid('home_unit_id').notNull(),
    personNo: text('person_no').notNull(),
    sortName: text('sort_name'),
    positionId: uuid('position_id'),
    birthDate: date('birth_date'),
    postSince: date('post_since'),
    educationLevel: text('education_level'),
    titleLevel: text('title_level').notNull(),
    echelon: text('echelon'),
    status: text('status').notNull(),
    gender: text('gender').notNull(),
    specialtyMask: integer('specialty_mask'),
    facetCode: integer('facet_code'),
  },
  (t) => [primaryKey({ columns: [t.personId, t.code, t.validFrom] })],
);

/** Assignment history: tenure in post is derived from the open row. */
export const assignment = pgTable(
  'assignment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id').notNull(),
    positionId: uuid('position_id'),
    /** regular | secondment */
    kind: text('kind').notNull().default('regular'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    note: text('note'),
  },
  (t) => [index('assignment_person_idx').on(t.personId, t.startDate)],
);

export const statusChange = pgTable(
  'status_change',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    effectiveDate: date('effective_date').notNull(),
    reason: text('reason'),
    recordedBy: uuid('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('status_change_person_idx').on(t.personId, t.effectiveDate)],
);

/** A staff member's proposed edit to their own record, waiting for an HR officer. */
export const changeRequest = pgTable(
  'change_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    personId: uuid('person_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    changes: jsonb('changes').notNull(),
    /** pending | approved | rejected */
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('change_request_status_idx').on(t.orgId, t.status, t.createdAt)],
);

/** An uploaded spreadsheet, kept in the database so an import job survives a restart. */
export const importUpload = pgTable('import_upload', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  createdBy: uuid('created_by').notNull(),
  fileName: text('file_name').notNull(),
  format: text('format').notNull(),
  encoding: text('encoding'),
  headers: jsonb('headers').$type<string[]>().notNull(),
  rowCount: integer('row_count').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const importMapping = pgTable(
  'import_mapping',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    name: text('name').notNull(),
    /** header text → field key */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_mapping_name_uq').on(t.orgId, t.name)],
);
