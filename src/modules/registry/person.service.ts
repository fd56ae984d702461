import { and, asc, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Queryable, Tx } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import type {
  CertificationInput,
  EducationInput,
  EndSecondmentRequest,
  PersonCreateRequest,
  PersonDetail,
  PersonUpdateRequest,
  SecondmentRequest,
  SelfChangeRequest,
  StatusChangeRequest,
} from '../../contracts/person.js';
import type { Permission } from '../../contracts/vocab.js';
import { AppError, forbidden, invalid, notFound } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { unitPathInScope, type Actor } from '../iam/actor.js';
import { orgToday } from '../iam/organisation.service.js';
import { shiftDate, tenureYears, yearsBetween } from './dates.js';
import { buildSearchText } from './name-search.js';
import { isValidNationalId, maskNationalId, type NationalIdCipher } from './national-id.js';
import { personScope } from './scope.sql.js';
import { assignment, certification, changeRequest, education, orgUnit, person, position, statusChange } from './schema.js';
import { requireUnitInScope } from './unit.service.js';

export type RegistryDeps = { db: Db; cipher: NationalIdCipher };
type PersonRow = typeof person.$inferSelect;

/** What the audit log keeps of a person: never the ciphertext, hash or search helper. */
export function auditSnapshot(p: PersonRow): Record<string, unknown> {
  const { nationalIdEnc: _e, nationalIdHash: _h, searchText: _s, ...rest } = p;
  return rest;
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (k === 'updatedAt' || k === 'version') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}

/** Loads a person inside the permission's scope; outside it the person does not exist for this actor. */
async function loadPersonInScope(q: Queryable, actor: Actor, id: string, permission: Permission, lock = false) {
  const inScope = q
    .select()
    .from(person)
    .where(and(eq(person.id, id), personScope(actor, permission, 'person')));
  const [row] = lock ? await inScope.for('update') : await inScope;
  if (!row) {
    if (permission !== 'person.read') {
      const readable = await queryRows(q, sql`SELECT 1 FROM person p WHERE p.id = ${id} AND ${personScope(actor, 'person.read')}`);
      if (readable.length) throw forbidden();
    }
    throw notFound();
  }
  return row;
}

type PersonUnits = Map<string, { name: string; path: string }>;

/** The serving and home unit of a person, loaded once for names and for permission checks alike. */
async function loadPersonUnits(q: Queryable, p: PersonRow): Promise<PersonUnits> {
  const rows = await q
    .select({ id: orgUnit.id, name: orgUnit.name, path: orgUnit.path })
    .from(orgUnit)
    .where(sql`${orgUnit.id} IN ${[p.unitId, p.homeUnitId]}`);
  return new Map(rows.map((r) => [r.id, { name: r.name, path: r.path }]));
}

function holdsOnPerson(actor: Actor, permission: Permission, p: PersonRow, units: PersonUnits): boolean {
  return [p.unitId, p.homeUnitId].some((u) => {
    const unit = units.get(u);
    return unit !== undefined && unitPathInScope(actor, permission, unit.path);
  });
}

async function canOnPerson(q: Queryable, actor: Actor, p: PersonRow, permission: Permission): Promise<boolean> {
  return holdsOnPerson(actor, permission, p, await loadPersonUnits(q, p));
}

