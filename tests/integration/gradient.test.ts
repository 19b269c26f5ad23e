import { describe, expect, it } from 'vitest'
import { estimateForNeed } from '../../app/domain/gradient/need-estimate.server.js'
import { ZGradientAnswersInput } from '../../app/domain/gradient/schema.js'
import { getSelfCheck, saveGradientAnswers } from '../../app/domain/gradient/self-check.server.js'
import { insertOrg } from '../support/factories.js'
import { db, enterpriseWithNeed, personOf } from './matching-world.js'

const TODAY = '2026-12-03'

describe('梯度自评 (issue 16 S3)', () => {
  it('saves the questionnaire with a revision check and evaluates it; a stale form is 409', async () => {
    const orgId = await insertOrg(db(), { kind: 'enterprise', region: '620100' })
    const { actor } = await personOf(orgId)
    const input = ZGradientAnswersInput.parse({
      revision: '0',
      archiveRevision: '0',
      mesCoveragePct: '40',
      pdmInUse: 'yes',
      safetyRecordClean: 'yes',
      linksAnswered: '1',
      links: ['production_ops'],
    })
    expect((await saveGradientAnswers(db(), actor, input)).changed).toContain('mesCoveragePct')
    await expect(saveGradientAnswers(db(), actor, input)).rejects.toMatchObject({ code: 'CONFLICT' })
    const check = await getSelfCheck(db(), actor, TODAY)
    expect(check.ruleSet?.id).toBe('gansu-2025-smart-factory-gradient')
    const advanced = check.levels.find((l) => l.level === 'advanced')!
    expect(advanced.status).toBe('missed')
    expect(advanced.criteria.find((c) => c.id === 'mes')).toMatchObject({ status: 'missed', gap: 20 })
    const audit = await db().selectFrom('audit_log').select('action').where('actor_org_id', '=', orgId).execute()
    expect(audit.map((a) => a.action).sort()).toEqual(['enterprise.profile_updated', 'gradient.answers_saved'])
  })

  it('estimates a need’s subsidy under the expired Yangzhou measures, capped', async () => {
    const { owner, needId } = await enterpriseWithNeed()
    const e = await estimateForNeed(db(), owner.actor, needId, 5000, TODAY)
    const m = e.sets[0]!
    expect(m.ruleSet.expired).toBe(true)
    expect(m.measures[0]).toMatchObject({ amountWan: 600, capped: true })
    const other = await enterpriseWithNeed()
    await expect(estimateForNeed(db(), other.owner.actor, needId, null, TODAY)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
