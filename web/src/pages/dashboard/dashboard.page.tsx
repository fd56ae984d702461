import { Empty } from 'antd';

export function DashboardPage() {
  return <Empty />;
}