export async function getPersonDetail(deps: RegistryDeps, actor: Actor, id: string): Promise<PersonDetail> {
  const { db } = deps;
  const p = await loadPersonInScope(db, actor, id, 'person.read');
  const today = await orgToday(db, actor.orgId);
  const [units, pos, assignments, edu, certs, statuses] = await Promise.all([
    loadPersonUnits(db, p),
    p.positionId ? db.select().from(position).where(eq(position.id, p.positionId)) : Promise.resolve([]),
    db
      .select({ a: assignment, unitName: orgUnit.name, positionName: position.name })
      .from(assignment)
      .innerJoin(orgUnit, eq(orgUnit.id, assignment.unitId))
      .leftJoin(position, eq(position.id, assignment.positionId))
      .where(eq(assignment.personId, id))
      .orderBy(desc(assignment.startDate)),
    db.select().from(education).where(eq(education.personId, id)).orderBy(asc(education.graduatedOn)),
    db.select().from(certification).where(eq(certification.personId, id)).orderBy(desc(certification.issuedOn)),
    db.select().from(statusChange).where(eq(statusChange.personId, id)).orderBy(desc(statusChange.effectiveDate)),
  ]);
  const canEdit = holdsOnPerson(actor, 'person.write', p, units);
  const canReveal = holdsOnPerson(actor, 'person.national_id', p, units);
  const unitName = (uid: string) => units.get(uid)?.name ?? '';
  return {
    id: p.id,
    personNo: p.personNo,
    fullName: p.fullName,
    nameLatin: p.nameLatin,
    gender: p.gender,
    birthDate: p.birthDate,
    age: p.birthDate ? yearsBetween(p.birthDate, today) : null,
    unitId: p.unitId,
    unitName: unitName(p.unitId),
    homeUnitId: p.homeUnitId,
    homeUnitName: unitName(p.homeUnitId),
    positionId: p.positionId,
    positionName: pos[0]?.name ?? null,
    postSince: p.postSince,
    tenureYears: p.postSince ? tenureYears(p.postSince, today) : null,
    educationLevel: p.educationLevel,
    specialties: p.specialties,
    titleLevel: p.titleLevel,
    titleName: p.titleName,
    echelon: p.echelon,
    grade: p.grade,
    languages: p.languages,
    status: p.status,
    statusSince: p.statusSince,
    phone: p.phone,
    email: p.email,
    nationalIdMasked: p.nationalIdMasked,
    version: p.version,
    updatedAt: p.updatedAt.toISOString(),
    canEdit,
    canRevealNationalId: canReveal,
    assignments: assignments.map(({ a, unitName: un, positionName }) => ({
      id: a.id,
      unitId: a.unitId,
      unitName: un,
      positionId: a.positionId,
      positionName: positionName ?? null,
      kind: a.kind as 'regular' | 'secondment',
      startDate: a.startDate,
      endDate: a.endDate,
      note: a.note,
    })),
    education: edu.map((e) => ({
      id: e.id,
      level: e.level as never,
      institution: e.institution,
      major: e.major,
      graduatedOn: e.graduatedOn,
    })),
    certifications: certs.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      validToday: c.issuedOn <= today && (!c.expiresOn || c.expiresOn >= today),
    })),
    statusHistory: statuses.map((s) => ({ id: s.id, status: s.status, effectiveDate: s.effectiveDate, reason: s.reason })),
  };
}

/** Decrypts the national ID for a role that may see it; the read itself is written to the audit log. */
export async function revealNationalId(deps: RegistryDeps, actor: Actor, id: string): Promise<string | null> {
  return deps.db.transaction(async (tx) => {
    const p = await loadPersonInScope(tx, actor, id, 'person.read');
    if (!(await canOnPerson(tx, actor, p, 'person.national_id'))) throw forbidden();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'read_sensitive',
      entity: 'person',
      entityId: id,
      personId: id,
      unitId: p.unitId,
      after: { field: 'nationalId' },
    });
    return p.nationalIdEnc ? deps.cipher.decrypt(p.nationalIdEnc) : null;
  });
}

async function checkNationalId(tx: Tx, deps: RegistryDeps, orgId: string, value: string, exceptId: string | null) {
  if (!isValidNationalId(value)) throw invalid('nationalId', 'invalid_national_id');
  const hash = deps.cipher.hash(value);
  const [dup] = await tx
    .select({ id: person.id })
    .from(person)
    .where(and(eq(person.orgId, orgId), eq(person.nationalIdHash, hash), exceptId ? ne(person.id, exceptId) : undefined));
  if (dup) throw new AppError('duplicate', [{ field: 'nationalId', reason: 'duplicate' }], { field: 'nationalId' });
  return { nationalIdEnc: deps.cipher.encrypt(value), nationalIdHash: hash, nationalIdMasked: maskNationalId(value) };
}

async function checkPersonNo(tx: Tx, orgId: string, personNo: string, exceptId: string | null) {
  const [dup] = await tx
    .select({ id: person.id })
    .from(person)
    .where(and(eq(person.orgId, orgId), eq(person.personNo, personNo), exceptId ? ne(person.id, exceptId) : undefined));
  if (dup) throw new AppError('duplicate', [{ field: 'personNo', reason: 'duplicate' }], { field: 'personNo' });
}

