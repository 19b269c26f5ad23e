import { actorFor, type Actor } from '../../app/domain/accounts/actor.js'
import type { TemplateFields } from '../../app/domain/providers/template-views.js'
import { services } from '../../app/web/services.server.js'
import { addMember, insertOrg, insertUser, signIn } from '../support/factories.js'

/*
 * Shared by the contract template and consortium tests: organisations with a signed-in
 * person, the actor a use case takes, and a valid template form.
 */

export const db = () => services().db

export interface Person {
  userId: number
  orgId: number
  cookie: string
  actor: Actor
}

export async function person(
  orgId: number,
  role: 'owner' | 'member' | 'reviewer' | 'viewer' = 'owner',
  name = '测试人员',
): Promise<Person> {
  const user = await insertUser(db(), { name })
  await addMember(db(), user.id, orgId, role)
  const { cookie } = await signIn(db(), user.id, orgId)
  const org = await db().selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()
  const actor = actorFor(
    user.id,
    {
      orgId,
      orgName: org.name,
      kind: org.kind,
      status: org.status,
      role,
      membership: 'active',
      regionCode: org.region_code,
      agencyLevel: org.agency_level,
    },
    '203.0.113.9',
    true,
  )
  return { userId: user.id, orgId, cookie, actor }
}

export async function org(
  kind: 'enterprise' | 'provider' | 'agency',
  o: { name?: string; region?: string; status?: 'pending' | 'verified' } = {},
) {
  return insertOrg(db(), {
    kind,
    name: o.name,
    region: o.region ?? (kind === 'agency' ? '321000' : '321003'),
    status: o.status,
    ...(kind === 'agency' ? { agencyLevel: 'city' as const } : {}),
  })
}

/** A valid template: three milestones of 30 / 40 / 30. */
export function templateFields(overrides: Partial<TemplateFields> = {}): TemplateFields {
  return {
    title: '扬州市智能化改造标准合同（示范文本）',
    industryCode: 'C34',
    scenarioCodes: ['S401', 'S305'],
    constructionDays: 180,
    technicalStandards: ['GB/T 39116-2020', 'GB/T 20720'],
    acceptanceStandards: '按合同技术附件逐项验收，系统连续稳定运行 30 天。',
    qualityTerms: '工程质量符合国家及行业标准。',
    warrantyMonths: 24,
    priceModel: 'range',
    priceMinWan: 100,
    priceMaxWan: 300,
    milestones: [
      { name: '预付款', percent: 30, criteria: '合同签订后 10 个工作日内' },
      { name: '到货款', percent: 40, criteria: '设备到货验收合格' },
      { name: '验收款', percent: 30, criteria: '竣工验收合格' },
    ],
    disputeClause: '协商不成的，提交扬州仲裁委员会仲裁。',
    ...overrides,
  }
}

/** The same template as the form posts it. */
export function templateForm(
  fields: TemplateFields = templateFields(),
  extra: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {
    title: fields.title,
    industry: fields.industryCode ?? '',
    'scenarios[]': fields.scenarioCodes,
    constructionDays: String(fields.constructionDays),
    technicalStandards: fields.technicalStandards.join('\n'),
    acceptanceStandards: fields.acceptanceStandards,
    qualityTerms: fields.qualityTerms,
    warrantyMonths: String(fields.warrantyMonths),
    priceModel: fields.priceModel,
    priceMinWan: fields.priceMinWan === null ? '' : String(fields.priceMinWan),
    priceMaxWan: fields.priceMaxWan === null ? '' : String(fields.priceMaxWan),
    disputeClause: fields.disputeClause,
  }
  fields.milestones.forEach((m, i) => {
    form[`ms${i + 1}Name`] = m.name
    form[`ms${i + 1}Percent`] = String(m.percent)
    form[`ms${i + 1}Criteria`] = m.criteria
  })
  // The form's blank rows, as a browser sends them.
  for (let n = fields.milestones.length + 1; n <= 8; n++) {
    form[`ms${n}Name`] = ''
    form[`ms${n}Percent`] = ''
    form[`ms${n}Criteria`] = ''
  }
  return { ...form, ...extra }
}
