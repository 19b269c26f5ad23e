import type { Database } from '../db/connection.js'
import type { OrgKind, OrgStatus } from '../db/enums.js'
import type { ProviderKind } from '../app/domain/orgs/schema.js'
import { DEMO_EXPERT, listDemoExpert } from './experts.js'

/*
 * The demo accounts: who they are and which demo organisation each owns. They are
 * created together with the demo organisations (seed/demo-writer.ts), marked as demo,
 * and never attached to anything else.
 */

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
  /** Providers: one of its kinds (the diagnoser is a 诊断咨询机构). */
  providerKind?: ProviderKind
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
    role: '企业 C（甘肃，已认证）',
    name: '马晓梅',
    phone: '13900000004',
    kind: 'enterprise',
    status: 'verified',
    regionPrefix: '62',
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
    role: '诊断咨询机构（已认证）',
    name: '钱立新',
    phone: '13900000013',
    kind: 'provider',
    status: 'verified',
    regionPrefix: '32',
    providerKind: 'consultancy',
  },
  {
    role: '监理机构（已认证）',
    name: '黄振宇',
    phone: '13900000014',
    kind: 'provider',
    status: 'verified',
    regionPrefix: '32',
    providerKind: 'supervisor',
  },
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

/** A demo account as planned: who, and which of the plan's organisations (by index) they own. */
export interface DemoAccountPlan {
  role: string
  name: string
  phone: string
  /** Index into the plan's organisations. */
  orgIndex: number
}

/**
 * Which demo organisation each demo account owns: the first (after `skip`) of the
 * generated organisations of its kind, status and region, in generation order. Pure:
 * it only looks at what the generator made, never at the database, so a demo account
 * can only ever belong to a demo organisation.
 */
export function pickDemoAccounts(
  organisations: readonly { kind: OrgKind; status: OrgStatus; regionCode: string; providerKinds?: readonly ProviderKind[] }[],
): DemoAccountPlan[] {
  // An organisation another account owns already is passed over (each account its own).
  const used = new Set<number>()
  return PICKS.flatMap((pick) => {
    const matches = organisations
      .map((o, index) => ({ o, index }))
      .filter(
        ({ o }) =>
          o.kind === pick.kind &&
          o.status === pick.status &&
          (!pick.providerKind || (o.providerKinds ?? []).includes(pick.providerKind)) &&
          (pick.agencyRegion ? o.regionCode === pick.agencyRegion : o.regionCode.startsWith(pick.regionPrefix)),
      )
    const match = matches.slice(pick.skip ?? 0).find(({ index }) => !used.has(index))
    if (match) used.add(match.index)
    return match ? [{ role: pick.role, name: pick.name, phone: pick.phone, orgIndex: match.index }] : []
  })
}

/** The phones demo accounts use, the demo expert's too (a real person's account with one of them is left alone). */
export const DEMO_PHONES: readonly string[] = [...PICKS.map((p) => p.phone), DEMO_EXPERT]

/** The demo accounts a database holds (after a restart, to print them again). */
export async function listDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['u.name', 'u.phone', 'o.name as orgName'])
    .where('u.is_demo', '=', 1)
    .where('o.is_demo', '=', 1)
    // The demo enterprises' owners the diagnoses name (no login) are not demo accounts.
    .where('u.phone', 'in', [...DEMO_PHONES])
    .orderBy('u.phone')
    .execute()
  const roles = new Map(PICKS.map((p) => [p.phone, p.role]))
  const owners = rows.map((r) => ({
    role: roles.get(r.phone ?? '') ?? '',
    name: r.name,
    phone: r.phone ?? '',
    orgName: r.orgName,
  }))
  // The demo expert belongs to no organisation: listed by the library that holds them.
  return [...owners, ...(await listDemoExpert(db))]
}

export function printDemoAccounts(accounts: DemoAccount[], log: (line: string) => void = console.log): void {
  if (!accounts.length) return
  log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`)
  // Role last: padding mixed-width Chinese text does not line up in a terminal.
  for (const a of accounts) log(`  ${a.phone}  ${a.orgName}  —  ${a.role}`)
}
