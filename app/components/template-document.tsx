import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import {
  describePrice,
  type TemplateDetail,
  type TemplateDiffEntry,
  type TemplateListItem,
  type TemplateVersionView,
} from '~/domain/providers/template-views.js'
import { translator } from '~/i18n/index.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'
import type { Column } from './data-table.js'

/*
 * A contract template as a document: its clauses numbered 第一条 … as a contract reads,
 * on screen and on paper (A4, app/styles/templates.css), with a signing block that only
 * the printout shows. The document is Chinese whatever the reader's language (it is
 * what the parties sign; its clauses are Chinese text anyway), marked lang="zh-CN"; the
 * page around it follows the reader. And what a derived template changed from its base.
 */

/** The contract's own language. */
const zh = translator('zh-CN')
/** Clauses are numbered as Chinese contracts number them: 第一条 … 第十条. */
const CLAUSE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

/** The price of a version or list item in the reader's language. */
export function usePrice() {
  const t = useT()
  const locale = useLocale()
  return (p: Pick<TemplateListItem, 'priceModel' | 'priceMinWan' | 'priceMaxWan'>) => describePrice(t, locale, p)
}

/** 官方范本 / 已归档 badges. */
export function TemplateBadges({ isOfficial, archived }: { isOfficial: boolean; archived: boolean }) {
  const t = useT()
  return (
    <>
      {isOfficial ? <span className="badge badge-official">{t('template.official')}</span> : null}
      {archived ? <span className="badge badge-archived">{t('template.archived')}</span> : null}
    </>
  )
}

