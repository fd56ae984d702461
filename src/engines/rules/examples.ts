// A small Nanchang-style policy set (DOMAIN.md §6) for tests, demo data and later modules.
// Legal references are illustrative placeholders in the shape of local documents ("示例" = example);
// they do not cite real documents.
import type { FactSchema, LocalisedText, PolicyDefinition } from './policy.js';

const t = (zhCN: string, zhTW: string, vi: string, en: string): LocalisedText => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, vi, en });

/** Facts about one applicant; dates are pre-normalised to whole years/months on the evaluation date. */
export const exampleFactSchema = {
  age_years: { type: 'int', source: 'household_registration', label: t('年龄（周岁）', '年齡（週歲）', 'Tuổi', 'Age in whole years') },
  id_region_code: {
    type: 'string',
    source: 'household_registration',
    label: t('身份证地区码', '身分證地區碼', 'Mã vùng CCCD', 'Region code of the ID card'),
  },
  hukou_city: {
    type: 'string',
    source: 'household_registration',
    label: t('户籍所在城市', '戶籍所在城市', 'Thành phố hộ khẩu', 'City of household registration'),
  },
  education_level: {
    type: 'string',
    source: 'education_credentials',
    label: t('最高学历', '最高學歷', 'Trình độ học vấn cao nhất', 'Highest degree'),
  },
  years_since_graduation: {
    type: 'int',
    source: 'education_credentials',
    label: t('毕业年限', '畢業年限', 'Số năm từ khi tốt nghiệp', 'Years since graduation'),
  },
  professional_titles: {
    type: 'list<string>',
    source: 'education_credentials',
    label: t('职业资格', '職業資格', 'Chứng chỉ nghề nghiệp', 'Professional qualifications'),
  },
  social_insurance_city: {
    type: 'string',
    source: 'social_insurance',
    label: t('社保缴纳城市', '社保繳納城市', 'Thành phố đóng BHXH', 'City of social insurance contributions'),
  },
  social_insurance_months: {
    type: 'int',
    source: 'social_insurance',
    label: t('连续缴纳社保月数', '連續繳納社保月數', 'Số tháng đóng BHXH liên tục', 'Consecutive months of social insurance'),
  },
  monthly_wage_fen: {
    type: 'int',
    source: 'social_insurance',
    label: t('社保缴费基数（分）', '社保繳費基數（分）', 'Mức lương đóng BHXH (xu)', 'Contribution base (fen)'),
  },
  employer_city: {
    type: 'string',
    source: 'enterprise_registry',
    label: t('用人单位注册地', '用人單位註冊地', 'Nơi đăng ký của đơn vị sử dụng lao động', 'Employer registered in'),
  },
  owns_home_in_city: {
    type: 'bool',
    source: 'applicant',
    label: t('本市有自有住房', '本市有自有住房', 'Có nhà ở tại thành phố', 'Owns a home in the city'),
  },
  subsidies_received: {
    type: 'list<string>',
    source: 'applicant',
    label: t('已享受的补贴', '已享受的補貼', 'Các khoản hỗ trợ đã nhận', 'Subsidies already received'),
  },
  enterprise_legal_rep: {
    type: 'bool',
    source: 'enterprise_registry',
    label: t('本人为企业法定代表人', '本人為企業法定代表人', 'Là người đại diện theo pháp luật', 'Applicant is the legal representative'),
  },
  enterprise_city: {
    type: 'string',
    source: 'enterprise_registry',
    label: t('企业注册地', '企業註冊地', 'Nơi đăng ký doanh nghiệp', 'Enterprise registered in'),
  },
  enterprise_age_months: {
    type: 'int',
    source: 'enterprise_registry',
    label: t('企业成立月数', '企業成立月數', 'Số tháng từ khi thành lập', 'Months since the enterprise was registered'),
  },
  enterprise_industry: { type: 'string', source: 'enterprise_registry', label: t('所属行业', '所屬行業', 'Ngành nghề', 'Industry') },
  enterprise_registered_capital_wan: {
    type: 'double',
    source: 'enterprise_registry',
    label: t('注册资本（万元）', '註冊資本（萬元）', 'Vốn điều lệ (vạn tệ)', 'Registered capital (10,000 CNY)'),
  },
} as const satisfies FactSchema;

