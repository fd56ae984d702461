// Controlled vocabularies, shared by server validation, import mapping and the console's selects.
// Labels live in the i18n catalogue under enums.<vocabulary>.<value>.
export const LOCALES = ['zh-CN', 'zh-TW', 'vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const GENDERS = ['male', 'female', 'unknown'] as const;
export const EDUCATION_LEVELS = ['secondary', 'college', 'bachelor', 'master', 'doctorate'] as const;
export const TITLE_LEVELS = ['none', 'junior', 'intermediate', 'associate_senior', 'senior'] as const;
export const ECHELONS = ['frontline', 'reserve', 'emergency'] as const;
export const PERSON_STATUSES = ['active', 'seconded', 'on_leave', 'suspended', 'retired', 'resigned'] as const;
export const SPECIALTIES = [
  'animal_quarantine',
  'plant_quarantine',
  'health_quarantine',
  'commodity_inspection',
  'radiation_safety',
  'food_safety',
  'legal_affairs',
  'customs_clearance',
  'anti_smuggling',
  'data_analysis',
  'logistics',
  'finance',
] as const;
export const UNIT_KINDS = ['administration', 'district', 'site', 'section', 'other'] as const;
export const POSITION_CATEGORIES = ['leadership', 'professional', 'support'] as const;
export const GRADES = [
  'clerk',
  'section_member',
  'deputy_section_head',
  'section_head',
  'deputy_division_head',
  'division_head',
  'bureau_head',
] as const;
export const LANGUAGES = ['zh', 'en', 'vi', 'ru', 'ja', 'ko', 'fr', 'th'] as const;
export const ASSIGNMENT_KINDS = ['regular', 'secondment'] as const;
export const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '60+', 'unknown'] as const;

export const ROLES = ['admin', 'hr_officer', 'unit_head', 'staff', 'auditor', 'counsellor', 'commander'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'person.read',
  'person.write',
  'person.national_id',
  'person.export',
  'person.import',
  'unit.read',
  'unit.write',
  'position.write',
  'audit.read',
  'change.approve',
  'dashboard.read',
  'job.read',
  /** Accounts and role grants inside the grant's subtree (system administrators only). */
  'account.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do, always within the org-unit subtree of its grant. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  hr_officer: [
    'person.read',
    'person.write',
    'person.national_id',
    'person.export',
    'person.import',
    'unit.read',
    'change.approve',
    'dashboard.read',
    'job.read',
  ],
  unit_head: ['person.read', 'person.export', 'unit.read', 'dashboard.read'],
  staff: [],
  auditor: ['person.read', 'person.national_id', 'person.export', 'unit.read', 'audit.read', 'dashboard.read', 'job.read'],
  counsellor: ['person.read', 'unit.read'],
  commander: ['person.read', 'unit.read', 'dashboard.read'],
};

/**
 * What the audit log records, in one list: the writers are typed against it (a new action cannot be
 * written without being added here), and the console's audit filters offer exactly these.
 */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'move',
  'status_change',
  'secondment_start',
  'secondment_end',
  'read_sensitive',
  'import',
  'approve',
  'reject',
  'login',
  'login_failed',
  'account_locked',
  'grants_replace',
  'password_reset',
  'password_change',
  'unlock',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  'person',
  'education',
  'certification',
  'change_request',
  'org_unit',
  'position',
  'app_user',
  'import_upload',
  'import_mapping',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
