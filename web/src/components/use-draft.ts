import { useEffect, useState } from 'react';

/**
 * The text of a field committed on Enter or blur rather than on every keystroke (each commit is a query);
 * it follows the committed value when that changes elsewhere (Back, a link).
 */
export function useDraft(value: string | undefined) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  return [draft, setDraft] as const;
}