async function checkPosition(tx: Tx, orgId: string, positionId: string | null | undefined) {
  if (!positionId) return;
  const [p] = await tx
    .select({ id: position.id })
    .from(position)
    .where(and(eq(position.orgId, orgId), eq(position.id, positionId)));
  if (!p) throw invalid('positionId', 'unknown_position');
}

async function requireWritableUnit(tx: Tx, actor: Actor, field: string, unitId: string) {
  try {
    return await requireUnitInScope(tx, actor, 'person.write', unitId);
  } catch {
    throw invalid(field, 'unknown_unit');
  }
}

export async function createPerson(deps: RegistryDeps, actor: Actor, input: PersonCreateRequest): Promise<PersonRow> {
  return deps.db.transaction(async (tx) => {
    const today = await orgToday(tx, actor.orgId);
    await requireWritableUnit(tx, actor, 'unitId', input.unitId);
    if (input.homeUnitId) await requireWritableUnit(tx, actor, 'homeUnitId', input.homeUnitId);
    await checkPersonNo(tx, actor.orgId, input.personNo, null);
    await checkPosition(tx, actor.orgId, input.positionId);
    const { nationalId, ...fields } = input;
    const natId = nationalId ? await checkNationalId(tx, deps, actor.orgId, nationalId, null) : {};
    const postSince = input.postSince ?? today;
    const [created] = await tx
      .insert(person)
      .values({
        ...fields,
        ...natId,
        orgId: actor.orgId,
        homeUnitId: input.homeUnitId ?? input.unitId,
        postSince,
        statusSince: today,
        searchText: buildSearchText(input.fullName, input.nameLatin),
      })
      .returning();
    const p = created!;
    await tx
      .insert(assignment)
      .values({ orgId: actor.orgId, personId: p.id, unitId: p.unitId, positionId: p.positionId, startDate: postSince });
    await tx
      .insert(statusChange)
      .values({ orgId: actor.orgId, personId: p.id, status: p.status, effectiveDate: today, recordedBy: actor.userId });
    await recordAudit(tx, actor, actor.orgId, {
      action: 'create',
      entity: 'person',
      entityId: p.id,
      personId: p.id,
      unitId: p.unitId,
      after: auditSnapshot(p),
    });
    return p;
  });
}

/**
 * Optimistic concurrency: the client sends the version it edited; a newer version in the database
 * means someone else saved first, and the update is refused rather than silently overwriting them.
 */
export async function updatePerson(deps: RegistryDeps, actor: Actor, id: string, input: PersonUpdateRequest): Promise<PersonRow> {
  return deps.db.transaction(async (tx) => {
    const before = await loadPersonInScope(tx, actor, id, 'person.write', true);
    if (before.version !== input.version) {
      throw new AppError('version_conflict', [{ field: 'version', reason: 'invalid', params: { current: before.version } }]);
    }
    const today = await orgToday(tx, actor.orgId);
    const { version: _v, effectiveDate, nationalId, ...fields } = input;
    const changes: Partial<typeof person.$inferInsert> = { ...fields, homeUnitId: fields.homeUnitId ?? undefined } as Partial<
      typeof person.$inferInsert
    >;
    if (fields.unitId && fields.unitId !== before.unitId) await requireWritableUnit(tx, actor, 'unitId', fields.unitId);
    if (fields.homeUnitId && fields.homeUnitId !== before.homeUnitId) await requireWritableUnit(tx, actor, 'homeUnitId', fields.homeUnitId);
    if (fields.personNo && fields.personNo !== before.personNo) await checkPersonNo(tx, actor.orgId, fields.personNo, id);
    if (fields.positionId !== undefined && fields.positionId !== before.positionId) await checkPosition(tx, actor.orgId, fields.positionId);
    if (nationalId) Object.assign(changes, await checkNationalId(tx, deps, actor.orgId, nationalId, id));
    if (nationalId === null) Object.assign(changes, { nationalIdEnc: null, nationalIdHash: null, nationalIdMasked: null });
    if (fields.fullName !== undefined || fields.nameLatin !== undefined) {
      changes.searchText = buildSearchText(
        fields.fullName ?? before.fullName,
        fields.nameLatin !== undefined ? fields.nameLatin : before.nameLatin,
      );
    }
    if (fields.status && fields.status !== before.status) {
      changes.statusSince = effectiveDate ?? today;
      await tx.insert(statusChange).values({
        orgId: actor.orgId,
        personId: id,
        status: fields.status,
        effectiveDate: effectiveDate ?? today,
        recordedBy: actor.userId,
      });
    }
    const unitChanged = fields.unitId !== undefined && fields.unitId !== before.unitId;
    const positionChanged = fields.positionId !== undefined && fields.positionId !== before.positionId;
    if (unitChanged || positionChanged) {
      const start = effectiveDate ?? today;
      // A regular transfer moves the home unit too; a seconded person keeps their home unit.
      if (unitChanged && before.unitId === before.homeUnitId && fields.homeUnitId === undefined) changes.homeUnitId = fields.unitId;
      await openAssignment(tx, actor.orgId, id, {
        unitId: fields.unitId ?? before.unitId,
        positionId: fields.positionId !== undefined ? fields.positionId : before.positionId,
        kind: before.unitId !== before.homeUnitId && !unitChanged ? 'secondment' : 'regular',
        startDate: start,
      });
      changes.postSince = start;
    } else if (fields.postSince !== undefined) {
      await tx
        .update(assignment)
        .set({ startDate: fields.postSince ?? today })
        .where(and(eq(assignment.personId, id), isNull(assignment.endDate)));
    }
    const [after] = await tx
      .update(person)
      .set({ ...changes, version: before.version + 1, updatedAt: new Date() })
      .where(and(eq(person.id, id), eq(person.version, input.version)))
      .returning();
    if (!after) throw new AppError('version_conflict');
    const d = diff(auditSnapshot(before), auditSnapshot(after));
    await recordAudit(tx, actor, actor.orgId, {
      action: 'update',
      entity: 'person',
      entityId: id,
      personId: id,
      unitId: after.unitId,
      ...d,
    });
    return after;
  });
}

