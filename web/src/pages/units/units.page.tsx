import { ApartmentOutlined, DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { PositionCreateRequest, UnitCreateRequest } from '../../../../src/contracts/unit.js';
import { GRADES, POSITION_CATEGORIES, UNIT_KINDS } from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { useAuth } from '../../api/auth.js';
import { buildUnitTree, usePositions, useUnits, type Position, type Unit, type UnitNode } from '../../api/queries.js';
import { useApiError } from '../../api/use-api-error.js';
import { PageHeader } from '../../components/app-layout.js';
import { useEnumLabel } from '../../components/enum-text.js';
import { zodRule } from '../../components/form-rules.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { useFormat } from '../../i18n/format.js';

type UnitDialog = { mode: 'create' | 'edit' | 'move'; unit: Unit } | null;
type TreeNode = { key: string; title: React.ReactNode; children: TreeNode[] };

function UnitDialogForm({
  dialog,
  onClose,
  onSaved,
}: {
  dialog: NonNullable<UnitDialog>;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, string>>();
  const onError = useApiError();
  const qc = useQueryClient();
  const label = useEnumLabel();
  const { mode, unit } = dialog;
  const save = useMutation({
    mutationFn: (v: Record<string, string>) =>
      mode === 'create'
        ? api.post<Unit>('/units', { ...v, parentId: unit.id })
        : mode === 'edit'
          ? api.patch<Unit>(`/units/${unit.id}`, { ...v, version: unit.version })
          : api.post<Unit>(`/units/${unit.id}/move`, { parentId: v.parentId, version: unit.version }),
    onSuccess: (u) => {
      void message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['units'] });
      onSaved(u?.id ?? unit.id);
      onClose();
    },
    onError: (e) => onError(e, form),
  });
  const shape = UnitCreateRequest.shape;
  const title =
    mode === 'create'
      ? t('units.createUnder', { name: unit.name })
      : mode === 'edit'
        ? t('units.editUnit')
        : t('units.moveUnit', { name: unit.name });
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      data-testid={`unit-${mode}`}
    >
      <Form
        form={form}
        layout="vertical"
        name={`unit-${mode}`}
        initialValues={
          mode === 'edit' ? { code: unit.code, name: unit.name, kind: unit.kind } : mode === 'create' ? { kind: 'section' } : {}
        }
        onFinish={(v) => save.mutate(v)}
      >
        {mode === 'move' ? (
          <Form.Item
            name="parentId"
            label={t('units.newParent')}
            rules={[{ required: true, message: `${t('units.newParent')}${t('common.wordSeparator')}${t('reasons.required')}` }]}
            extra={t('units.moveHint')}
          >
            <UnitTreeSelect excludeId={unit.id} placeholder="" allowClear={false} />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('fields.name')} rules={[zodRule(shape.name, 'name', t)]} required>
              <Input autoFocus maxLength={100} />
            </Form.Item>
            <Form.Item name="code" label={t('fields.code')} rules={[zodRule(shape.code, 'code', t)]} required>
              <Input maxLength={32} />
            </Form.Item>
            <Form.Item name="kind" label={t('fields.kind')}>
              <Select options={UNIT_KINDS.map((k) => ({ value: k, label: label('unitKind', k) }))} />
            </Form.Item>
          </>
        )}
        <button type="submit" hidden aria-hidden />
      </Form>
    </Modal>
  );
}

function UnitsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const label = useEnumLabel();
  const fmt = useFormat();
  const units = useUnits();
  const [sp, setSp] = useSearchParams();
  const [dialog, setDialog] = useState<UnitDialog>(null);
  const [search, setSearch] = useState('');
  const tree = useMemo(() => buildUnitTree(units.data ?? []), [units.data]);
  const selectedId = sp.get('unit') ?? tree[0]?.id;
  const selected = units.data?.find((u) => u.id === selectedId);
  const writable = can('unit.write');
  const select = (id: string) => setSp({ tab: 'units', unit: id }, { replace: true });

  const treeData = useMemo(() => {
    const s = search.trim().toLowerCase();
    const matches = (n: UnitNode): boolean =>
      !s || n.name.toLowerCase().includes(s) || n.code.toLowerCase().includes(s) || n.children.some(matches);
    const map = (nodes: UnitNode[]): TreeNode[] =>
      nodes.filter(matches).map((n) => ({
        key: n.id,
        title: (
          <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', opacity: n.inScope ? 1 : 0.55 }} data-testid="unit-node">
            <span>{n.name}</span>
            <Badge count={fmt.number(n.headcount)} color="#8c9bab" showZero size="small" title={t('units.headcount')} />
          </span>
        ),
        children: map(n.children),
      }));
    return map(tree);
  }, [tree, search, fmt, t]);
  const expanded = useMemo(
    () => (search ? (units.data ?? []).map((u) => u.id) : (units.data ?? []).filter((u) => u.depth < 2).map((u) => u.id)),
    [units.data, search],
  );

  const del = useMutation({
    mutationFn: (u: Unit) => api.delete(`/units/${u.id}`),
    onSuccess: (_r, u) => {
      void message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['units'] });
      if (u.parentId) select(u.parentId);
    },
    onError: (e) => onError(e),
  });

  if (units.isLoading) return <Skeleton active paragraph={{ rows: 10 }} />;
  const parent = selected?.parentId ? units.data?.find((u) => u.id === selected.parentId) : undefined;
  const children = units.data?.filter((u) => u.parentId === selected?.id) ?? [];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10} xl={9}>
        <Card
          size="small"
          title={
            <>
              <ApartmentOutlined /> {t('units.tree')}
            </>
          }
        >
          <Input.Search
            placeholder={t('units.searchUnits')}
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ marginBottom: 8 }}
            aria-label={t('units.searchUnits')}
          />
          <div style={{ maxHeight: 'calc(100vh - 290px)', minHeight: 300, overflow: 'auto' }}>
            {treeData.length ? (
              <Tree
                key={search ? 'search' : 'all'}
                treeData={treeData}
                selectedKeys={selectedId ? [selectedId] : []}
                defaultExpandedKeys={expanded}
                onSelect={(keys) => keys[0] && select(String(keys[0]))}
                blockNode
                showLine
                data-testid="unit-tree"
              />
            ) : (
              <Empty description={t('common.noData')} />
            )}
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={14} xl={15}>
        {selected ? (
          <Card
            size="small"
            title={selected.name}
            data-testid="unit-detail"
            extra={
              <Link to={`/people?unitId=${selected.id}`}>
                <TeamOutlined /> {t('units.viewPeople')}
              </Link>
            }
          >
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
              <Descriptions.Item label={t('fields.code')}>{selected.code}</Descriptions.Item>
              <Descriptions.Item label={t('fields.kind')}>{label('unitKind', selected.kind)}</Descriptions.Item>
              <Descriptions.Item label={t('units.headcount')}>{fmt.number(selected.headcount)}</Descriptions.Item>
              <Descriptions.Item label={t('fields.parentId')}>{parent?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('units.subUnits')} span={{ xs: 1, sm: 2 }}>
                {children.length
                  ? children.map((c) => (
                      <Tag key={c.id} style={{ cursor: 'pointer', marginBottom: 4 }} onClick={() => select(c.id)}>
                        {c.name}
                      </Tag>
                    ))
                  : '—'}
              </Descriptions.Item>
            </Descriptions>
            {!selected.inScope && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                {t('units.outOfScope')}
              </Typography.Paragraph>
            )}
            {writable && selected.inScope && (
              <Space wrap style={{ marginTop: 16 }}>
                <Button icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'create', unit: selected })} data-testid="unit-add-child">
                  {t('units.addSubUnit')}
                </Button>
                <Button icon={<EditOutlined />} onClick={() => setDialog({ mode: 'edit', unit: selected })} data-testid="unit-rename">
                  {t('units.rename')}
                </Button>
                {selected.parentId && (
                  <Button icon={<DragOutlined />} onClick={() => setDialog({ mode: 'move', unit: selected })} data-testid="unit-move">
                    {t('units.move')}
                  </Button>
                )}
                {selected.parentId && (
                  <Popconfirm
                    title={t('units.deleteConfirm', { name: selected.name })}
                    description={selected.directHeadcount || children.length ? t('units.deleteNotEmpty') : undefined}
                    okText={t('common.delete')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => del.mutateAsync(selected)}
                  >
                    <Button danger icon={<DeleteOutlined />} data-testid="unit-delete">
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            )}
          </Card>
        ) : (
          <Card>
            <Empty description={t('units.selectUnit')} />
          </Card>
        )}
      </Col>
      {dialog && <UnitDialogForm dialog={dialog} onClose={() => setDialog(null)} onSaved={select} />}
    </Row>
  );
}