export type ExampleFactName = keyof typeof exampleFactSchema;

export const settlementBonusPolicy: PolicyDefinition = {
  id: 'settlement_bonus',
  label: t('人才安家补贴', '人才安家補貼', 'Hỗ trợ an cư cho nhân tài', 'Settlement bonus for talent'),
  parameters: {
    max_age: {
      type: 'int',
      unit: 'years',
      label: t('年龄上限', '年齡上限', 'Tuổi tối đa', 'Maximum age'),
      values: [
        { from: '2023-01-01', value: 35, legalRef: '示例·洪人才〔2023〕1号 第三条' },
        { from: '2025-07-01', value: 40, legalRef: '示例·洪人才〔2025〕4号 第二条' },
      ],
    },
    min_social_insurance_months: {
      type: 'int',
      unit: 'months',
      label: t('社保最少缴纳月数', '社保最少繳納月數', 'Số tháng BHXH tối thiểu', 'Minimum months of social insurance'),
      values: [{ from: '2023-01-01', value: 6, legalRef: '示例·洪人才〔2023〕1号 第四条' }],
    },
    bonus_doctorate_fen: {
      type: 'int',
      unit: 'CNY_fen',
      label: t('博士安家补贴', '博士安家補貼', 'Mức hỗ trợ tiến sĩ', 'Bonus for doctorates'),
      values: [{ from: '2023-01-01', value: 10_000_000, legalRef: '示例·洪人才〔2023〕1号 第五条' }],
    },
  },
  versions: [
    {
      id: 'settlement_bonus@2023',
      effectiveFrom: '2023-01-01',
      legalRef: '示例·洪人才〔2023〕1号',
      clauses: [
        {
          id: 'age',
          expr: 'age_years <= params.max_age',
          label: t('年龄不超过上限', '年齡不超過上限', 'Không quá tuổi tối đa', 'Not older than the age limit'),
          legalRef: '示例·洪人才〔2023〕1号 第三条',
          source: 'household_registration',
          department: 'talent_centre',
        },
        {
          id: 'degree',
          expr: 'education_level in ["bachelor", "master", "doctorate"]',
          label: t('本科及以上学历', '本科及以上學歷', 'Trình độ đại học trở lên', "Bachelor's degree or higher"),
          legalRef: '示例·洪人才〔2023〕1号 第三条',
          source: 'education_credentials',
          department: 'talent_centre',
        },
        {
          id: 'hukou',
          expr: 'hukou_city == "nanchang"',
          label: t('户籍已迁入本市', '戶籍已遷入本市', 'Đã chuyển hộ khẩu về thành phố', 'Household registration moved to the city'),
          legalRef: '示例·洪人才〔2023〕1号 第三条',
          source: 'household_registration',
          department: 'public_security',
        },
        {
          id: 'social_insurance',
          expr: 'social_insurance_city == "nanchang" && social_insurance_months >= params.min_social_insurance_months',
          label: t('在本市缴纳社保', '在本市繳納社保', 'Đóng BHXH tại thành phố', 'Pays social insurance in the city'),
          legalRef: '示例·洪人才〔2023〕1号 第四条',
          source: 'social_insurance',
          department: 'social_insurance_centre',
        },
        {
          id: 'employer',
          expr: 'employer_city == "nanchang"',
          label: t(
            '用人单位在本市注册',
            '用人單位在本市註冊',
            'Đơn vị sử dụng lao động đăng ký tại thành phố',
            'Employer registered in the city',
          ),
          legalRef: '示例·洪人才〔2023〕1号 第三条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'no_home',
          expr: '!owns_home_in_city',
          label: t('本市无自有住房', '本市無自有住房', 'Chưa có nhà ở tại thành phố', 'Owns no home in the city'),
          legalRef: '示例·洪人才〔2023〕1号 第三条',
          source: 'applicant',
          department: 'talent_centre',
        },
      ],
    },
    {
      id: 'settlement_bonus@2025',
      effectiveFrom: '2025-07-01',
      legalRef: '示例·洪人才〔2025〕4号',
      clauses: [
        {
          id: 'age',
          expr: 'age_years <= params.max_age',
          label: t('年龄不超过上限', '年齡不超過上限', 'Không quá tuổi tối đa', 'Not older than the age limit'),
          legalRef: '示例·洪人才〔2025〕4号 第二条',
          source: 'household_registration',
          department: 'talent_centre',
        },
        {
          id: 'degree',
          expr: 'education_level in ["bachelor", "master", "doctorate"]',
          label: t('本科及以上学历', '本科及以上學歷', 'Trình độ đại học trở lên', "Bachelor's degree or higher"),
          legalRef: '示例·洪人才〔2025〕4号 第二条',
          source: 'education_credentials',
          department: 'talent_centre',
        },
        {
          id: 'hukou',
          expr: 'hukou_city == "nanchang"',
          label: t('户籍已迁入本市', '戶籍已遷入本市', 'Đã chuyển hộ khẩu về thành phố', 'Household registration moved to the city'),
          legalRef: '示例·洪人才〔2025〕4号 第二条',
          source: 'household_registration',
          department: 'public_security',
        },
        {
          id: 'social_insurance',
          expr: 'social_insurance_city == "nanchang" && social_insurance_months >= params.min_social_insurance_months',
          label: t('在本市缴纳社保', '在本市繳納社保', 'Đóng BHXH tại thành phố', 'Pays social insurance in the city'),
          legalRef: '示例·洪人才〔2025〕4号 第三条',
          source: 'social_insurance',
          department: 'social_insurance_centre',
        },
        {
          id: 'employer',
          expr: 'employer_city == "nanchang"',
          label: t(
            '用人单位在本市注册',
            '用人單位在本市註冊',
            'Đơn vị sử dụng lao động đăng ký tại thành phố',
            'Employer registered in the city',
          ),
          legalRef: '示例·洪人才〔2025〕4号 第二条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'no_home',
          expr: '!owns_home_in_city',
          label: t('本市无自有住房', '本市無自有住房', 'Chưa có nhà ở tại thành phố', 'Owns no home in the city'),
          legalRef: '示例·洪人才〔2025〕4号 第二条',
          source: 'applicant',
          department: 'talent_centre',
        },
        {
          id: 'first_time',
          expr: '!("settlement_bonus" in subsidies_received)',
          label: t('未曾享受安家补贴', '未曾享受安家補貼', 'Chưa từng nhận hỗ trợ an cư', 'Has not received the bonus before'),
          legalRef: '示例·洪人才〔2025〕4号 第六条',
          source: 'applicant',
          department: 'talent_centre',
        },
      ],
    },
  ],
};

