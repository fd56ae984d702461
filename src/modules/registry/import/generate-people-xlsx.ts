import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { makeChineseNationalId } from '../national-id.js';

/** Headers the way a Chinese personnel office writes them; the import maps them automatically. */
export const GENERATED_HEADERS = [
  '工号',
  '姓名',
  '性别',
  '出生日期',
  '身份证号',
  '单位代码',
  '学历',
  '专业特长',
  '职称',
  '外语',
  '梯队',
  '职级',
  '状态',
  '电话',
  '邮箱',
  '任现岗时间',
] as const;

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏宇浩凯俊峰晨阳欣怡雪琳'];
const EDUCATION = ['本科', '硕士研究生', '大专', 'bachelor', '博士研究生'];
const SPECIALTIES = ['动物检疫', '植物检疫', '卫生检疫', '商品检验', '食品安全', '通关监管', '缉私', '数据分析'];
const TITLES = ['无', '初级', '中级', '副高级', '正高级'];
const LANGS = ['英语', '越南语', '俄语', '日语'];
const ECHELONS = ['一线', '预备', '应急'];
const GRADES = ['科员', '副科长', '科长', '副处长'];

/** Small deterministic generator (mulberry32): the same n gives the same file, so runs compare. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedPerson = (string | Date | null)[];

/** One valid row per index; person numbers and national IDs are unique across the file. */
export function generatePersonRow(i: number, unitCodes: readonly string[], rand: () => number): GeneratedPerson {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const year = 1965 + Math.floor(rand() * 35);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // Region and sequence together are unique per index, so no two rows share a national ID.
  const nationalId = makeChineseNationalId(String(110000 + Math.floor(i / 1000)), birth, i % 1000);
  const postYear = Math.max(year + 22, 2000) + Math.floor(rand() * 10);
  const specialties = [pick(SPECIALTIES), pick(SPECIALTIES)].filter((s, k, a) => a.indexOf(s) === k).join('；');
  return [
    `G${String(i + 1).padStart(7, '0')}`,
    pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : ''),
    rand() < 0.5 ? '男' : '女',
    new Date(Date.UTC(year, month - 1, day)),
    nationalId,
    pick(unitCodes),
    pick(EDUCATION),
    specialties,
    pick(TITLES),
    pick(LANGS),
    pick(ECHELONS),
    pick(GRADES),
    '在职',
    `1${String(3_000_000_000 + i).slice(0, 10)}`,
    `user${i + 1}@example.gov.cn`,
    `${Math.min(postYear, 2024)}/${String(month).padStart(2, '0')}/01`,
  ];
}

/**
 * Writes an n-row people spreadsheet with exceljs' streaming writer (constant memory), for the
 * import benchmark and tests. Birth dates are real date cells; 'in post since' is text in YYYY/MM/DD.
 */
export async function writePeopleXlsx(path: string, n: number, unitCodes: readonly string[], seed = 42): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(path), useStyles: true, useSharedStrings: true });
  const ws = wb.addWorksheet('人员');
  ws.addRow([...GENERATED_HEADERS]).commit();
  const rand = prng(seed);
  for (let i = 0; i < n; i++) {
    const row = ws.addRow(generatePersonRow(i, unitCodes, rand));
    row.getCell(4).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}
