import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { getContractPrint } from '~/domain/contracts/contracts.server.js'
import { translator } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import contractStyles from '~/styles/contracts.css'
import { formatDateTime } from '~/utils/format.js'
import { parseParams, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 合同打印 (issue 14 §3): the contract as the parties sign it, on A4 (@page in
 * contracts.css): parties, terms numbered 第一条 …, milestones, and the 电子确认 of each
 * side (person and time). The document is Chinese whatever the reader's language (the
 * page says so in the reader's language, above it, on screen only); every reader of the
 * contract may print it.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contractStyles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'contracts.print.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    return json({ doc: await getContractPrint(db, actor, id) })
  })
}

/** The contract's own language. */
const zh = translator('zh-CN')
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

function Clause({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <section className="clause" aria-labelledby={`clause-${n}`}>
      <h2 id={`clause-${n}`}>
        {zh('contracts.doc.clauseNo', { n: NUMERALS[n - 1] ?? n })} {title}
      </h2>
      {children}
    </section>
  )
}

export default function ContractPrintPage() {
  const { doc } = useLoaderData<typeof loader>()
  const t = useT()
  const terms = doc.terms
  const party = (label: string, p: typeof doc.enterprise) => (
    <section aria-label={label}>
      <h3>{label}</h3>
      <p data-i18n-data>{p.name}</p>
      <p>
        {zh('contracts.doc.confirmedBy')}
        {p.confirmedAt ? (
          <span data-i18n-data>
            {p.confirmedBy ?? '—'} · {formatDateTime(p.confirmedAt)}
          </span>
        ) : (
          zh('contracts.doc.notConfirmed')
        )}
      </p>
    </section>
  )
  return (
    <div className="contract-print">
      <div className="no-print">
        <p>
          <Link to={`/contracts/${doc.id}`}>← {t('contracts.print.back')}</Link>
        </p>
        <p className="notice">{t('contracts.print.zhNotice')}</p>
        {doc.status === 'draft' ? <p className="notice notice-warn">{t('contracts.print.draftNotice')}</p> : null}
        <p>
          <button type="button" className="button-secondary" onClick={() => window.print()}>
            {t('contracts.print.print')}
          </button>
        </p>
      </div>
      <article className="contract-document" lang="zh-CN" aria-labelledby="doc-title">
        <header>
          <h1 id="doc-title" data-i18n-data>
            {doc.title}
          </h1>
          <p className="contract-meta">
            {zh('contracts.doc.meta', { id: doc.id, revision: doc.revision })}
            {doc.status === 'draft' ? ` · ${zh('contracts.doc.draft')}` : ''}
          </p>
        </header>
        <table>
          <tbody>
            <tr>
              <th scope="row">{zh('contracts.doc.partyA')}</th>
              <td data-i18n-data>
                {doc.enterprise.name}
                {doc.enterprise.uscc ? `（${zh('contracts.doc.uscc')}${doc.enterprise.uscc}）` : ''} · {doc.enterprise.regionName}
              </td>
            </tr>
            <tr>
              <th scope="row">{zh('contracts.doc.partyB')}</th>
              <td data-i18n-data>
                {doc.provider.name}
                {doc.provider.uscc ? `（${zh('contracts.doc.uscc')}${doc.provider.uscc}）` : ''} · {doc.provider.regionName}
                {doc.provider.consortiumName ? ` · ${zh('contracts.doc.consortium', { name: doc.provider.consortiumName })}` : ''}
              </td>
            </tr>
            {doc.supervisor ? (
              <tr>
                <th scope="row">{zh('contracts.doc.supervisor')}</th>
                <td data-i18n-data>{doc.supervisor.name}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{zh('contracts.doc.project')}</th>
              <td data-i18n-data>{doc.needTitle}</td>
            </tr>
          </tbody>
        </table>

        <Clause n={1} title={zh('contracts.doc.amountTitle')}>
          <p>{zh('contracts.doc.amount', { amount: doc.amountWan })}</p>
        </Clause>
        <Clause n={2} title={zh('contracts.doc.periodTitle')}>
          <p>
            {zh('contracts.doc.period', {
              start: terms.startDate ?? '—',
              end: terms.endDate ?? '—',
              days: terms.constructionDays,
            })}
          </p>
        </Clause>
        <Clause n={3} title={zh('contracts.doc.standardsTitle')}>
          {terms.technicalStandards.length > 0 ? (
            <ul className="plain-list">
              {terms.technicalStandards.map((s) => (
                <li key={s} data-i18n-data>
                  {s}
                </li>
              ))}
            </ul>
          ) : (
            <p>{zh('contracts.doc.standardsNone')}</p>
          )}
        </Clause>
        <Clause n={4} title={zh('contracts.doc.acceptanceTitle')}>
          <p className="prewrap" data-i18n-data>
            {terms.acceptanceStandards}
          </p>
        </Clause>
        <Clause n={5} title={zh('contracts.doc.qualityTitle')}>
          <p className="prewrap" data-i18n-data>
            {terms.qualityTerms || zh('contracts.doc.qualityNone')}
          </p>
          <p>{zh('contracts.doc.warranty', { months: terms.warrantyMonths })}</p>
        </Clause>
        <Clause n={6} title={zh('contracts.doc.milestonesTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{zh('contracts.milestones.seq')}</th>
                <th scope="col">{zh('contracts.milestones.name')}</th>
                <th scope="col">{zh('contracts.milestones.percent')}</th>
                <th scope="col">{zh('contracts.milestones.amount')}</th>
                <th scope="col">{zh('contracts.milestones.due')}</th>
                <th scope="col">{zh('contracts.milestones.criteria')}</th>
              </tr>
            </thead>
            <tbody>
              {doc.milestones.map((m) => (
                <tr key={m.id}>
                  <td>{m.seq}</td>
                  <td data-i18n-data>{m.name}</td>
                  <td>{m.percent}%</td>
                  <td>{zh('contracts.money.wan', { amount: m.amountWan })}</td>
                  <td>{m.dueDate}</td>
                  <td data-i18n-data>{m.criteria}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Clause>
        <Clause n={7} title={zh('contracts.doc.disputeTitle')}>
          <p className="prewrap" data-i18n-data>
            {terms.disputeClause}
          </p>
        </Clause>

        <div className="contract-signatures">
          {party(zh('contracts.doc.confirmA'), doc.enterprise)}
          {party(zh('contracts.doc.confirmB'), doc.provider)}
        </div>
        <p className="contract-meta small">
          {zh('contracts.doc.electronic')}
          {doc.activatedAt ? ` ${zh('contracts.doc.activatedAt', { at: formatDateTime(doc.activatedAt) })}` : ''}
          {` ${zh('contracts.doc.printedAt', { at: formatDateTime(doc.printedAt) })}`}
        </p>
      </article>
    </div>
  )
}
