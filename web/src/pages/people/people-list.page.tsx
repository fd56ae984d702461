import { Empty } from 'antd';

export function PeopleListPage() {
  return <Empty />;
}
