// Reference tables for the demo agency: a customs administration shaped like Xiamen Customs.
// Names are realistic but the figures are invented; nothing here describes real staff.
import type { GRADES, POSITION_CATEGORIES, SPECIALTIES } from '../../../contracts/vocab.js';

export type Specialty = (typeof SPECIALTIES)[number];
export type Grade = (typeof GRADES)[number];
export type PositionCategory = (typeof POSITION_CATEGORIES)[number];

/** What a section does decides its size, the specialties of its people and the posts they hold. */
export type SectionType =
  | 'passenger'
  | 'baggage'
  | 'health'
  | 'inspection'
  | 'quarantine'
  | 'logistics'
  | 'clearance'
  | 'bonded'
  | 'enterprise'
  | 'postal'
  | 'food'
  | 'general';

export type SectionTemplate = { code: string; name: string; type: SectionType };
export type SiteTemplate = { code: string; name: string; sections: readonly SectionTemplate[] };
export type DistrictTemplate = { code: string; name: string; sites: readonly SiteTemplate[] };

const s = (code: string, name: string, type: SectionType): SectionTemplate => ({ code, name, type });

const PASSENGER_SECTIONS = [
  s('01', '旅检一科', 'passenger'),
  s('02', '旅检二科', 'passenger'),
  s('03', '卫生检疫科', 'health'),
  s('04', '行李物品监管科', 'baggage'),
  s('05', '综合业务科', 'general'),
] as const;
const PORT_SECTIONS = [
  s('01', '查验一科', 'inspection'),
  s('02', '查验二科', 'inspection'),
  s('03', '物流监控科', 'logistics'),
  s('04', '动植物检疫科', 'quarantine'),
  s('05', '通关业务科', 'clearance'),
  s('06', '综合业务科', 'general'),
] as const;
const CARGO_SECTIONS = [
  s('01', '查验科', 'inspection'),
  s('02', '动植物检疫科', 'quarantine'),
  s('03', '物流监控科', 'logistics'),
  s('04', '综合业务科', 'general'),
] as const;
const BONDED_SECTIONS = [
  s('01', '保税监管科', 'bonded'),
  s('02', '企业管理科', 'enterprise'),
  s('03', '查验科', 'inspection'),
  s('04', '综合业务科', 'general'),
] as const;
const POSTAL_SECTIONS = [
  s('01', '邮检一科', 'postal'),
  s('02', '邮检二科', 'postal'),
  s('03', '快件监管科', 'postal'),
  s('04', '综合业务科', 'general'),
] as const;
const INLAND_SECTIONS = [
  s('01', '查验科', 'inspection'),
  s('02', '检验检疫科', 'quarantine'),
  s('03', '食品安全科', 'food'),
  s('04', '综合业务科', 'general'),
] as const;

/** Administration → district customs → port or site → section: four levels, as in the sources. */
export const ADMINISTRATION = { code: 'XM', name: '厦门海关', nameEn: 'Xiamen Customs' } as const;

