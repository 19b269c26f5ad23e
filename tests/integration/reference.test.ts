import { describe, expect, it } from 'vitest'
import { services } from '../../app/web/services.server.js'
import { loadReferenceData } from '../../seed/reference.js'

const db = () => services().db

async function snapshot() {
  const [regions, industries, scenarios] = await Promise.all([
    db().selectFrom('regions').selectAll().orderBy('code').execute(),
    db().selectFrom('industries').selectAll().orderBy('code').execute(),
    db().selectFrom('scenarios').selectAll().orderBy('code').execute(),
  ])
  return { regions, industries, scenarios }
}

describe('reference data', () => {
  it('loads idempotently: a second run changes nothing', async () => {
    const before = await snapshot()
    await loadReferenceData(db())
    expect(await snapshot()).toEqual(before)
  })

  it('has the regions the policy seeds name, with Yangzhou’s functional zones', async () => {
    const { regions } = await snapshot()
    const byCode = new Map(regions.map((r) => [r.code, r]))
    for (const [code, name] of [
      ['620000', '甘肃省'],
      ['620171', '兰州新区'],
      ['320000', '江苏省'],
      ['321000', '扬州市'],
      ['321023', '宝应县'],
      ['321084', '高邮市'],
      ['321081', '仪征市'],
      ['321012', '江都区'],
      ['321003', '邗江区'],
      ['321002', '广陵区'],
      ['330000', '浙江省'],
    ]) {
      expect(byCode.get(code!)?.name, code).toBe(name)
    }
    expect(byCode.get('321084')).toMatchObject({ level: 'county', parent_code: '321000' })
    expect(byCode.get('321071')).toMatchObject({ name: '扬州经济技术开发区', level: 'zone', parent_code: '321000' })
    expect(byCode.get('3210Z1')).toMatchObject({ name: '扬州市生态科技新城', level: 'zone', parent_code: '321000' })
  })

  it('has the 31 manufacturing divisions and the scenarios of the five links', async () => {
    const { industries, scenarios } = await snapshot()
    expect(industries.map((i) => i.code)).toEqual(Array.from({ length: 31 }, (_, i) => `C${13 + i}`))
    expect(JSON.parse(industries.find((i) => i.code === 'C36')!.tags)).toContain('汽车及零部件')
    expect(new Set(scenarios.map((s) => s.link))).toEqual(
      new Set(['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt']),
    )
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['数字孪生工厂', '智能在线检测', '故障诊断与预测性维护']))
  })
})
