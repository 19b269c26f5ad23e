import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { SelectField } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { VOUCHER_STATUSES } from '~/domain/vouchers/values.js'
import { getVouchersPage } from '~/domain/vouchers/vouchers.server.js'
import { ZVouchersQuery } from '~/domain/vouchers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 服务券 (issue 16 §5): an agency sees the vouchers of its jurisdiction and its schemes
 * (with this year's budget committed and left); an enterprise, a provider or a 监理机构
 * sees the vouchers it is a side of, with how many wait for it.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'vouchers.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json({
      ...(await getVouchersPage(db, actor, parseQuery(ZVouchersQuery, args.request))),
      orgKind: actor.org?.kind ?? null,
    })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Row = Data['vouchers'][number]
type Scheme = Data['schemes'][number]

export default function VouchersPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const columns: Column<Row>[] = [
    {
      id: 'voucher',
      header: t('vouchers.col.voucher'),
      role: 'primary',
      cell: (v) => (
        <Link to={`/vouchers/${v.id}`}>
          {t('vouchers.number', { id: v.id })} · <span data-i18n-data>{v.contractTitle}</span>
        </Link>
      ),
    },
    { id: 'enterprise', header: t('vouchers.col.enterprise'), cell: (v) => <span data-i18n-data>{v.enterpriseName}</span> },
    { id: 'provider', header: t('vouchers.col.provider'), cell: (v) => <span data-i18n-data>{v.providerName}</span> },
    { id: 'scheme', header: t('vouchers.col.scheme'), cell: (v) => <span data-i18n-data>{v.schemeName}</span> },
    {
      id: 'amount',
      header: t('vouchers.col.amount'),
      cell: (v) => (
        <>
          {t('vouchers.wan', { amount: v.amountWan })}
          {v.releasedWan !== null ? ` · ${t('vouchers.releasedShort', { amount: v.releasedWan })}` : ''}
        </>
      ),
    },
    {
      id: 'status',
      header: t('vouchers.col.status'),
      cell: (v) => <span className={`badge badge-voucher-${v.status}`}>{t(`vouchers.status.${v.status}`)}</span>,
    },
  ]
  const schemeColumns: Column<Scheme>[] = [
    {
      id: 'name',
      header: t('vouchers.scheme.name'),
      role: 'primary',
      cell: (s) => (
        <>
          <span data-i18n-data>{s.name}</span>
          {s.current ? null : ` · ${t('vouchers.scheme.notCurrent')}`}
        </>
      ),
    },
    { id: 'document', header: t('vouchers.scheme.document'), cell: (s) => <span data-i18n-data>{s.document}</span> },
    { id: 'valid', header: t('vouchers.scheme.valid'), cell: (s) => `${s.validFrom} – ${s.validTo}` },
    {
      id: 'budget',
      header: t('vouchers.scheme.budgetYear'),
      cell: (s) => t('vouchers.scheme.budgetText', { budget: s.budgetWan, committed: s.committedWan, left: s.leftWan }),
    },
    {
      id: 'caps',
      header: t('vouchers.scheme.caps'),
      cell: (s) => t('vouchers.scheme.capsText', { share: s.maxSharePct, max: s.maxPerWan }),
    },
    { id: 'count', header: t('vouchers.scheme.count'), cell: (s) => s.vouchers },
  ]
  return (
    <>
      {data.view === 'agency' ? <AgencyWorkspaceNav /> : data.orgKind === 'enterprise' ? <EnterpriseWorkspaceNav /> : null}
      <header className="page-head">
        <h1>{t('vouchers.title')}</h1>
        <p className="muted">{t(data.view === 'agency' ? 'vouchers.leadAgency' : 'vouchers.leadParty')}</p>
      </header>
      {data.waiting > 0 ? (
        <p className="notice">
          {data.view === 'agency' ? (
            <Link to="?status=confirmed">{t('vouchers.waitingAgency', { count: data.waiting })}</Link>
          ) : (
            t('vouchers.waiting', { count: data.waiting })
          )}
        </p>
      ) : null}

      {data.view === 'agency' ? (
        <section className="section" aria-labelledby="schemes-title">
          <h2 id="schemes-title">{t('vouchers.schemes')}</h2>
          {data.mayManage ? (
            <p className="actions">
              <Link to="/vouchers/schemes/new" className="button button-secondary">
                {t('vouchers.scheme.new')}
              </Link>
              {data.schemes.some((s) => s.current) ? (
                <Link to="/vouchers/new" className="button">
                  {t('vouchers.issue.title')}
                </Link>
              ) : null}
            </p>
          ) : (
            <p className="notice">{t('vouchers.viewerNote')}</p>
          )}
          <DataTable
            caption={t('vouchers.schemes')}
            columns={schemeColumns}
            rows={data.schemes}
            rowKey={(s) => s.id}
            empty={<p className="empty-state">{t('vouchers.scheme.empty')}</p>}
          />
        </section>
      ) : null}

      <section className="section" aria-labelledby="list-title">
        <h2 id="list-title">{t('vouchers.list')}</h2>
        <Form method="get" className="form-inline">
          <SelectField id="status" name="status" label={t('vouchers.col.status')} defaultValue={data.status ?? ''}>
            <option value="">{t('vouchers.allStatuses')}</option>
            {VOUCHER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`vouchers.status.${s}`)}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button type="submit" className="button-secondary">
              {t('vouchers.filter')}
            </button>
          </div>
        </Form>
        <DataTable
          caption={t('vouchers.list')}
          columns={columns}
          rows={data.vouchers}
          rowKey={(v) => v.id}
          empty={<p className="empty-state">{t(data.view === 'agency' ? 'vouchers.emptyAgency' : 'vouchers.emptyParty')}</p>}
        />
        <Pagination page={data.page} pageCount={data.pageCount} />
      </section>
    </>
  )
}