export const DISTRICTS: readonly DistrictTemplate[] = [
  {
    code: 'DD',
    name: '东渡海关',
    sites: [
      { code: '01', name: '东渡码头监管现场', sections: PORT_SECTIONS },
      { code: '02', name: '厦门国际邮轮中心旅检现场', sections: PASSENGER_SECTIONS },
      { code: '03', name: '五通客运码头旅检现场', sections: PASSENGER_SECTIONS },
      { code: '04', name: '海天码头监管现场', sections: CARGO_SECTIONS },
    ],
  },
  {
    code: 'GQ',
    name: '高崎机场海关',
    sites: [
      { code: '01', name: 'T3航站楼旅检现场', sections: PASSENGER_SECTIONS },
      { code: '02', name: 'T4航站楼旅检现场', sections: PASSENGER_SECTIONS },
      { code: '03', name: '航空货运监管现场', sections: CARGO_SECTIONS },
    ],
  },
  {
    code: 'HC',
    name: '海沧海关',
    sites: [
      { code: '01', name: '海沧港区监管现场', sections: PORT_SECTIONS },
      { code: '02', name: '海沧保税港区监管现场', sections: BONDED_SECTIONS },
      { code: '03', name: '嵩屿码头监管现场', sections: CARGO_SECTIONS },
    ],
  },
  {
    code: 'XY',
    name: '象屿海关',
    sites: [
      { code: '01', name: '象屿保税区监管现场', sections: BONDED_SECTIONS },
      { code: '02', name: '自贸片区综合服务现场', sections: BONDED_SECTIONS },
    ],
  },
  {
    code: 'YJ',
    name: '厦门邮局海关',
    sites: [
      { code: '01', name: '国际邮件监管现场', sections: POSTAL_SECTIONS },
      { code: '02', name: '跨境电商监管中心', sections: POSTAL_SECTIONS },
    ],
  },
  {
    code: 'QZ',
    name: '泉州海关',
    sites: [
      { code: '01', name: '石湖港监管现场', sections: PORT_SECTIONS },
      { code: '02', name: '晋江机场旅检现场', sections: PASSENGER_SECTIONS },
      { code: '03', name: '围头港监管现场', sections: CARGO_SECTIONS },
    ],
  },
  {
    code: 'ZZ',
    name: '漳州海关',
    sites: [
      { code: '01', name: '招银港监管现场', sections: PORT_SECTIONS },
      { code: '02', name: '古雷港监管现场', sections: CARGO_SECTIONS },
    ],
  },
  {
    code: 'LY',
    name: '龙岩海关',
    sites: [
      { code: '01', name: '龙岩陆地港监管现场', sections: INLAND_SECTIONS },
      { code: '02', name: '龙岩综合业务现场', sections: INLAND_SECTIONS },
    ],
  },
  {
    code: 'SM',
    name: '三明海关',
    sites: [{ code: '01', name: '三明综合监管现场', sections: INLAND_SECTIONS }],
  },
];

/** Relative headcount of a section: passenger halls and cargo inspection need the most hands. */
export const SECTION_WEIGHT: Record<SectionType, number> = {
  passenger: 1.6,
  baggage: 1.1,
  health: 1.2,
  inspection: 1.4,
  quarantine: 1.0,
  logistics: 0.8,
  clearance: 0.9,
  bonded: 0.9,
  enterprise: 0.7,
  postal: 1.1,
  food: 0.8,
  general: 0.6,
};

export const SECTION_SPECIALTIES: Record<SectionType, readonly Specialty[]> = {
  passenger: ['health_quarantine', 'customs_clearance', 'anti_smuggling'],
  baggage: ['customs_clearance', 'anti_smuggling', 'plant_quarantine'],
  health: ['health_quarantine', 'radiation_safety'],
  inspection: ['commodity_inspection', 'customs_clearance', 'radiation_safety'],
  quarantine: ['animal_quarantine', 'plant_quarantine'],
  logistics: ['logistics', 'data_analysis'],
  clearance: ['customs_clearance', 'legal_affairs'],
  bonded: ['customs_clearance', 'logistics', 'finance'],
  enterprise: ['legal_affairs', 'finance', 'customs_clearance'],
  postal: ['customs_clearance', 'anti_smuggling', 'plant_quarantine'],
  food: ['food_safety', 'commodity_inspection'],
  general: ['finance', 'legal_affairs', 'data_analysis'],
};

/** How common each specialty is across the agency when a person's unit does not decide it. */
export const SPECIALTY_WEIGHTS: readonly (readonly [Specialty, number])[] = [
  ['customs_clearance', 20],
  ['commodity_inspection', 12],
  ['health_quarantine', 10],
  ['anti_smuggling', 9],
  ['plant_quarantine', 8],
  ['animal_quarantine', 7],
  ['logistics', 7],
  ['data_analysis', 7],
  ['food_safety', 6],
  ['legal_affairs', 6],
  ['finance', 5],
  ['radiation_safety', 3],
];

export type PositionTemplate = {
  code: string;
  name: string;
  category: PositionCategory;
  grade: Grade;
  description: string;
};

const p = (code: string, name: string, category: PositionCategory, grade: Grade, description: string): PositionTemplate => ({
  code,
  name,
  category,
  grade,
  description,
});

/** The position catalogue; leadership posts are keyed so the generator can staff each level's heads. */
export const LEADERSHIP_POSITIONS = {
  adminHead: p('LD01', '关长', 'leadership', 'bureau_head', '主持海关全面工作'),
  adminDeputy: p('LD02', '副关长', 'leadership', 'bureau_head', '协助关长分管业务条线'),
  districtHead: p('LD03', '隶属海关关长', 'leadership', 'division_head', '主持隶属海关全面工作'),
  districtDeputy: p('LD04', '隶属海关副关长', 'leadership', 'deputy_division_head', '分管现场监管与检疫'),
  siteHead: p('LD05', '现场主任', 'leadership', 'deputy_division_head', '负责口岸现场监管与应急指挥'),
  siteDeputy: p('LD06', '现场副主任', 'leadership', 'section_head', '协助现场主任开展工作'),
  sectionHead: p('LD07', '科长', 'leadership', 'section_head', '负责本科室业务与队伍管理'),
  sectionDeputy: p('LD08', '副科长', 'leadership', 'deputy_section_head', '协助科长开展业务'),
} as const satisfies Record<string, PositionTemplate>;

