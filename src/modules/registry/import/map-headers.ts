import en from '../../../i18n/locales/en.json' with { type: 'json' };
import vi from '../../../i18n/locales/vi.json' with { type: 'json' };
import zhCN from '../../../i18n/locales/zh-CN.json' with { type: 'json' };
import zhTW from '../../../i18n/locales/zh-TW.json' with { type: 'json' };
import { IMPORT_FIELDS, type ImportFieldKey, type ImportMapping } from '../../../contracts/import.js';

export const CATALOGUES = [zhCN, zhTW, vi, en] as unknown as CatalogueLike[];
type CatalogueLike = { fields?: Record<string, string>; enums?: Record<string, Record<string, string>> };

/**
 * Folds what varies between offices but not in meaning: full-width characters (NFKC), case,
 * Vietnamese diacritics (đ by hand: it has no decomposition), spaces and punctuation.
 */
export function foldLabel(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Headers seen in real registers, beyond the catalogue labels. */
const HEADER_SYNONYMS: Record<ImportFieldKey, string[]> = {
  personNo: [
    '工号',
    '人员编号',
    '员工编号',
    '職員編號',
    '人員編號',
    '编号',
    'Mã cán bộ',
    'Mã CB',
    'Mã nhân viên',
    'Số hiệu công chức',
    'Staff No',
    'Staff ID',
    'Employee No',
    'Employee ID',
    'Person No',
  ],
  fullName: ['姓名', '名字', 'Họ và tên', 'Họ tên', 'Name', 'Full name'],
  unitCode: ['所在单位代码', '单位代码', '單位代碼', '部门代码', 'Mã đơn vị', 'Mã ĐV', 'Unit code'],
  homeUnitCode: ['原单位代码', '原單位代碼', 'Mã đơn vị gốc', 'Home unit code'],
  positionCode: ['岗位代码', '岗位编码', '職位代碼', 'Mã vị trí', 'Mã vị trí việc làm', 'Mã VTVL', 'Position code'],
  nameLatin: ['拼音', '拼音姓名', '姓名拼音', 'Tên không dấu', 'Latin name', 'Romanised name', 'Romanized name'],
  gender: ['性别', '性別', 'Giới tính', 'Gender', 'Sex'],
  birthDate: ['出生日期', '出生年月日', '生日', 'Ngày sinh', 'Ngày tháng năm sinh', 'DOB', 'Date of birth', 'Birth date', 'Birthday'],
  nationalId: [
    '身份证号',
    '身份证号码',
    '身分證號',
    '身分證字號',
    '公民身份号码',
    'Số CCCD',
    'CCCD',
    'Số định danh',
    'Số định danh cá nhân',
    'CMND',
    'National ID',
    'ID number',
    'ID No',
  ],
  postSince: [
    '任现岗时间',
    '任现职时间',
    '任現職時間',
    '现岗位起始时间',
    'Giữ vị trí từ',
    'Ngày giữ vị trí',
    'In post since',
    'Post since',
  ],
  educationLevel: ['学历', '學歷', '最高学历', 'Trình độ', 'Trình độ học vấn', 'Education', 'Education level'],
  specialties: ['专业特长', '专长', '專長', 'Chuyên môn', 'Chuyên ngành', 'Specialties', 'Specialty', 'Specialities'],
  titleLevel: [
    '职称',
    '職稱',
    '专业技术职称',
    '职称等级',
    'Chức danh',
    'Chức danh nghề nghiệp',
    'Professional title',
    'Title level',
    'Title',
  ],
  titleName: ['职称名称', '職稱名稱', 'Tên chức danh', 'Title name'],
  languages: ['外语', '外語', '外语语种', 'Ngoại ngữ', 'Languages', 'Language', 'Foreign languages'],
  echelon: ['梯队', '梯隊', 'Tuyến', 'Echelon'],
  grade: ['职级', '職級', '级别', 'Ngạch', 'Ngạch/bậc', 'Ngạch bậc', 'Rank', 'Grade'],
  status: ['状态', '狀態', '人员状态', 'Trạng thái', 'Status'],
  phone: ['电话', '電話', '联系电话', '手机', '手机号', 'Điện thoại', 'Số điện thoại', 'SĐT', 'Phone', 'Mobile', 'Telephone'],
  email: ['邮箱', '电子邮箱', '電子郵件', 'Email', 'E-mail', 'Thư điện tử'],
};

/** Folded header → field, built once from the four catalogues' field labels and the synonyms. */
const HEADER_INDEX: Map<string, ImportFieldKey> = (() => {
  const index = new Map<string, ImportFieldKey>();
  const add = (label: string | undefined, key: ImportFieldKey) => {
    const folded = label ? foldLabel(label) : '';
    // First writer wins: synonyms are listed before catalogue labels and are the more specific.
    if (folded && !index.has(folded)) index.set(folded, key);
  };
  for (const f of IMPORT_FIELDS) for (const s of HEADER_SYNONYMS[f.key]) add(s, f.key);
  for (const f of IMPORT_FIELDS) {
    add(f.key, f.key);
    for (const c of CATALOGUES) add(c.fields?.[f.key], f.key);
  }
  return index;
})();

export function fieldForHeader(header: string): ImportFieldKey | null {
  return HEADER_INDEX.get(foldLabel(header)) ?? null;
}

/** Maps each header that names a field unambiguously; a field is taken by the first column that names it. */
export function suggestMapping(headers: string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<ImportFieldKey>();
  for (const h of headers) {
    const key = fieldForHeader(h);
    if (key && !taken.has(key)) {
      mapping[h] = key;
      taken.add(key);
    }
  }
  return mapping;
}