function Clause({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  const t = zh
  return (
    <section className="clause" aria-labelledby={`clause-${n}`}>
      <h2 id={`clause-${n}`}>
        <span className="clause-no">{t('template.doc.clauseNo', { n: CLAUSE_NUMERALS[n - 1] ?? n })}</span> {title}
      </h2>
      {children}
    </section>
  )
}

/** The shown version of a template, as a contract. */
export function TemplateDocument({ template }: { template: TemplateDetail }) {
  const t = zh
  const price = (p: TemplateVersionView) => describePrice(zh, 'zh-CN', p)
  const v: TemplateVersionView = template.shown
  const sum = v.milestones.reduce((total, m) => total + m.percent, 0)
  return (
    <article className="contract-document" aria-labelledby="template-title" lang="zh-CN">
      <header className="contract-head">
        <h1 id="template-title" data-i18n-data>
          {template.title}
        </h1>
        <p className="contract-meta">
          {t('template.doc.issuer')}
          <span data-i18n-data>{template.orgName}</span>
          {' · '}
          {t('template.doc.version', { version: v.version })}
          {' · '}
          {formatDate(v.createdAt)}
        </p>
        <dl className="contract-parties print-only">
          <div>
            <dt>{t('template.doc.partyA')}</dt>
            <dd />
          </div>
          <div>
            <dt>{t('template.doc.partyB')}</dt>
            <dd />
          </div>
          <div>
            <dt>{t('template.doc.contractNo')}</dt>
            <dd />
          </div>
        </dl>
      </header>
      <Clause n={1} title={t('template.doc.scope')}>
        <dl className="facts contract-facts">
          <div>
            <dt>{t('template.field.industry')}</dt>
            <dd data-i18n-data>{template.industryName ?? t('template.industry.any')}</dd>
          </div>
          <div>
            <dt>{t('template.field.scenarios')}</dt>
            <dd data-i18n-data>{template.scenarios.map((s) => s.name).join(t('list.separator'))}</dd>
          </div>
        </dl>
      </Clause>
      <Clause n={2} title={t('template.diffField.constructionDays')}>
        <p>{t('template.doc.constructionDays', { days: v.constructionDays })}</p>
      </Clause>
      <Clause n={3} title={t('template.field.technicalStandards')}>
        <ul className="contract-standards">
          {v.technicalStandards.map((s) => (
            <li key={s} data-i18n-data>
              {s}
            </li>
          ))}
        </ul>
      </Clause>
      <Clause n={4} title={t('template.field.acceptanceStandards')}>
        <p className="contract-text" data-i18n-data>
          {v.acceptanceStandards}
        </p>
      </Clause>
      <Clause n={5} title={t('template.doc.quality')}>
        {v.qualityTerms ? (
          <p className="contract-text" data-i18n-data>
            {v.qualityTerms}
          </p>
        ) : null}
        <p>{t('template.doc.warranty', { months: v.warrantyMonths })}</p>
      </Clause>
      <Clause n={6} title={t('template.field.price')}>
        <p>
          {v.priceModel === 'quote'
            ? t('template.doc.priceQuote')
            : t('template.doc.price', { model: t(`template.priceModel.${v.priceModel}`), price: price(v) })}
        </p>
      </Clause>
      <Clause n={7} title={t('template.field.milestones')}>
        <div className="table-wrap">
          <table className="data contract-milestones">
            <caption className="visually-hidden">{t('template.field.milestones')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('template.milestone.no')}</th>
                <th scope="col">{t('template.milestone.name')}</th>
                <th scope="col">{t('template.milestone.percent')}</th>
                <th scope="col">{t('template.milestone.criteria')}</th>
              </tr>
            </thead>
            <tbody>
              {v.milestones.map((m, i) => (
                <tr key={m.name}>
                  <td>{i + 1}</td>
                  <td data-i18n-data>{m.name}</td>
                  <td>{m.percent}%</td>
                  <td data-i18n-data>{m.criteria}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('template.milestone.total')}
                </th>
                <td>{sum}%</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </Clause>
      <Clause n={8} title={t('template.field.disputeClause')}>
        <p className="contract-text" data-i18n-data>
          {v.disputeClause}
        </p>
      </Clause>
      <div className="contract-signatures print-only">
        <p>{t('template.doc.signA')}</p>
        <p>{t('template.doc.signB')}</p>
        <p>{t('template.doc.signDate')}</p>
        <p>{t('template.doc.signDate')}</p>
      </div>
    </article>
  )
}

/** What a derived template changed from its base: fields, then standards, then milestones. */
export function TemplateDiff({ template }: { template: TemplateDetail }) {
  const t = useT()
  const base = template.base
  if (!base) return null
  const baseLink = (
    <Link to={`/templates/${base.templateId}?version=${base.version}`} data-i18n-data>
      {base.title}
    </Link>
  )
  return (
    <section className="card section template-diff no-print" aria-labelledby="diff-title">
      <h2 id="diff-title">{t('template.diff.title')}</h2>
      <p>
        {t('template.diff.base')} {baseLink} {t('template.doc.version', { version: base.version })}
        {base.isOfficial ? <span className="badge badge-official">{t('template.official')}</span> : null}
        {base.archived ? <span className="badge badge-archived">{t('template.archived')}</span> : null}
      </p>
      {template.diff.length === 0 ? (
        <p className="muted">{t('template.diff.none')}</p>
      ) : (
        <ul className="diff-list">
          {template.diff.map((d, i) => (
            <DiffItem key={i} entry={d} />
          ))}
        </ul>
      )}
    </section>
  )
}

function DiffItem({ entry }: { entry: TemplateDiffEntry }) {
  const t = useT()
  if (entry.kind === 'field') {
    return (
      <li className="diff-field">
        <strong>{t(`template.diffField.${entry.field}`)}</strong>
        <span className="diff-before">
          <span className="visually-hidden">{t('template.diff.before')}</span>
          <del data-i18n-data>{entry.before || t('template.diff.empty')}</del>
        </span>
        <span className="diff-arrow" aria-hidden="true">
          →
        </span>
        <span className="diff-after">
          <span className="visually-hidden">{t('template.diff.after')}</span>
          <ins data-i18n-data>{entry.after || t('template.diff.empty')}</ins>
        </span>
      </li>
    )
  }
  const what = entry.kind === 'standard' ? t('template.diff.standard') : t('template.diff.milestone')
  const label = t(`template.diff.${entry.change}`)
  const describeMilestone = (m: { name: string; percent: number; criteria: string } | null) =>
    m ? `${m.name} ${m.percent}%${m.criteria ? `（${m.criteria}）` : ''}` : ''
  const before = entry.kind === 'standard' ? entry.before : describeMilestone(entry.before)
  const after = entry.kind === 'standard' ? entry.after : describeMilestone(entry.after)
  return (
    <li className={`diff-item diff-${entry.change}`}>
      <strong>
        {what} · {label}
      </strong>
      {before ? (
        <span className="diff-before">
          <span className="visually-hidden">{t('template.diff.before')}</span>
          <del data-i18n-data>{before}</del>
        </span>
      ) : null}
      {before && after ? (
        <span className="diff-arrow" aria-hidden="true">
          →
        </span>
      ) : null}
      {after ? (
        <span className="diff-after">
          <span className="visually-hidden">{t('template.diff.after')}</span>
          <ins data-i18n-data>{after}</ins>
        </span>
      ) : null}
    </li>
  )
}

/** The columns every template list shows: title (with its badges), issuer, industry, scenarios, period, price. */
export function useTemplateColumns(): Column<TemplateListItem>[] {
  const t = useT()
  const price = usePrice()
  return [
    {
      id: 'title',
      header: t('template.col.title'),
      role: 'primary',
      cell: (r) => (
        <>
          <Link to={`/templates/${r.id}`} data-i18n-data>
            {r.title}
          </Link>{' '}
          <TemplateBadges isOfficial={r.isOfficial} archived={r.status === 'archived'} />
        </>
      ),
    },
    { id: 'org', header: t('template.col.org'), cell: (r) => <span data-i18n-data>{r.orgName}</span> },
    {
      id: 'industry',
      header: t('template.field.industry'),
      cell: (r) => <span data-i18n-data>{r.industryName ?? t('template.industry.any')}</span>,
    },
    {
      id: 'scenarios',
      header: t('template.field.scenarios'),
      cell: (r) => <span data-i18n-data>{r.scenarioNames.join(t('list.separator'))}</span>,
    },
    { id: 'days', header: t('template.col.days'), cell: (r) => t('template.days', { days: r.constructionDays }) },
    { id: 'price', header: t('template.col.price'), cell: (r) => price(r) },
  ]
}