export type LeadershipKey = keyof typeof LEADERSHIP_POSITIONS;

export const PROFESSIONAL_POSITIONS = {
  passengerOfficer: p('PR01', '旅检查验员', 'professional', 'section_member', '旅客及行李物品通关查验'),
  cargoOfficer: p('PR02', '货物查验员', 'professional', 'section_member', '进出口货物实货查验'),
  healthOfficer: p('PR03', '卫生检疫员', 'professional', 'section_member', '出入境人员卫生检疫与流调'),
  animalOfficer: p('PR04', '动物检疫员', 'professional', 'section_member', '进出境动物及其产品检疫'),
  plantOfficer: p('PR05', '植物检疫员', 'professional', 'section_member', '进出境植物及其产品检疫'),
  commodityOfficer: p('PR06', '商品检验员', 'professional', 'section_member', '进出口商品法定检验'),
  radiationOfficer: p('PR07', '辐射监测员', 'professional', 'section_member', '口岸放射性物质监测'),
  foodOfficer: p('PR08', '食品安全监管员', 'professional', 'section_member', '进出口食品安全监管'),
  declarationOfficer: p('PR09', '通关审单员', 'professional', 'section_member', '报关单审核与通关作业'),
  logisticsOfficer: p('PR10', '物流监控员', 'professional', 'section_member', '舱单与运输工具物流监控'),
  riskAnalyst: p('PR11', '风险分析员', 'professional', 'section_member', '布控指令与风险研判'),
  dataAnalyst: p('PR12', '数据分析员', 'professional', 'section_member', '业务数据统计与分析'),
  antiSmuggling: p('PR13', '缉私侦查员', 'professional', 'section_member', '走私违法案件查缉'),
  auditOfficer: p('PR14', '稽查员', 'professional', 'section_member', '企业稽查与核查'),
  bondedOfficer: p('PR15', '保税监管员', 'professional', 'section_member', '保税货物与区域监管'),
  enterpriseOfficer: p('PR16', '企业管理员', 'professional', 'section_member', '企业信用与资质管理'),
  tariffOfficer: p('PR17', '关税征管员', 'professional', 'section_member', '税款征收与减免税审核'),
  originOfficer: p('PR18', '原产地签证员', 'professional', 'section_member', '原产地证书签发与核查'),
  postalOfficer: p('PR19', '邮检查验员', 'professional', 'section_member', '邮件快件查验'),
  labOfficer: p('PR20', '实验室检测员', 'professional', 'section_member', '样品检测与鉴定'),
  legalOfficer: p('PR21', '法制审核员', 'professional', 'section_member', '行政执法法制审核'),
  liaisonOfficer: p('PR22', '对外联络员', 'professional', 'section_member', '跨境口岸联络与翻译'),
  chiefExpert: p('PR23', '首席专家', 'professional', 'section_head', '专业领域技术把关与应急专家组'),
} as const satisfies Record<string, PositionTemplate>;

export const SUPPORT_POSITIONS = {
  secretary: p('SP01', '综合文秘', 'support', 'clerk', '公文、会务与信息'),
  hrClerk: p('SP02', '人事专员', 'support', 'clerk', '人事档案与考核'),
  financeClerk: p('SP03', '财务专员', 'support', 'clerk', '经费与资产管理'),
  logisticsClerk: p('SP04', '后勤保障员', 'support', 'clerk', '后勤与装备保障'),
  itClerk: p('SP05', '信息技术员', 'support', 'clerk', '信息系统运维'),
  archiveClerk: p('SP06', '档案管理员', 'support', 'clerk', '业务档案管理'),
} as const satisfies Record<string, PositionTemplate>;

export type ProfessionalKey = keyof typeof PROFESSIONAL_POSITIONS;
export type SupportKey = keyof typeof SUPPORT_POSITIONS;

