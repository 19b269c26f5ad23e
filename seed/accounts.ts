import type { Database } from '../db/connection.js'
import { hashPassword } from '../app/domain/accounts/password.server.js'
import type { OrgKind, OrgStatus } from '../db/enums.js'

/** One password for every demo account, so a visitor can try each role at once. */
export const DEMO_PASSWORD = 'Duijie@demo2026'

export interface DemoAccount {
  role: string
  name: string
  phone: string
  orgName: string
}

interface Pick {
  role: string
  name: string
  phone: string
  /** Which organisation: kind, status, region prefix, and how many matches to skip. */
  kind: OrgKind
  status: OrgStatus
  regionPrefix: string
  agencyRegion?: string
  skip?: number
}

const PICKS: Pick[] = [
  {
    role: '企业 A（扬州，已认证）',
    name: '陈晓东',
    phone: '13900000001',
    kind: 'enterprise',
    status: 'verified',
    regionPrefix: '3210',
  },
  {
    role: '企业 B（扬州，已认证）',
    name: '刘雅琴',
    phone: '13900000002',
    kind: 'enterprise',
    status: 'verified',
    regionPrefix: '3210',
    skip: 1,
  },
  {
    role: '企业（扬州，待审核）',
    name: '孙志强',
    phone: '13900000003',
    kind: 'enterprise',
    status: 'pending',
    regionPrefix: '3210',
  },
  { role: '服务商 A（已认证）', name: '周明', phone: '13900000011', kind: 'provider', status: 'verified', regionPrefix: '32' },
  { role: '服务商 B（已认证）', name: '吴倩', phone: '13900000012', kind: 'provider', status: 'verified', regionPrefix: '62' },
  {
    role: '主管部门（扬州市工信局）',
    name: '郑国华',
    phone: '13900000021',
    kind: 'agency',
    status: 'verified',
    regionPrefix: '321000',
    agencyRegion: '321000',
  },
  {
    role: '主管部门（甘肃省工信厅）',
    name: '马建军',
    phone: '13900000022',
    kind: 'agency',
    status: 'verified',
    regionPrefix: '620000',
    agencyRegion: '620000',
  },
]

/**
 * Gives the demo organisations people to sign in as. Idempotent: an account that
 * exists already is left as it is.
 */
export async function createDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const hash = hashPassword(DEMO_PASSWORD)
  const now = new Date().toISOString()
  const accounts: DemoAccount[] = []
  for (const pick of PICKS) {
    const existing = await db
      .selectFrom('users as u')
      .leftJoin('memberships as m', 'm.user_id', 'u.id')
      .leftJoin('organisations as o', 'o.id', 'm.org_id')
      .select(['u.id', 'o.name as orgName'])
      .where('u.phone', '=', pick.phone)
      .executeTakeFirst()
    if (existing) {
      accounts.push({ role: pick.role, name: pick.name, phone: pick.phone, orgName: existing.orgName ?? '' })
      continue
    }
    let q = db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', pick.kind).where('status', '=', pick.status)
    q = pick.agencyRegion
      ? q.where('region_code', '=', pick.agencyRegion)
      : q.where('region_code', 'like', `${pick.regionPrefix}%`)
    const org = await q
      .orderBy('id')
      .offset(pick.skip ?? 0)
      .limit(1)
      .executeTakeFirst()
    if (!org) continue
    await db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({ name: pick.name, phone: pick.phone, password_hash: await hash, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('memberships').values({ user_id: user.id, org_id: org.id, role: 'owner', created_at: now }).execute()
    })
    accounts.push({ role: pick.role, name: pick.name, phone: pick.phone, orgName: org.name })
  }
  return accounts
}

export function printDemoAccounts(accounts: DemoAccount[]): void {
  if (!accounts.length) return
  console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`)
  // Role last: padding mixed-width Chinese text does not line up in a terminal.
  for (const a of accounts) console.log(`  ${a.phone}  ${a.orgName}  —  ${a.role}`)
}