/** Closes the open assignment the day before `startDate` and opens the new one. */
async function openAssignment(
  tx: Tx,
  orgId: string,
  personId: string,
  a: {
    unitId: string;
    positionId: string | null | undefined;
    kind: 'regular' | 'secondment';
    startDate: string;
    note?: string | undefined;
  },
) {
  await tx
    .update(assignment)
    .set({ endDate: sql`GREATEST(${assignment.startDate}, ${shiftDate(a.startDate, 0, -1)}::date)` })
    .where(and(eq(assignment.personId, personId), isNull(assignment.endDate)));
  await tx.insert(assignment).values({
    orgId,
    personId,
    unitId: a.unitId,
    positionId: a.positionId ?? null,
    kind: a.kind,
    startDate: a.startDate,
    note: a.note ?? null,
  });
}

export async function changePersonStatus(deps: RegistryDeps, actor: Actor, id: string, input: z.infer<typeof StatusChangeRequest>) {
  return deps.db.transaction(async (tx) => {
    const before = await loadPersonInScope(tx, actor, id, 'person.write', true);
    if (before.version !== input.version) throw new AppError('version_conflict');
    await tx.insert(statusChange).values({
      orgId: actor.orgId,
      personId: id,
      status: input.status,
      effectiveDate: input.effectiveDate,
      reason: input.reason ?? null,
      recordedBy: actor.userId,
    });
    const [after] = await tx
      .update(person)
      .set({ status: input.status, statusSince: input.effectiveDate, version: before.version + 1, updatedAt: new Date() })
      .where(eq(person.id, id))
      .returning();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'status_change',
      entity: 'person',
      entityId: id,
      personId: id,
      unitId: before.unitId,
      before: { status: before.status, statusSince: before.statusSince },
      after: { status: input.status, statusSince: input.effectiveDate, reason: input.reason ?? null },
    });
    return after!;
  });
}