export const SECTION_POSTS: Record<SectionType, readonly ProfessionalKey[]> = {
  passenger: ['passengerOfficer', 'passengerOfficer', 'healthOfficer', 'antiSmuggling', 'riskAnalyst'],
  baggage: ['passengerOfficer', 'antiSmuggling', 'plantOfficer'],
  health: ['healthOfficer', 'healthOfficer', 'radiationOfficer', 'labOfficer'],
  inspection: ['cargoOfficer', 'cargoOfficer', 'commodityOfficer', 'radiationOfficer', 'riskAnalyst'],
  quarantine: ['animalOfficer', 'plantOfficer', 'labOfficer'],
  logistics: ['logisticsOfficer', 'dataAnalyst', 'riskAnalyst'],
  clearance: ['declarationOfficer', 'tariffOfficer', 'originOfficer', 'legalOfficer'],
  bonded: ['bondedOfficer', 'auditOfficer', 'tariffOfficer'],
  enterprise: ['enterpriseOfficer', 'auditOfficer', 'legalOfficer'],
  postal: ['postalOfficer', 'postalOfficer', 'antiSmuggling', 'plantOfficer'],
  food: ['foodOfficer', 'commodityOfficer', 'labOfficer'],
  general: ['dataAnalyst', 'legalOfficer', 'declarationOfficer'],
};

export const SUPPORT_KEYS = Object.keys(SUPPORT_POSITIONS) as SupportKey[];

/** Certificates by specialty; validity in years, null for credentials that do not lapse. */
export const CERTIFICATES: Record<Specialty, { name: string; validityYears: number | null }> = {
  animal_quarantine: { name: '动物检疫员资格证书', validityYears: 3 },
  plant_quarantine: { name: '植物检疫员资格证书', validityYears: 3 },
  health_quarantine: { name: '卫生检疫专业资格证书', validityYears: 3 },
  commodity_inspection: { name: '检验检疫执法资格证书', validityYears: 5 },
  radiation_safety: { name: '辐射安全与防护培训合格证', validityYears: 5 },
  food_safety: { name: '食品安全监管员培训证书', validityYears: 3 },
  legal_affairs: { name: '法律职业资格证书', validityYears: null },
  customs_clearance: { name: '海关执法资格证书', validityYears: 5 },
  anti_smuggling: { name: '缉私执法资格证书', validityYears: 5 },
  data_analysis: { name: '数据分析师证书', validityYears: 3 },
  logistics: { name: '物流师职业资格证书', validityYears: null },
  finance: { name: '会计专业技术资格证书', validityYears: null },
};

/** Professional title names per level, by the family of the specialty (engineers, vets, doctors…). */
export const TITLE_NAMES: Record<'engineer' | 'vet' | 'agronomist' | 'doctor' | 'economist' | 'accountant', readonly string[]> = {
  engineer: ['助理工程师', '工程师', '高级工程师', '正高级工程师'],
  vet: ['助理兽医师', '兽医师', '高级兽医师', '正高级兽医师'],
  agronomist: ['助理农艺师', '农艺师', '高级农艺师', '正高级农艺师'],
  doctor: ['医师', '主治医师', '副主任医师', '主任医师'],
  economist: ['助理经济师', '经济师', '高级经济师', '正高级经济师'],
  accountant: ['助理会计师', '会计师', '高级会计师', '正高级会计师'],
};

export const TITLE_FAMILY: Record<Specialty, keyof typeof TITLE_NAMES> = {
  animal_quarantine: 'vet',
  plant_quarantine: 'agronomist',
  health_quarantine: 'doctor',
  commodity_inspection: 'engineer',
  radiation_safety: 'engineer',
  food_safety: 'engineer',
  legal_affairs: 'economist',
  customs_clearance: 'economist',
  anti_smuggling: 'economist',
  data_analysis: 'engineer',
  logistics: 'economist',
  finance: 'accountant',
};

export const MAJORS: Record<Specialty, readonly string[]> = {
  animal_quarantine: ['动物医学', '动物科学', '预防兽医学'],
  plant_quarantine: ['植物保护', '农学', '植物检疫'],
  health_quarantine: ['预防医学', '临床医学', '公共卫生'],
  commodity_inspection: ['化学工程与工艺', '材料科学与工程', '机械工程'],
  radiation_safety: ['核工程与核技术', '辐射防护与核安全', '物理学'],
  food_safety: ['食品科学与工程', '食品质量与安全', '生物工程'],
  legal_affairs: ['法学', '行政管理', '知识产权'],
  customs_clearance: ['海关管理', '国际经济与贸易', '税收学'],
  anti_smuggling: ['侦查学', '治安学', '海关管理'],
  data_analysis: ['计算机科学与技术', '统计学', '数据科学与大数据技术'],
  logistics: ['物流管理', '交通运输', '供应链管理'],
  finance: ['会计学', '财务管理', '审计学'],
};

