import { Empty } from 'antd';

export function MyProfilePage() {
  return <Empty />;
}
