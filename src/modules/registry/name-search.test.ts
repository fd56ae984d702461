import { describe, expect, it } from 'vitest';
import { buildSearchText, foldDiacritics, searchTermFor } from './name-search.js';

/** Mirrors the SQL: a term matches at the start of a '|' part or of a word. */
const matches = (stored: string, query: string) => {
  const { term, exactHan } = searchTermFor(query);
  const hit = stored.includes('|' + term) || stored.includes(' ' + term);
  return exactHan ? hit && stored.includes(exactHan) : hit;
};

describe('name search', () => {
  it('folds Vietnamese diacritics including đ', () => {
    expect(foldDiacritics('Nguyễn Văn Đức')).toBe('nguyen van duc');
    expect(foldDiacritics('  Trần   Thị  Hồng ')).toBe('tran thi hong');
  });

  it('finds Chinese names by characters, full pinyin, given-name pinyin and initials', () => {
    const s = buildSearchText('张伟');
    for (const q of ['张伟', '张', 'zhangwei', 'zhang', 'wei', 'zw', 'ZW']) expect(matches(s, q)).toBe(true);
  });

  it('reads surnames the way they are read in names', () => {
    expect(matches(buildSearchText('曾伟'), 'zengwei')).toBe(true);
    expect(matches(buildSearchText('单雄'), 'shanxiong')).toBe(true);
    expect(matches(buildSearchText('解放'), 'xiefang')).toBe(true);
  });

  it('does not match initials in the middle of another name', () => {
    expect(matches(buildSearchText('傅治文'), 'zw')).toBe(false);
  });

  it('keeps homophones apart when the user typed characters', () => {
    expect(matches(buildSearchText('章薇'), '张伟')).toBe(false);
    expect(matches(buildSearchText('章薇'), 'zhangwei')).toBe(true);
  });

  it('finds Vietnamese names with or without diacritics, by any word', () => {
    const s = buildSearchText('Nguyễn Văn Đức');
    for (const q of ['Nguyễn Văn Đức', 'nguyen van duc', 'van duc', 'duc', 'Đức']) expect(matches(s, q)).toBe(true);
    expect(matches(s, 'uc')).toBe(false);
  });
});
