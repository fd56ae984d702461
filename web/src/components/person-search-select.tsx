import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState, type CSSProperties, type ReactNode } from 'react';
import type { PersonSearchResponse } from '../../../src/contracts/person.js';
import { api } from '../api/api-client.js';

export type PersonSearchSelectProps = {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  /** How many matches to offer. */
  limit?: number;
  /** Also show each match's unit, to tell namesakes apart. */
  showUnit?: boolean;
  /** Label of the current value while it is not among the matches (a saved link, before any search). */
  selectedLabel?: string | null;
  /** Defaults to the empty-list text once something has been searched for. */
  notFoundContent?: ReactNode;
  id?: string;
  placeholder?: string;
  style?: CSSProperties;
  'aria-label'?: string;
  'data-testid'?: string;
};

/** Picks a person by name or number through the people search (forms and filters need an id; users know names). */
export function PersonSearchSelect({ value, onChange, limit = 20, showUnit = false, selectedLabel, ...rest }: PersonSearchSelectProps) {
  const [q, setQ] = useState('');
  const res = useQuery({
    queryKey: ['people-pick', q, limit],
    queryFn: () => api.get<PersonSearchResponse>('/people', { q, limit }),
    enabled: q.trim().length > 0,
  });
  const options = (res.data?.items ?? []).map((p) => ({
    value: p.id,
    label: showUnit ? `${p.fullName} · ${p.personNo} · ${p.unitName}` : `${p.fullName} · ${p.personNo}`,
  }));
  if (value && selectedLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: selectedLabel });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      loading={res.isFetching}
      options={options}
      notFoundContent={q ? undefined : null}
      {...rest}
    />
  );
}
