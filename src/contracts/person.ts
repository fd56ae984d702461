import { z } from 'zod';
import { IsoDate, listParam, Uuid } from './common.js';
import {
  ASSIGNMENT_KINDS,
  ECHELONS,
  EDUCATION_LEVELS,
  GENDERS,
  GRADES,
  LANGUAGES,
  PERSON_STATUSES,
  SPECIALTIES,
  TITLE_LEVELS,
} from './vocab.js';

export const PERSON_SORTS = ['fullName', 'personNo', 'birthDate', 'postSince'] as const;

/** Every filter of the people search; the same object drives list, facets, export and dashboard drill-down. */
export const PersonFilter = z.object({
  unitId: Uuid.optional(),
  q: z.string().trim().max(100).optional(),
  specialty: listParam(z.enum(SPECIALTIES)),
  certCode: z.string().max(64).optional(),
  /** With certCode (or alone: any certification) valid on this date. */
  certValidOn: IsoDate.optional(),
  certExpiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  educationLevel: listParam(z.enum(EDUCATION_LEVELS)),
  titleLevel: listParam(z.enum(TITLE_LEVELS)),
  ageMin: z.coerce.number().int().min(0).max(120).optional(),
  ageMax: z.coerce.number().int().min(0).max(120).optional(),
  tenureMinYears: z.coerce.number().min(0).max(60).optional(),
  tenureMaxYears: z.coerce.number().min(0).max(60).optional(),
  echelon: listParam(z.enum(ECHELONS)),
  language: listParam(z.enum(LANGUAGES)),
  status: listParam(z.enum(PERSON_STATUSES)),
  gender: listParam(z.enum(GENDERS)),
  grade: listParam(z.enum(GRADES)),
  positionId: listParam(Uuid),
  /** Only people whose serving unit differs from their home unit. */
  seconded: z.enum(['true', 'false']).optional(),
});
export type PersonFilter = z.infer<typeof PersonFilter>;