/** Dual management: the home unit keeps ownership while the serving unit directs the work. */
export async function startSecondment(deps: RegistryDeps, actor: Actor, id: string, input: z.infer<typeof SecondmentRequest>) {
  return deps.db.transaction(async (tx) => {
    const before = await loadPersonInScope(tx, actor, id, 'person.write', true);
    if (before.version !== input.version) throw new AppError('version_conflict');
    await requireWritableUnit(tx, actor, 'servingUnitId', input.servingUnitId);
    await checkPosition(tx, actor.orgId, input.positionId);
    await openAssignment(tx, actor.orgId, id, {
      unitId: input.servingUnitId,
      positionId: input.positionId,
      kind: 'secondment',
      startDate: input.startDate,
      note: input.note,
    });
    const [after] = await tx
      .update(person)
      .set({
        unitId: input.servingUnitId,
        positionId: input.positionId ?? null,
        status: 'seconded',
        statusSince: input.startDate,
        postSince: input.startDate,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(person.id, id))
      .returning();
    await tx.insert(statusChange).values({
      orgId: actor.orgId,
      personId: id,
      status: 'seconded',
      effectiveDate: input.startDate,
      reason: input.note ?? null,
      recordedBy: actor.userId,
    });
    await recordAudit(tx, actor, actor.orgId, {
      action: 'secondment_start',
      entity: 'person',
      entityId: id,
      personId: id,
      unitId: before.homeUnitId,
      ...diff(auditSnapshot(before), auditSnapshot(after!)),
    });
    return after!;
  });
}

export async function endSecondment(deps: RegistryDeps, actor: Actor, id: string, input: z.infer<typeof EndSecondmentRequest>) {
  return deps.db.transaction(async (tx) => {
    const before = await loadPersonInScope(tx, actor, id, 'person.write', true);
    if (before.version !== input.version) throw new AppError('version_conflict');
    if (before.unitId === before.homeUnitId) throw invalid('status', 'invalid');
    // The person returns to the last regular post held in the home unit.
    const [lastHome] = await tx
      .select()
      .from(assignment)
      .where(and(eq(assignment.personId, id), eq(assignment.unitId, before.homeUnitId), eq(assignment.kind, 'regular')))
      .orderBy(desc(assignment.startDate))
      .limit(1);
    const start = shiftDate(input.endDate, 0, 1);
    await openAssignment(tx, actor.orgId, id, {
      unitId: before.homeUnitId,
      positionId: lastHome?.positionId ?? null,
      kind: 'regular',
      startDate: start,
    });
    const [after] = await tx
      .update(person)
      .set({
        unitId: before.homeUnitId,
        positionId: lastHome?.positionId ?? null,
        status: 'active',
        statusSince: start,
        postSince: start,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(person.id, id))
      .returning();
    await tx
      .insert(statusChange)
      .values({ orgId: actor.orgId, personId: id, status: 'active', effectiveDate: start, recordedBy: actor.userId });
    await recordAudit(tx, actor, actor.orgId, {
      action: 'secondment_end',
      entity: 'person',
      entityId: id,
      personId: id,
      unitId: before.homeUnitId,
      ...diff(auditSnapshot(before), auditSnapshot(after!)),
    });
    return after!;
  });
}

/** Sub-records (education, certifications) bump the person's version too, so concurrent editors notice. */
async function touchPerson(tx: Tx, p: PersonRow) {
  await tx
    .update(person)
    .set({ version: p.version + 1, updatedAt: new Date() })
    .where(eq(person.id, p.id));
}

/** Education and certification rows: the write, a version bump on the person and the audit entry, in one transaction. */
async function changeSubRecord<T extends { id: string }>(
  deps: RegistryDeps,
  actor: Actor,
  personId: string,
  entity: 'education' | 'certification',
  action: 'create' | 'delete',
  write: (tx: Tx) => Promise<T | undefined>,
): Promise<T> {
  return deps.db.transaction(async (tx) => {
    const p = await loadPersonInScope(tx, actor, personId, 'person.write', true);
    const row = await write(tx);
    if (!row) throw notFound();
    await touchPerson(tx, p);
    await recordAudit(tx, actor, actor.orgId, {
      action,
      entity,
      entityId: row.id,
      personId,
      unitId: p.unitId,
      ...(action === 'create' ? { after: row } : { before: row }),
    });
    return row;
  });
}

export async function addEducation(deps: RegistryDeps, actor: Actor, personId: string, input: z.infer<typeof EducationInput>) {
  return changeSubRecord(
    deps,
    actor,
    personId,
    'education',
    'create',
    async (tx) =>
      (
        await tx
          .insert(education)
          .values({ orgId: actor.orgId, personId, ...input })
          .returning()
      )[0],
  );
}

export async function removeEducation(deps: RegistryDeps, actor: Actor, personId: string, educationId: string) {
  await changeSubRecord(
    deps,
    actor,
    personId,
    'education',
    'delete',
    async (tx) =>
      (
        await tx
          .delete(education)
          .where(and(eq(education.id, educationId), eq(education.personId, personId)))
          .returning()
      )[0],
  );
}

export async function addCertification(deps: RegistryDeps, actor: Actor, personId: string, input: z.infer<typeof CertificationInput>) {
  return changeSubRecord(
    deps,
    actor,
    personId,
    'certification',
    'create',
    async (tx) =>
      (
        await tx
          .insert(certification)
          .values({ orgId: actor.orgId, personId, ...input })
          .returning()
      )[0],
  );
}

export async function removeCertification(deps: RegistryDeps, actor: Actor, personId: string, certificationId: string) {
  await changeSubRecord(
    deps,
    actor,
    personId,
    'certification',
    'delete',
    async (tx) =>
      (
        await tx
          .delete(certification)
          .where(and(eq(certification.id, certificationId), eq(certification.personId, personId)))
          .returning()
      )[0],
  );
}

/** Staff propose edits to their own record; nothing changes until an HR officer of their unit approves. */
export async function proposeSelfChange(deps: RegistryDeps, actor: Actor, input: z.infer<typeof SelfChangeRequest>) {
  if (!actor.personId) throw forbidden();
  const personId = actor.personId;
  return deps.db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(person)
      .where(and(eq(person.id, personId), eq(person.orgId, actor.orgId)));
    if (!p) throw notFound();
    const { note, ...changes } = input;
    const [row] = await tx
      .insert(changeRequest)
      .values({
        orgId: actor.orgId,
        personId,
        unitId: p.unitId,
        requestedBy: actor.userId,
        changes: { ...changes, note: note ?? null, baseVersion: p.version },
      })
      .returning();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'create',
      entity: 'change_request',
      entityId: row!.id,
      personId,
      unitId: p.unitId,
      after: row!.changes,
    });
    return row!;
  });
}