export const graduateLivingSubsidyPolicy: PolicyDefinition = {
  id: 'graduate_living_subsidy',
  label: t('高校毕业生生活补贴', '高校畢業生生活補貼', 'Trợ cấp sinh hoạt cho sinh viên tốt nghiệp', 'Living subsidy for graduates'),
  parameters: {
    max_years_since_graduation: {
      type: 'int',
      unit: 'years',
      label: t('毕业年限上限', '畢業年限上限', 'Số năm tối đa từ khi tốt nghiệp', 'Maximum years since graduation'),
      values: [
        { from: '2023-01-01', value: 2, legalRef: '示例·洪人社〔2023〕7号 第二条' },
        { from: '2024-01-01', value: 3, legalRef: '示例·洪人社〔2023〕19号 第一条' },
      ],
    },
    max_age: {
      type: 'int',
      unit: 'years',
      label: t('年龄上限', '年齡上限', 'Tuổi tối đa', 'Maximum age'),
      values: [{ from: '2023-01-01', value: 35, legalRef: '示例·洪人社〔2023〕7号 第二条' }],
    },
    min_wage_fen: {
      type: 'int',
      unit: 'CNY_fen',
      label: t('最低缴费基数', '最低繳費基數', 'Mức lương đóng BHXH tối thiểu', 'Minimum contribution base'),
      values: [
        { from: '2023-01-01', value: 350_000, legalRef: '示例·洪人社〔2023〕7号 第三条' },
        { from: '2025-01-01', value: 380_000, legalRef: '示例·洪人社〔2024〕12号 第三条' },
      ],
    },
  },
  versions: [
    {
      id: 'graduate_living_subsidy@2023',
      effectiveFrom: '2023-01-01',
      legalRef: '示例·洪人社〔2023〕7号',
      clauses: [
        {
          id: 'recent_graduate',
          expr: 'years_since_graduation >= 0 && years_since_graduation <= params.max_years_since_graduation',
          label: t('毕业年限内', '畢業年限內', 'Trong thời hạn sau tốt nghiệp', 'Graduated recently enough'),
          legalRef: '示例·洪人社〔2023〕7号 第二条',
          source: 'education_credentials',
          department: 'talent_centre',
        },
        {
          id: 'qualification',
          expr: 'education_level in ["bachelor", "master", "doctorate"] || (education_level == "associate" && professional_titles.exists(q, q.startsWith("senior_technician")))',
          label: t(
            '本科及以上或大专加高级工',
            '本科及以上或大專加高級工',
            'Đại học trở lên, hoặc cao đẳng kèm chứng chỉ kỹ thuật viên bậc cao',
            "Bachelor's or higher, or associate degree with a senior technician certificate",
          ),
          legalRef: '示例·洪人社〔2023〕7号 第二条',
          source: 'education_credentials',
          department: 'talent_centre',
        },
        {
          id: 'age',
          expr: 'age_years <= params.max_age',
          label: t('年龄不超过上限', '年齡不超過上限', 'Không quá tuổi tối đa', 'Not older than the age limit'),
          legalRef: '示例·洪人社〔2023〕7号 第二条',
          source: 'household_registration',
          department: 'talent_centre',
        },
        {
          id: 'social_insurance',
          expr: 'social_insurance_city == "nanchang" && social_insurance_months >= 1',
          label: t('在本市缴纳社保', '在本市繳納社保', 'Đóng BHXH tại thành phố', 'Pays social insurance in the city'),
          legalRef: '示例·洪人社〔2023〕7号 第三条',
          source: 'social_insurance',
          department: 'social_insurance_centre',
        },
        {
          id: 'wage',
          expr: 'monthly_wage_fen >= params.min_wage_fen',
          label: t('缴费基数不低于标准', '繳費基數不低於標準', 'Mức lương đóng BHXH đạt chuẩn', 'Contribution base at least the minimum'),
          legalRef: '示例·洪人社〔2023〕7号 第三条',
          source: 'social_insurance',
          department: 'social_insurance_centre',
        },
        {
          id: 'employer',
          expr: 'employer_city == "nanchang"',
          label: t(
            '用人单位在本市注册',
            '用人單位在本市註冊',
            'Đơn vị sử dụng lao động đăng ký tại thành phố',
            'Employer registered in the city',
          ),
          legalRef: '示例·洪人社〔2023〕7号 第二条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
      ],
    },
  ],
};

export const startupSupportPolicy: PolicyDefinition = {
  id: 'startup_support',
  label: t('创业扶持资金', '創業扶持資金', 'Hỗ trợ khởi nghiệp', 'Start-up support'),
  parameters: {
    max_enterprise_age_months: {
      type: 'int',
      unit: 'months',
      label: t('企业成立月数上限', '企業成立月數上限', 'Số tháng hoạt động tối đa', 'Maximum enterprise age'),
      values: [{ from: '2023-01-01', value: 36, legalRef: '示例·洪科〔2023〕3号 第二条' }],
    },
    priority_industries: {
      type: 'list<string>',
      label: t('重点产业', '重點產業', 'Ngành ưu tiên', 'Priority industries'),
      values: [
        { from: '2023-01-01', value: ['digital_economy', 'new_energy', 'biomedicine'], legalRef: '示例·洪科〔2023〕3号 附件' },
        {
          from: '2025-01-01',
          value: ['digital_economy', 'new_energy', 'biomedicine', 'aviation', 'vr'],
          legalRef: '示例·洪科〔2024〕9号 附件',
        },
      ],
    },
    min_registered_capital_wan: {
      type: 'double',
      unit: 'CNY_10k',
      label: t('最低注册资本（万元）', '最低註冊資本（萬元）', 'Vốn điều lệ tối thiểu (vạn tệ)', 'Minimum registered capital (10,000 CNY)'),
      values: [{ from: '2023-01-01', value: 10, legalRef: '示例·洪科〔2023〕3号 第三条' }],
    },
    max_age: {
      type: 'int',
      unit: 'years',
      label: t('年龄上限', '年齡上限', 'Tuổi tối đa', 'Maximum age'),
      values: [{ from: '2023-01-01', value: 45, legalRef: '示例·洪科〔2023〕3号 第二条' }],
    },
  },
  versions: [
    {
      id: 'startup_support@2023',
      effectiveFrom: '2023-01-01',
      legalRef: '示例·洪科〔2023〕3号',
      clauses: [
        {
          id: 'legal_rep',
          expr: 'enterprise_legal_rep',
          label: t('本人为法定代表人', '本人為法定代表人', 'Là người đại diện theo pháp luật', 'Applicant is the legal representative'),
          legalRef: '示例·洪科〔2023〕3号 第二条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'registered_here',
          expr: 'enterprise_city == "nanchang"',
          label: t('企业在本市注册', '企業在本市註冊', 'Doanh nghiệp đăng ký tại thành phố', 'Enterprise registered in the city'),
          legalRef: '示例·洪科〔2023〕3号 第二条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'young_enterprise',
          expr: 'enterprise_age_months <= params.max_enterprise_age_months',
          label: t('企业成立未满三年', '企業成立未滿三年', 'Doanh nghiệp thành lập chưa quá 3 năm', 'Enterprise less than three years old'),
          legalRef: '示例·洪科〔2023〕3号 第二条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'priority_industry',
          expr: 'enterprise_industry in params.priority_industries',
          label: t('属于重点产业', '屬於重點產業', 'Thuộc ngành ưu tiên', 'In a priority industry'),
          legalRef: '示例·洪科〔2023〕3号 附件',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'capital',
          expr: 'enterprise_registered_capital_wan >= params.min_registered_capital_wan',
          label: t('注册资本达标', '註冊資本達標', 'Vốn điều lệ đạt mức tối thiểu', 'Registered capital at least the minimum'),
          legalRef: '示例·洪科〔2023〕3号 第三条',
          source: 'enterprise_registry',
          department: 'market_regulation',
        },
        {
          id: 'age',
          expr: 'age_years <= params.max_age',
          label: t('年龄不超过上限', '年齡不超過上限', 'Không quá tuổi tối đa', 'Not older than the age limit'),
          legalRef: '示例·洪科〔2023〕3号 第二条',
          source: 'household_registration',
          department: 'talent_centre',
        },
        {
          id: 'local_tie',
          expr: 'id_region_code.startsWith("36") || social_insurance_months >= 12',
          label: t(
            '江西籍或在本市缴纳社保满一年',
            '江西籍或在本市繳納社保滿一年',
            'Người Giang Tây hoặc đã đóng BHXH tại thành phố đủ một năm',
            'Born in Jiangxi or a year of social insurance in the city',
          ),
          legalRef: '示例·洪科〔2023〕3号 第二条',
          source: 'household_registration',
          department: 'public_security',
        },
      ],
    },
  ],
};

export const examplePolicies: readonly PolicyDefinition[] = [settlementBonusPolicy, graduateLivingSubsidyPolicy, startupSupportPolicy];