export const PersonSearchRequest = PersonFilter.extend({
  sort: z.enum(PERSON_SORTS).default('fullName'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  /** Opaque keyset cursor from the previous page's nextCursor. */
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  facets: z.enum(['true', 'false']).default('false'),
});
export type PersonSearchRequest = z.infer<typeof PersonSearchRequest>;

export const PersonListItem = z.object({
  id: Uuid,
  personNo: z.string(),
  fullName: z.string(),
  nameLatin: z.string().nullable(),
  gender: z.string(),
  birthDate: z.string().nullable(),
  age: z.number().nullable(),
  unitId: Uuid,
  unitName: z.string(),
  homeUnitId: Uuid,
  homeUnitName: z.string(),
  positionId: Uuid.nullable(),
  positionName: z.string().nullable(),
  postSince: z.string().nullable(),
  tenureYears: z.number().nullable(),
  educationLevel: z.string().nullable(),
  specialties: z.array(z.string()),
  titleLevel: z.string(),
  echelon: z.string().nullable(),
  grade: z.string().nullable(),
  languages: z.array(z.string()),
  status: z.string(),
  nationalIdMasked: z.string().nullable(),
});
export type PersonListItem = z.infer<typeof PersonListItem>;

export const FacetBucket = z.object({ key: z.string(), label: z.string().optional(), count: z.number() });
export const PersonFacets = z.object({
  ageBand: z.array(FacetBucket),
  educationLevel: z.array(FacetBucket),
  specialty: z.array(FacetBucket),
  titleLevel: z.array(FacetBucket),
  position: z.array(FacetBucket),
  echelon: z.array(FacetBucket),
});
export type PersonFacets = z.infer<typeof PersonFacets>;

export const PersonSearchResponse = z.object({
  items: z.array(PersonListItem),
  nextCursor: z.string().nullable(),
  total: z.number(),
  facets: PersonFacets.optional(),
});
export type PersonSearchResponse = z.infer<typeof PersonSearchResponse>;

const nationalId = z
  .string()
  .trim()
  .regex(/^(\d{17}[\dXx]|\d{12}|\d{9})$/);

/** Editable person fields; `version` carries optimistic concurrency on update. */
export const PersonFields = z.object({
  personNo: z.string().trim().min(1).max(32),
  fullName: z.string().trim().min(1).max(100),
  nameLatin: z.string().trim().max(100).nullish(),
  gender: z.enum(GENDERS).default('unknown'),
  birthDate: IsoDate.nullish(),
  nationalId: nationalId.nullish(),
  unitId: Uuid,
  homeUnitId: Uuid.nullish(),
  positionId: Uuid.nullish(),
  postSince: IsoDate.nullish(),
  educationLevel: z.enum(EDUCATION_LEVELS).nullish(),
  specialties: z.array(z.enum(SPECIALTIES)).max(12).default([]),
  titleLevel: z.enum(TITLE_LEVELS).default('none'),
  titleName: z.string().trim().max(100).nullish(),
  languages: z.array(z.enum(LANGUAGES)).max(8).default([]),
  echelon: z.enum(ECHELONS).nullish(),
  grade: z.enum(GRADES).nullish(),
  status: z.enum(PERSON_STATUSES).default('active'),
  phone: z.string().trim().max(32).nullish(),
  email: z.email().max(200).nullish(),
});
export const PersonCreateRequest = PersonFields;
export type PersonCreateRequest = z.infer<typeof PersonCreateRequest>;

export const PersonUpdateRequest = PersonFields.partial().extend({
  version: z.number().int().min(1),
  /** When the unit or position changes: the day the new assignment starts (defaults to today). */
  effectiveDate: IsoDate.optional(),
});
export type PersonUpdateRequest = z.infer<typeof PersonUpdateRequest>;

export const StatusChangeRequest = z.object({
  status: z.enum(PERSON_STATUSES),
  effectiveDate: IsoDate,
  reason: z.string().trim().max(500).optional(),
  version: z.number().int().min(1),
});

export const SecondmentRequest = z.object({
  servingUnitId: Uuid,
  positionId: Uuid.nullish(),
  startDate: IsoDate,
  note: z.string().max(500).optional(),
  version: z.number().int().min(1),
});

export const EndSecondmentRequest = z.object({
  endDate: IsoDate,
  version: z.number().int().min(1),
});

export const EducationInput = z.object({
  level: z.enum(EDUCATION_LEVELS),
  institution: z.string().trim().min(1).max(200),
  major: z.string().trim().max(200).nullish(),
  graduatedOn: IsoDate.nullish(),
});

/**
 * The certificate types an organisation records (its catalogue as used): each code with the name most
 * often written for it and how many people hold one valid today, counted within the caller's scope.
 */
export const CertificationTypeItem = z.object({ code: z.string(), name: z.string(), holders: z.number().int() });
export const CertificationTypesResponse = z.object({ items: z.array(CertificationTypeItem) });
export type CertificationTypeItem = z.infer<typeof CertificationTypeItem>;

export const CertificationInput = z
  .object({
    code: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    issuedOn: IsoDate,
    expiresOn: IsoDate.nullish(),
  })
  .refine((c) => !c.expiresOn || c.expiresOn >= c.issuedOn, {
    path: ['expiresOn'],
    params: { reason: 'date_order' },
  });

export const AssignmentItem = z.object({
  id: Uuid,
  unitId: Uuid,
  unitName: z.string(),
  positionId: Uuid.nullable(),
  positionName: z.string().nullable(),
  kind: z.enum(ASSIGNMENT_KINDS),
  startDate: z.string(),
  endDate: z.string().nullable(),
  note: z.string().nullable(),
});

export const PersonDetail = PersonListItem.extend({
  titleName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  statusSince: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
  canRevealNationalId: z.boolean(),
  assignments: z.array(AssignmentItem),
  education: z.array(EducationInput.extend({ id: Uuid, major: z.string().nullable(), graduatedOn: z.string().nullable() })),
  certifications: z.array(
    z.object({
      id: Uuid,
      code: z.string(),
      name: z.string(),
      issuedOn: z.string(),
      expiresOn: z.string().nullable(),
      validToday: z.boolean(),
    }),
  ),
  statusHistory: z.array(z.object({ id: Uuid, status: z.string(), effectiveDate: z.string(), reason: z.string().nullable() })),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

/** Fields a staff member may propose for their own record; an HR officer approves them. */
export const SelfChangeRequest = z.object({
  phone: z.string().trim().max(32).nullish(),
  email: z.email().max(200).nullish(),
  languages: z.array(z.enum(LANGUAGES)).max(8).optional(),
  nameLatin: z.string().trim().max(100).nullish(),
  note: z.string().max(500).optional(),
});