export async function listChangeRequests(q: Queryable, actor: Actor, status: string) {
  const mine = actor.personId ? sql`OR cr.person_id = ${actor.personId}` : sql``;
  const rows = await queryRows(
    q,
    sql`SELECT cr.id, cr.person_id, p.full_name, p.person_no, u.name AS unit_name, cr.changes, cr.status,
        cr.created_at, cr.decided_at, cr.decision_note
      FROM change_request cr JOIN person p ON p.id = cr.person_id JOIN org_unit u ON u.id = cr.unit_id
      WHERE cr.org_id = ${actor.orgId} AND cr.status = ${status}
        AND (${personScope(actor, 'change.approve')} ${mine})
      ORDER BY cr.created_at DESC LIMIT 200`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    personId: String(r.person_id),
    fullName: String(r.full_name),
    personNo: String(r.person_no),
    unitName: String(r.unit_name),
    changes: r.changes as Record<string, unknown>,
    status: String(r.status),
    createdAt: new Date(String(r.created_at)).toISOString(),
    decidedAt: r.decided_at ? new Date(String(r.decided_at)).toISOString() : null,
    decisionNote: r.decision_note ? String(r.decision_note) : null,
  }));
}

export async function decideChangeRequest(deps: RegistryDeps, actor: Actor, id: string, approve: boolean, note?: string) {
  const [cr] = await deps.db
    .select()
    .from(changeRequest)
    .where(and(eq(changeRequest.id, id), eq(changeRequest.orgId, actor.orgId)));
  if (!cr) throw notFound();
  const [p] = await deps.db.select().from(person).where(eq(person.id, cr.personId));
  if (!p || !(await canOnPerson(deps.db, actor, p, 'change.approve'))) throw notFound();
  if (cr.status !== 'pending') throw new AppError('version_conflict');
  const { note: _n, baseVersion: _b, ...changes } = cr.changes as Record<string, unknown>;
  if (approve) {
    await updatePerson(deps, actor, p.id, { ...(changes as Partial<PersonUpdateRequest>), version: p.version });
  }
  await deps.db.transaction(async (tx) => {
    const [done] = await tx
      .update(changeRequest)
      .set({ status: approve ? 'approved' : 'rejected', decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note ?? null })
      .where(and(eq(changeRequest.id, id), eq(changeRequest.status, 'pending')))
      .returning();
    if (!done) throw new AppError('version_conflict');
    await recordAudit(tx, actor, actor.orgId, {
      action: approve ? 'approve' : 'reject',
      entity: 'change_request',
      entityId: id,
      personId: p.id,
      unitId: p.unitId,
      after: { note: note ?? null },
    });
  });
}
