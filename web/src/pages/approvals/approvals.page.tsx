import { Empty } from 'antd';

export function ApprovalsPage() {
  return <Empty />;
}
