import type { Kysely } from 'kysely'
import type { DB } from '../../../db/types.js'
import { AppError } from '../../utils/errors.js'
import { addDays, chinaDate } from '../needs/lifecycle.server.js'
import { recordContractEvent } from './events.server.js'

/*
 * The contract draft an award makes (issue 14 §3): "from the awarded bid and its
 * template version". Called by the award use case inside its transaction, right after
 * the bid became 'awarded'; the parties then edit the draft and confirm it
 * (contracts.server.ts).
 *
 * What the draft takes:
 * - parties, need, bid, consortium: from the bid; region: the need's (jurisdiction);
 * - amount and construction period: the bid's price and duration (what was offered
 *   and awarded, not the template's);
 * - technical and acceptance standards, quality terms, warranty, dispute clause and
 *   the payment milestones (name, percent, criteria): from the bid's template version;
 *   without one, the platform defaults below, which the parties edit;
 * - start date: 14 days after the award (China date); each milestone's due date: the
 *   start plus the construction period × the cumulative percent, so the last falls on
 *   the planned end. The parties change them while drafting.
 */

export const DRAFT_START_AFTER_DAYS = 14

export interface DraftMilestone {
  name: string
  percent: number
  criteria: string
}

/** Payment milestones of a bid without a template: 30 / 40 / 30, as the common 预付款 / 进度款 / 验收款 split. */
export const DEFAULT_MILESTONES: readonly DraftMilestone[] = [
  { name: '合同签订预付款', percent: 30, criteria: '合同双方确认后支付。' },
  { name: '系统上线试运行', percent: 40, criteria: '主要功能上线并试运行，企业确认试运行报告。' },
  { name: '竣工验收', percent: 30, criteria: '按验收标准完成竣工验收，出具验收报告。' },
]

export const DEFAULT_TERMS = {
  technicalStandards: [] as string[],
  acceptanceStandards: '按需求书和投标方案约定的功能、性能指标逐项验收。',
  qualityTerms: '工程质量符合国家和行业现行标准。',
  warrantyMonths: 12,
  disputeClause: '因本合同发生争议，双方协商解决；协商不成的，提交项目所在地仲裁委员会仲裁。',
} as const

/** Due dates spread over the construction period by cumulative percent (the last on the end date). */
export function milestoneDueDates(startDate: string, constructionDays: number, percents: readonly number[]): string[] {
  let cumulative = 0
  return percents.map((p) => {
    cumulative += p
    return addDays(startDate, Math.max(1, Math.round((constructionDays * cumulative) / 100)))
  })
}

/** Amounts of the milestones in hundredths of 万元: rounded, the last takes the remainder so they sum to the total. */
export function milestoneAmounts(totalWanX100: number, percents: readonly number[]): number[] {
  let assigned = 0
  return percents.map((p, i) => {
    const amount = i === percents.length - 1 ? totalWanX100 - assigned : Math.round((totalWanX100 * p) / 100)
    assigned += amount
    return amount
  })
}

function parseMilestones(json: string): DraftMilestone[] {
  try {
    const list = JSON.parse(json) as Array<{ name?: unknown; percent?: unknown; criteria?: unknown }>
    const milestones = list.map((m) => ({
      name: (typeof m.name === 'string' ? m.name : '').slice(0, 100),
      percent: Number(m.percent),
      criteria: (typeof m.criteria === 'string' ? m.criteria : '').slice(0, 2000),
    }))
    const sum = milestones.reduce((s, m) => s + m.percent, 0)
    const valid = milestones.length > 0 && milestones.length <= 20 && sum === 100
    return valid && milestones.every((m) => m.name && Number.isInteger(m.percent) && m.percent >= 1)
      ? milestones
      : [...DEFAULT_MILESTONES]
  } catch {
    return [...DEFAULT_MILESTONES]
  }
}

/**
 * Writes the draft contract of awarded bid `bidId` (and its milestones and timeline's
 * first event) inside the award's transaction; returns its id. CONFLICT
 * 'contracts.e.notAwarded' unless the bid is awarded; a second call for the same bid
 * hits contracts.bid_id's unique key (the award is one transaction, so it cannot).
 */
export async function createDraftFromAward(
  trx: Kysely<DB>,
  input: { bidId: number; userId: number; actorOrgId: number; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date()
  const bid = await trx
    .selectFrom('bids as b')
    .innerJoin('needs as n', 'n.id', 'b.need_id')
    .select([
      'b.id',
      'b.need_id',
      'b.provider_org_id',
      'b.consortium_id',
      'b.price_wan_x100',
      'b.duration_days',
      'b.template_version_id',
      'b.status',
      'n.org_id as enterprise_org_id',
      'n.region_code',
      'n.title as need_title',
    ])
    .where('b.id', '=', input.bidId)
    .executeTakeFirst()
  if (!bid || bid.status !== 'awarded') throw new AppError('CONFLICT', 'contracts.e.notAwarded')

  const version = bid.template_version_id
    ? await trx.selectFrom('contract_template_versions').selectAll().where('id', '=', bid.template_version_id).executeTakeFirst()
    : undefined
  const milestones = version ? parseMilestones(version.milestones) : [...DEFAULT_MILESTONES]
  const startDate = addDays(chinaDate(now), DRAFT_START_AFTER_DAYS)
  const at = now.toISOString()

  const contract = await trx
    .insertInto('contracts')
    .values({
      need_id: bid.need_id,
      bid_id: bid.id,
      enterprise_org_id: bid.enterprise_org_id,
      provider_org_id: bid.provider_org_id,
      consortium_id: bid.consortium_id,
      template_version_id: bid.template_version_id,
      region_code: bid.region_code,
      title: `${bid.need_title}项目合同`.slice(0, 200),
      amount_wan_x100: bid.price_wan_x100,
      start_date: startDate,
      construction_days: bid.duration_days,
      technical_standards: version ? version.technical_standards : JSON.stringify(DEFAULT_TERMS.technicalStandards),
      acceptance_standards: (version?.acceptance_standards || DEFAULT_TERMS.acceptanceStandards).slice(0, 4000),
      quality_terms: (version?.quality_terms || DEFAULT_TERMS.qualityTerms).slice(0, 4000),
      warranty_months: version?.warranty_months ?? DEFAULT_TERMS.warrantyMonths,
      dispute_clause: (version?.dispute_clause || DEFAULT_TERMS.disputeClause).slice(0, 2000),
      status: 'draft',
      created_by: input.userId,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  const percents = milestones.map((m) => m.percent)
  const dues = milestoneDueDates(startDate, bid.duration_days, percents)
  const amounts = milestoneAmounts(bid.price_wan_x100, percents)
  await trx
    .insertInto('contract_milestones')
    .values(
      milestones.map((m, i) => ({
        contract_id: contract.id,
        seq: i + 1,
        name: m.name,
        percent: m.percent,
        amount_wan_x100: amounts[i]!,
        due_date: dues[i]!,
        criteria: m.criteria,
        updated_at: at,
      })),
    )
    .execute()
  await recordContractEvent(trx, {
    contractId: contract.id,
    kind: 'drafted',
    actorUserId: input.userId,
    actorOrgId: input.actorOrgId,
    objectId: bid.id,
    at,
  })
  return contract.id
}
