import { Empty } from 'antd';

export function ImportWizardPage() {
  return <Empty />;
}
