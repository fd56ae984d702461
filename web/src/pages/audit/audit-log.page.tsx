import { Empty } from 'antd';

export function AuditLogPage() {
  return <Empty />;
}
