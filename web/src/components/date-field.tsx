import { DatePicker } from 'antd';
import type { DatePickerProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

/**
 * Form.Item props that keep dates as YYYY-MM-DD strings in the form store (the API's format, and what
 * the shared zod schemas validate) while the DatePicker works with dayjs.
 */
export const dateItemProps = {
  getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

export function DateInput(props: DatePickerProps) {
  return <DatePicker style={{ width: '100%' }} {...props} />;
}
