import { KeyOutlined } from '@ant-design/icons';
import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shows an issued password once: it is not stored in clear anywhere and cannot be shown again. */
export function OneTimePasswordModal({ username, password, onClose }: { username: string; password: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={
        <>
          <KeyOutlined /> {t('accounts.otpTitle', { username })}
        </>
      }
      onOk={onClose}
      onCancel={onClose}
      okText={t('accounts.otpDone')}
      cancelButtonProps={{ style: { display: 'none' } }}
      maskClosable={false}
      destroyOnHidden
      data-testid="otp-modal"
    >
      <Alert type="warning" showIcon title={t('accounts.otpOnce')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        copyable={{ text: password, tooltips: [t('accounts.copy'), t('accounts.copied')] }}
        code
        style={{ fontSize: 20, letterSpacing: 1, textAlign: 'center' }}
        data-testid="otp-value"
      >
        {password}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('accounts.otpHint')}</Typography.Paragraph>
    </Modal>
  );
}
