import { Empty } from 'antd';

export function JobsPage() {
  return <Empty />;
}
