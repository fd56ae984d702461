import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;

/** Lower-case and without diacritics: 'Nguyễn Văn Đức' → 'nguyen van duc'. đ has no decomposition, so it is mapped by hand. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

// Names start with a surname, and several surnames read differently from the same character
// elsewhere (曾 zeng not ceng, 单 shan, 解 xie, 仇 qiu, 查 zha): pinyin-pro's surname mode knows them.
const NAME_PINYIN = { toneType: 'none', type: 'array', nonZh: 'removed', surname: 'head' } as const;

/** Full pinyin without tones or spaces ('张伟' → 'zhangwei', '曾伟' → 'zengwei'). */
export function pinyinFull(text: string): string {
  return pinyin(text, NAME_PINYIN).join('').toLowerCase();
}

/** Pinyin initials ('张伟' → 'zw'), the way Chinese users type a name quickly. */
export function pinyinInitials(text: string): string {
  return pinyin(text, { ...NAME_PINYIN, pattern: 'first' })
    .join('')
    .toLowerCase();
}

/** Pinyin syllables separated by spaces ('张伟' → 'zhang wei'), so a given name alone matches at a word start. */
export function pinyinSpaced(text: string): string {
  return pinyin(text, NAME_PINYIN).join(' ').toLowerCase();
}

/**
 * The stored search column: folded name, and for Han names also pinyin (joined and spaced) and
 * initials, separated by '|'. Terms match at the start of a part or of a word ('zw' finds 张伟 but
 * not 傅治文, whose initials 'fzw' merely contain it). Trigram-indexed in PostgreSQL.
 */
export function buildSearchText(fullName: string, nameLatin?: string | null): string {
  const parts = [foldDiacritics(fullName)];
  if (hasHan(fullName)) parts.push(pinyinFull(fullName), pinyinSpaced(fullName), pinyinInitials(fullName));
  if (nameLatin) parts.push(foldDiacritics(nameLatin).replace(/ /g, ''), foldDiacritics(nameLatin));
  return `|${[...new Set(parts)].join('|')}|`;
}

/**
 * Turns what the user typed into a term for `search_text LIKE '%term%'`. Han input is matched through
 * its pinyin (indexable) and then checked against the name itself, so homophones do not slip through.
 */
export function searchTermFor(query: string): { term: string; exactHan: string | null } {
  const folded = foldDiacritics(query);
  if (hasHan(query)) return { term: pinyinFull(query), exactHan: query.replace(/\s+/g, '') };
  return { term: folded, exactHan: null };
}
