import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export type Vocabulary =
  'gender' | 'educationLevel' | 'titleLevel' | 'echelon' | 'status' | 'specialty' | 'unitKind' | 'positionCategory' | 'grade' | 'language';

/** Label of a coded value; unknown codes show as-is rather than as a raw catalogue key. */
export function useEnumLabel() {
  const { t } = useTranslation();
  return (vocab: Vocabulary, value: string | null | undefined) =>
    value === null || value === undefined || value === '' ? '—' : t(`enums.${vocab}.${value}`, { defaultValue: value });
}

const STATUS_COLORS: Record<string, string> = {
  active: 'green',
  seconded: 'blue',
  on_leave: 'gold',
  suspended: 'red',
  retired: 'default',
  resigned: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const label = useEnumLabel();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="status-tag">
      {label('status', status)}
    </Tag>
  );
}

export function EnumTags({ vocab, values }: { vocab: Vocabulary; values: readonly string[] }) {
  const label = useEnumLabel();
  if (!values.length) return <>—</>;
  return (
    <>
      {values.map((v) => (
        <Tag key={v} style={{ marginInlineEnd: 4 }}>
          {label(vocab, v)}
        </Tag>
      ))}
    </>
  );
}
