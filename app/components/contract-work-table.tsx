import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { DataTable, type Column } from '~/components/data-table.js'
import type { NextAction } from '~/domain/workspaces/tabs.js'
import { useT } from '~/i18n/use-t.js'

/*
 * The workspaces' contract list (我的项目, 我的合同, 监理项目, 合同监管): one row per
 * contract with its parties, amount, milestone progress, late milestones and open
 * disputes, and its next action as a link. Cards on phones (DataTable).
 */

export interface ContractWorkRowView {
  id: number
  title: string
  status: 'draft' | 'active' | 'completed' | 'terminated'
  enterpriseName: string
  providerName: string
  supervisorName: string | null
  regionName: string
  amountWan: string
  milestonesTotal: number
  milestonesAccepted: number
  lateMilestones: number
  openDisputes: number
  next: { action: NextAction; href: string }
}

type Party = 'enterprise' | 'provider' | 'supervisor' | 'region'

export function NextStepLink({
  next,
  title,
  supervisor,
}: {
  next: { action: NextAction; href: string }
  title: string
  supervisor?: boolean
}) {
  const t = useT()
  const label = next.action === 'review' && supervisor ? t('workspaces.next.audit') : t(`workspaces.next.${next.action}`)
  return (
    <Link
      to={next.href}
      className={next.action === 'view' || next.action === 'waitConfirm' ? undefined : 'button small'}
      aria-label={t('workspaces.nextLabel', { action: label, title })}
    >
      {label}
    </Link>
  )
}

export function ContractWorkTable({
  caption,
  rows,
  show,
  empty,
  supervisor,
}: {
  caption: string
  rows: readonly ContractWorkRowView[]
  /** The parties shown (the page's own side is left out). */
  show: readonly Party[]
  empty: ReactNode
  supervisor?: boolean
}) {
  const t = useT()
  const columns: Column<ContractWorkRowView>[] = [
    {
      id: 'contract',
      header: t('workspaces.col.contract'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/contracts/${r.id}`} data-i18n-data>
          {r.title}
        </Link>
      ),
    },
  ]
  if (show.includes('enterprise')) {
    columns.push({
      id: 'enterprise',
      header: t('workspaces.col.enterprise'),
      cell: (r) => <span data-i18n-data>{r.enterpriseName}</span>,
    })
  }
  if (show.includes('provider')) {
    columns.push({
      id: 'provider',
      header: t('workspaces.col.provider'),
      cell: (r) => <span data-i18n-data>{r.providerName}</span>,
    })
  }
  if (show.includes('supervisor')) {
    columns.push({
      id: 'supervisor',
      header: t('workspaces.col.supervisor'),
      cell: (r) => (r.supervisorName ? <span data-i18n-data>{r.supervisorName}</span> : t('workspaces.noSupervisor')),
    })
  }
  if (show.includes('region')) {
    columns.push({ id: 'region', header: t('workspaces.col.region'), cell: (r) => <span data-i18n-data>{r.regionName}</span> })
  }
  columns.push(
    { id: 'amount', header: t('workspaces.col.amount'), cell: (r) => r.amountWan },
    {
      id: 'status',
      header: t('workspaces.col.status'),
      cell: (r) => <span className={`badge badge-contract-${r.status}`}>{t(`workspaces.status.${r.status}`)}</span>,
    },
    {
      id: 'progress',
      header: t('workspaces.col.progress'),
      cell: (r) => (
        <>
          {t('workspaces.progressValue', { accepted: r.milestonesAccepted, total: r.milestonesTotal })}
          {r.lateMilestones > 0 ? (
            <>
              {' '}
              <span className="badge badge-warn">{t('workspaces.late', { count: r.lateMilestones })}</span>
            </>
          ) : null}
          {r.openDisputes > 0 ? (
            <>
              {' '}
              <span className="badge badge-warn">{t('workspaces.disputes', { count: r.openDisputes })}</span>
            </>
          ) : null}
        </>
      ),
    },
    {
      id: 'next',
      header: t('workspaces.col.next'),
      role: 'action',
      cell: (r) => <NextStepLink next={r.next} title={r.title} supervisor={supervisor} />,
    },
  )
  return <DataTable caption={caption} columns={columns} rows={rows} rowKey={(r) => r.id} empty={empty} />
}