export const UNIVERSITIES: readonly (readonly [string, number])[] = [
  ['厦门大学', 14],
  ['集美大学', 10],
  ['华侨大学', 8],
  ['福州大学', 8],
  ['福建农林大学', 7],
  ['福建师范大学', 6],
  ['福建医科大学', 4],
  ['上海海关学院', 9],
  ['中国海洋大学', 3],
  ['南京农业大学', 3],
  ['华南农业大学', 3],
  ['中山大学', 3],
  ['武汉大学', 3],
  ['对外经济贸易大学', 3],
  ['中国政法大学', 2],
  ['西南政法大学', 2],
  ['同济大学', 2],
  ['浙江大学', 2],
  ['中国人民公安大学', 2],
  ['江南大学', 2],
];

export const COLLEGES: readonly string[] = [
  '厦门海洋职业技术学院',
  '福建船政交通职业学院',
  '泉州经贸职业技术学院',
  '漳州职业技术学院',
  '厦门城市职业学院',
];

export const SECONDARY_SCHOOLS: readonly string[] = ['厦门第一中学', '泉州第五中学', '漳州第一中学', '龙岩第一中学', '厦门双十中学'];

/** Surnames by frequency in southern Fujian (陈, 林, 黄 lead), so searches meet realistic homonyms. */
export const COMMON_SURNAMES: readonly (readonly [string, number])[] = [
  ['陈', 110],
  ['林', 95],
  ['黄', 70],
  ['张', 45],
  ['李', 42],
  ['王', 40],
  ['吴', 36],
  ['刘', 30],
  ['蔡', 26],
  ['杨', 25],
  ['郑', 28],
  ['许', 20],
  ['洪', 15],
  ['谢', 15],
  ['郭', 14],
  ['曾', 13],
  ['庄', 12],
  ['苏', 12],
  ['周', 12],
  ['叶', 12],
  ['邱', 10],
  ['卢', 9],
  ['施', 9],
  ['方', 9],
  ['江', 8],
  ['赖', 8],
  ['罗', 8],
  ['何', 8],
  ['徐', 8],
  ['朱', 8],
  ['胡', 7],
  ['高', 7],
  ['柯', 7],
  ['颜', 6],
  ['蒋', 5],
  ['杜', 5],
  ['詹', 5],
  ['孙', 6],
  ['马', 5],
  ['游', 5],
  ['欧阳', 2],
  ['司马', 1],
];

/** Characters for composing given names; split by the sense they usually carry. */
export const GIVEN_MALE_CHARS: readonly string[] = [
  ...'伟强军勇杰涛斌超明辉华建国志峰磊鹏浩俊文海平东晨龙毅宏兵力宇昊翔凯锋松波刚林彬振坤',
];
export const GIVEN_FEMALE_CHARS: readonly string[] = [...'芳娜敏静丽艳娟霞燕玲婷雪琳颖慧倩洁佳晶莉萍红梅兰英秀丹蓉璐萱怡欣悦瑶雯琪'];
export const GIVEN_NEUTRAL_CHARS: readonly string[] = [...'晓思雅子嘉家文明小春秋清一新安宁永立德志少亚天鸿'];

/** Resident-ID region codes: mostly Fujian, some from provinces that send graduates to Xiamen. */
export const CN_REGIONS: readonly (readonly [string, number])[] = [
  ['350203', 12],
  ['350206', 10],
  ['350211', 8],
  ['350205', 6],
  ['350212', 6],
  ['350213', 4],
  ['350502', 8],
  ['350582', 6],
  ['350583', 4],
  ['350602', 6],
  ['350681', 3],
  ['350802', 4],
  ['350402', 3],
  ['350102', 5],
  ['350302', 4],
  ['360102', 2],
  ['440103', 2],
  ['430102', 1],
  ['420102', 1],
  ['330102', 1],
  ['320102', 1],
  ['370102', 1],
  ['510104', 1],
  ['110101', 1],
];

/** Vietnamese citizen-ID province codes (first three digits), border and port provinces first. */
export const VN_PROVINCES: readonly string[] = ['022', '020', '031', '001', '079', '048', '015', '038'];