function PositionDialog({ position, onClose }: { position: Position | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const onError = useApiError();
  const qc = useQueryClient();
  const label = useEnumLabel();
  const shape = PositionCreateRequest.shape;
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' || x === undefined ? null : x]));
      return position
        ? api.patch(`/positions/${position.id}`, { ...body, version: position.version })
        : api.post('/positions', Object.fromEntries(Object.entries(body).filter(([, x]) => x !== null)));
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['positions'] });
      onClose();
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Modal
      open
      title={position ? t('units.editPosition') : t('units.createPosition')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      data-testid="position-dialog"
    >
      <Form
        form={form}
        layout="vertical"
        name="position"
        initialValues={position ?? { category: 'professional', active: true }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('fields.name')} rules={[zodRule(shape.name, 'name', t)]} required>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="code" label={t('fields.code')} rules={[zodRule(shape.code, 'code', t)]} required>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="category" label={t('fields.category')}>
          <Select options={POSITION_CATEGORIES.map((c) => ({ value: c, label: label('positionCategory', c) }))} />
        </Form.Item>
        <Form.Item name="grade" label={t('fields.grade')}>
          <Select allowClear options={GRADES.map((g) => ({ value: g, label: label('grade', g) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('units.description')} rules={[zodRule(shape.description, 'description', t)]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        {position && (
          <Form.Item name="active" label={t('units.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        <button type="submit" hidden aria-hidden />
      </Form>
    </Modal>
  );
}

function PositionsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const label = useEnumLabel();
  const positions = usePositions();
  const [editing, setEditing] = useState<Position | null | 'new'>(null);
  const writable = can('position.write');
  const columns: TableColumnsType<Position> = [
    {
      title: t('fields.code'),
      dataIndex: 'code',
      key: 'code',
      width: 120,
      sorter: (a, b) => a.code.localeCompare(b.code),
      defaultSortOrder: 'ascend',
    },
    { title: t('fields.name'), dataIndex: 'name', key: 'name', sorter: (a, b) => a.name.localeCompare(b.name) },
    { title: t('fields.category'), dataIndex: 'category', key: 'cat', width: 120, render: (v: string) => label('positionCategory', v) },
    { title: t('fields.grade'), dataIndex: 'grade', key: 'grade', width: 150, render: (v: string | null) => label('grade', v) },
    {
      title: t('units.active'),
      dataIndex: 'active',
      key: 'active',
      width: 90,
      render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{t(v ? 'common.yes' : 'common.no')}</Tag>,
    },
    ...(writable
      ? [
          {
            key: 'edit',
            width: 80,
            render: (_: unknown, p: Position) => (
              <Button type="link" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('common.edit')} />
            ),
          },
        ]
      : []),
  ];
  // The positions list is short and org-wide, so it is sorted here rather than paged on the server.
  return (
    <>
      {writable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          style={{ marginBottom: 12 }}
          data-testid="position-create"
        >
          {t('units.createPosition')}
        </Button>
      )}
      <Table<Position>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={positions.data ?? []}
        loading={positions.isLoading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 640 }}
        locale={{ emptyText: <Empty description={t('common.noData')} /> }}
        data-testid="positions-table"
      />
      {editing && <PositionDialog position={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

export function UnitsPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'positions' ? 'positions' : 'units';
  return (
    <>
      <PageHeader title={t('nav.units')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setSp({ tab: k })}
        items={[
          { key: 'units', label: t('units.unitsTab'), children: <UnitsTab /> },
          {
            key: 'positions',
            label: t('units.positionsTab'),
            children: (
              <Card size="small">
                <PositionsTab />
              </Card>
            ),
          },
        ]}
      />
    </>
  );
}
