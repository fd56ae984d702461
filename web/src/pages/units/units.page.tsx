import { Empty } from 'antd';

export function UnitsPage() {
  return <Empty />;
}
