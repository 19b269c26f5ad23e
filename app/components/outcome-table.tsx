import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { DataTable } from '~/components/data-table.js'
import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'
import { formatNumber, wanText } from '~/utils/format.js'

/** An event's outcome as the outcomes pages show it (app/domain/dashboard/outcomes.server.ts counts it). */
export interface OutcomeNumbers {
  needs: number
  providers: number
  meetings: number
  meetingIntents: number
  intents: number
  intentAmountWanX100: number
  contracts: number
  contractAmountWanX100: number
}

export const OUTCOME_COLUMNS: Array<{ id: keyof OutcomeNumbers; header: MessageKey; money?: boolean }> = [
  { id: 'needs', header: 'dashboard.outcome.needs' },
  { id: 'providers', header: 'dashboard.outcome.providers' },
  { id: 'meetings', header: 'dashboard.outcome.meetings' },
  { id: 'meetingIntents', header: 'dashboard.outcome.meetingIntents' },
  { id: 'intents', header: 'dashboard.outcome.intents' },
  { id: 'intentAmountWanX100', header: 'dashboard.outcome.intentAmount', money: true },
  { id: 'contracts', header: 'dashboard.outcome.contracts' },
  { id: 'contractAmountWanX100', header: 'dashboard.outcome.contractAmount', money: true },
]

/** Events with their outcome, one row each, the title linking to the event's outcome page. */
export function OutcomeEventsTable({
  caption,
  rows,
  empty,
}: {
  caption: string
  rows: Array<{ id: number; title: string; stage: string; startsOn: string; endsOn: string; outcome: OutcomeNumbers }>
  empty?: ReactNode
}) {
  const t = useT()
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(r) => r.id}
      empty={empty}
      columns={[
        {
          id: 'title',
          header: t('dashboard.outcome.event'),
          role: 'primary',
          cell: (r) => (
            <Link to={`/agency/events/${r.id}/outcomes`} data-i18n-data>
              {r.title}
            </Link>
          ),
        },
        {
          id: 'dates',
          header: t('dashboard.outcome.dates'),
          cell: (r) => t('dashboard.outcome.dateRange', { from: r.startsOn, to: r.endsOn }),
        },
        { id: 'stage', header: t('dashboard.outcome.stage'), cell: (r) => t(`events.stage.${r.stage}` as MessageKey) },
        ...OUTCOME_COLUMNS.map((c) => ({
          id: c.id,
          header: t(c.header),
          cell: (r: { outcome: OutcomeNumbers }) => (c.money ? wanText(r.outcome[c.id]) : formatNumber(r.outcome[c.id])),
        })),
      ]}
    />
  )
}
