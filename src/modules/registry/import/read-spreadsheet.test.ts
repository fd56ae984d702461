import { describe, expect, it } from 'vitest';
import { packedView } from './read-spreadsheet.js';

describe('packed shared strings', () => {
  it('reads back every item by index, whatever its width, length or kind, and nothing past the end', () => {
    const rich = { richText: [{ text: '加粗' }, { text: ' bold' }] };
    const items: unknown[] = [];
    for (let i = 0; i < 30_000; i++) items.push(`G${String(i).padStart(7, '0')}`, `张伟${i}`, `user${i}@example.gov.cn`, '');
    items.push(rich, 'x'.repeat(70_000), 'Nguyễn Thị Hoa', '陈静');
    const view = packedView(items);
    expect(view.length).toBe(items.length);
    for (let i = 0; i < items.length; i++) expect(view[i]).toBe(items[i]);
    expect(view[items.length]).toBeUndefined();
    expect(view[-1]).toBeUndefined();
  });
});
