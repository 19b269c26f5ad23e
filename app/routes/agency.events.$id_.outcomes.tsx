import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DashboardChart } from '~/components/dashboard-chart.js'
import { DataTable } from '~/components/data-table.js'
import { OUTCOME_COLUMNS } from '~/components/outcome-table.js'
import { eventOutcomes } from '~/domain/dashboard/outcomes.server.js'
import { ZIdParams } from '~/domain/shared/schema.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import dashboardStyles from '~/styles/dashboard.css'
import { formatNumber, wanText } from '~/utils/format.js'
import { parseParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 对接成效 of one event (issue 15 §3): the funnel from the batch to contracts — listed
 * needs, approved providers, meetings, intents, contracts within 180 days of the event's
 * end and their amounts — and per listed need its intents and contracts. The organiser
 * and agencies over the event's region read it.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'dashboard.event.title')
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: dashboardStyles }]

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json(await eventOutcomes(db, actor, id, await getLocale(args.request)))
  })
}

const FUNNEL = ['needs', 'providers', 'meetings', 'intents', 'contracts'] as const

export default function EventOutcomesPage() {
  const { event, needs } = useLoaderData<typeof loader>()
  const t = useT()
  const o = event.outcome
  const option = useMemo(
    () => ({
      color: ['#1554b8'],
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: FUNNEL.map((k) => t(`dashboard.outcome.${k}`)) },
      series: [
        {
          type: 'bar',
          name: t('dashboard.event.count'),
          data: FUNNEL.map((k) => o[k]),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [o, t],
  )

  return (
    <>
      <AgencyWorkspaceNav />
      <header className="page-head">
        <p>
          <Link to={`/agency/events/${event.id}`}>{t('dashboard.event.back')}</Link>
        </p>
        <h1>
          {t('dashboard.event.title')}
          <span className="visually-hidden">: </span>
          <small className="muted" data-i18n-data>
            {' '}
            {event.title}
          </small>
        </h1>
        <p className="muted" data-i18n-data>
          {t('dashboard.event.lead', {
            region: event.regionName,
            from: event.startsOn,
            to: event.endsOn,
            stage: t(`events.stage.${event.stage}`),
          })}
        </p>
      </header>
      <p className="muted">{t('dashboard.event.rule', { until: event.windowEndsOn })}</p>

      <dl className="dash-summary" data-testid="event-outcome">
        {OUTCOME_COLUMNS.map((c) => (
          <div key={c.id}>
            <dt>{t(c.header)}</dt>
            <dd data-testid={`outcome-${c.id}`}>
              {c.money ? t('dashboard.wan', { amount: wanText(o[c.id]) }) : formatNumber(o[c.id])}
            </dd>
          </div>
        ))}
      </dl>

      <section className="dash-section" aria-labelledby="ev-funnel">
        <h2 id="ev-funnel">{t('dashboard.event.funnel')}</h2>
        <DashboardChart option={option} label={t('dashboard.event.funnelLabel', { title: event.title })} height={240} />
        <DataTable
          caption={t('dashboard.event.funnel')}
          rows={FUNNEL.map((k) => ({ key: k, count: o[k] }))}
          rowKey={(r) => r.key}
          columns={[
            { id: 'what', header: t('dashboard.event.what'), role: 'primary', cell: (r) => t(`dashboard.outcome.${r.key}`) },
            { id: 'count', header: t('dashboard.event.count'), cell: (r) => formatNumber(r.count) },
          ]}
        />
      </section>

      <section className="dash-section" aria-labelledby="ev-needs">
        <h2 id="ev-needs">{t('dashboard.event.needs')}</h2>
        <DataTable
          caption={t('dashboard.event.needs')}
          rows={needs}
          rowKey={(r) => r.needId}
          empty={
            <div className="empty-state">
              <p>{t('dashboard.event.needsEmpty')}</p>
              <p className="empty-actions">
                <Link to={`/agency/events/${event.id}/needs`}>{t('dashboard.event.needsEmptyAction')}</Link>
              </p>
            </div>
          }
          columns={[
            {
              id: 'need',
              header: t('dashboard.event.need'),
              role: 'primary',
              cell: (r) => (
                <Link to={`/needs/${r.needId}`} data-i18n-data>
                  {r.title}
                </Link>
              ),
            },
            {
              id: 'enterprise',
              header: t('dashboard.event.enterprise'),
              cell: (r) => <span data-i18n-data>{r.enterpriseName}</span>,
            },
            {
              id: 'intents',
              header: t('dashboard.outcome.intents'),
              cell: (r) =>
                r.intents.length === 0 ? (
                  t('dashboard.event.none')
                ) : (
                  <ul className="dash-list">
                    {r.intents.map((i, n) => (
                      <li key={n} data-i18n-data>
                        {t('dashboard.event.intentLine', {
                          provider: i.providerName,
                          amount: wanText(i.amountWanX100),
                          date: i.signedOn,
                        })}
                      </li>
                    ))}
                  </ul>
                ),
            },
            {
              id: 'contracts',
              header: t('dashboard.outcome.contracts'),
              cell: (r) =>
                r.contracts.length === 0 ? (
                  t('dashboard.event.none')
                ) : (
                  <ul className="dash-list">
                    {r.contracts.map((c) => (
                      <li key={c.id}>
                        <Link to={`/contracts/${c.id}`} data-i18n-data>
                          {t('dashboard.event.contractLine', {
                            provider: c.providerName,
                            amount: wanText(c.amountWanX100),
                            status: t(`contracts.status.${c.status}`),
                          })}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ),
            },
          ]}
        />
      </section>
    </>
  )
}
