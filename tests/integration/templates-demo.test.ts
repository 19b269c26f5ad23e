import { describe, expect, it } from 'vitest'
import { derivedDemoTemplate, insertDemoTemplate, OFFICIAL_TEMPLATE_DEMOS } from '../../app/domain/providers/template-demo.js'
import { ZTemplateInput } from '../../app/domain/providers/template-schema.js'
import { getTemplatePage } from '../../app/domain/providers/templates.server.js'
import { db, org, templateForm } from './templates-fixtures.js'

/*
 * The demo contract templates (for seed/): each passes the form's own checks, and one
 * written by insertDemoTemplate reads back like one made through the form, its derived
 * provider template showing its differences.
 */

describe('demo contract templates', () => {
  it('each is what the form would accept, milestones summing to 100', () => {
    for (const fields of [...OFFICIAL_TEMPLATE_DEMOS, derivedDemoTemplate('扬州某某智能科技有限公司')]) {
      const form = new Map(Object.entries(templateForm(fields)))
      const raw = Object.fromEntries([...form].map(([k, v]) => [k, v]))
      const parsed = ZTemplateInput.safeParse(raw)
      expect(parsed.success, `${fields.title}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true)
      expect(fields.milestones.reduce((s, m) => s + m.percent, 0)).toBe(100)
    }
  })

  it('writes an official template and a provider’s derived one, which read back with their differences', async () => {
    const agency = await org('agency', { name: '扬州市工业和信息化局（演示范本）' })
    const provider = await org('provider', { name: '扬州演示智能科技有限公司' })
    const at = '2026-11-01T00:00:00.000Z'
    const official = await insertDemoTemplate(db(), { orgId: agency, official: true, fields: OFFICIAL_TEMPLATE_DEMOS[0]!, at })
    const own = await insertDemoTemplate(db(), {
      orgId: provider,
      official: false,
      fields: derivedDemoTemplate('扬州演示智能科技有限公司'),
      at,
      derivedFromVersionId: official.versionId,
    })
    const page = await getTemplatePage(db(), null, own.templateId, undefined)
    expect(page).toMatchObject({ isOfficial: false, base: { templateId: official.templateId, isOfficial: true } })
    expect(page.diff.map((d) => (d.kind === 'field' ? d.field : `${d.kind}:${d.change}`))).toEqual(
      expect.arrayContaining(['constructionDays', 'price', 'standard:added', 'milestone:removed', 'milestone:changed']),
    )
    const officialPage = await getTemplatePage(db(), null, official.templateId, undefined)
    expect(officialPage).toMatchObject({ isOfficial: true, title: '扬州市智能化改造标准合同（示范文本）', diff: [] })
  })
})
