import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildUnitTree, useUnits, type UnitNode } from '../api/queries.js';

type TreeData = { value: string; title: string; disabled?: boolean; children: TreeData[] };

function toTreeData(nodes: UnitNode[], disableOutOfScope: boolean, excludeId?: string): TreeData[] {
  return nodes
    .filter((n) => n.id !== excludeId)
    .map((n) => ({
      value: n.id,
      title: n.name,
      // Ancestors shown only as the trunk of the tree cannot be chosen: their people are out of scope.
      ...(disableOutOfScope && !n.inScope ? { disabled: true } : {}),
      children: toTreeData(n.children, disableOutOfScope, excludeId),
    }));
}

export type UnitTreeSelectProps = {
  value?: string | null | undefined;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Leave out a unit and its subtree (moving a unit under itself is not allowed). */
  excludeId?: string;
  disableOutOfScope?: boolean;
  id?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
  'aria-label'?: string;
};

export function UnitTreeSelect({
  value,
  onChange,
  placeholder,
  allowClear = true,
  excludeId,
  disableOutOfScope = true,
  id,
  style,
  ...rest
}: UnitTreeSelectProps) {
  const { t } = useTranslation();
  const units = useUnits();
  const treeData = useMemo(
    () => toTreeData(buildUnitTree(units.data ?? []), disableOutOfScope, excludeId),
    [units.data, disableOutOfScope, excludeId],
  );
  const defaultExpanded = useMemo(() => (units.data ?? []).filter((u) => u.depth < 1).map((u) => u.id), [units.data]);
  return (
    <TreeSelect
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={units.isLoading}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={placeholder ?? t('common.allUnits')}
      treeDefaultExpandedKeys={defaultExpanded}
      popupMatchSelectWidth={false}
      style={{ minWidth: 220, ...style }}
      data-testid={rest['data-testid']}
      aria-label={rest['aria-label']}
    />
  );
}
