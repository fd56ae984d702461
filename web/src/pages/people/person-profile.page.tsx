import { Empty } from 'antd';

export function PersonProfilePage() {
  return <Empty />;
}
