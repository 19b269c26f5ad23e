import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { RewardSteps, useLocalText } from '~/components/gradient/results.js'
import { CriterionList } from '~/components/policy/criterion-list.js'
import { EstimateNotice } from '~/components/policy/estimate-notice.js'
import { ExpiredPolicyNotice } from '~/components/policy/expired-policy-notice.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { getSelfCheck } from '~/domain/gradient/self-check.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { requireActor } from '~/web/request.server.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 梯度自评 (issue 16 §3–4): the acting enterprise's standing under its region's gradient
 * rule set — per level the criteria met / missed (with the gap) / unknown and the article,
 * which levels it may apply for now and why, its titles' validity and review dates, and
 * the reward each level could bring under the caps. An estimate, marked as such.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradient.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getSelfCheck(db, actor, todayInChina()))
  })
}

type Data = SerializeFrom<typeof loader>

const STATUS_BADGE = { met: 'badge-verified', missed: 'badge-rejected', unknown: 'badge-pending', not_evaluated: '' } as const

export default function GradientSelfCheckPage() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const set = data.ruleSet
  return (
    <section aria-labelledby="gradient-title">
      <EnterpriseWorkspaceNav />
      <h1 id="gradient-title">{t('gradient.title')}</h1>
      <p className="muted">{t('gradient.lead')}</p>
      {!set ? (
        <div className="empty-state">
          <p>{t('gradient.noRules', { region: data.enterprise.region })}</p>
          <p>
            <Link to="/policies">{t('gradient.policiesLink')}</Link>
          </p>
        </div>
      ) : (
        <SelfCheck data={data} />
      )}
    </section>
  )
}

function SelfCheck({ data }: { data: Data }) {
  const t = useT()
  const local = useLocalText()
  const set = data.ruleSet!
  const optionColumns: Column<Data['options'][number]>[] = [
    {
      id: 'level',
      header: t('gradient.options.level'),
      role: 'primary',
      cell: (o) => t(`enterprises.gradientTitle.${o.level}`),
    },
    {
      id: 'allowed',
      header: t('gradient.options.allowed'),
      cell: (o) => (
        <span className={`badge ${o.allowed ? 'badge-verified' : 'badge-pending'}`}>
          {o.allowed ? t('gradient.options.yes') : t('gradient.options.no')}
        </span>
      ),
    },
    {
      id: 'reason',
      header: t('gradient.options.reason'),
      cell: (o) => (
        <>
          {t(`gradient.reason.${o.reason}`, { limit: o.limit ?? '', until: o.until ?? '' })}{' '}
          <span className="muted">{t('gradient.criterion.article', { article: local(o.article) })}</span>
        </>
      ),
    },
  ]
  const titleColumns: Column<Data['titles'][number]>[] = [
    { id: 'title', header: t('gradient.titles.title'), role: 'primary', cell: (x) => t(`enterprises.gradientTitle.${x.title}`) },
    { id: 'awarded', header: t('gradient.titles.awarded'), cell: (x) => x.awardedOn },
    { id: 'expires', header: t('gradient.titles.expires'), cell: (x) => x.expiresOn },
    { id: 'review', header: t('gradient.titles.reviewFrom'), cell: (x) => x.reviewFrom },
    {
      id: 'state',
      header: t('gradient.titles.state'),
      cell: (x) => (
        <span
          className={`badge ${x.state === 'valid' ? 'badge-verified' : x.state === 'review_due' ? 'badge-pending' : 'badge-rejected'}`}
        >
          {t(`gradient.titleState.${x.state}`)}
        </span>
      ),
    },
    {
      id: 'reward',
      header: t('gradient.titles.reward'),
      cell: (x) => (x.rewardWan === null ? t('gradient.titles.noReward') : t('gradient.wan', { amount: x.rewardWan })),
    },
  ]
  const sources = [
    { key: 'archive', at: data.sources.archiveUpdatedAt, to: '/enterprise/archive', link: t('gradient.archiveLink') },
    { key: 'assessment', at: data.sources.assessmentAt, to: '/enterprise/assessments', link: t('gradient.assessmentLink') },
    { key: 'gradient', at: data.sources.gradientUpdatedAt, to: '/enterprise/gradient/answers', link: t('gradient.answersLink') },
  ] as const
  return (
    <>
      <EstimateNotice />
      <p>
        {t('gradient.ruleSet', { name: local(set.name), document: local(set.document), issuer: local(set.issuer) })}{' '}
        <Link to={`/policies/${set.id}`}>{t('gradient.ruleSetLink')}</Link>
      </p>
      {set.expired ? <ExpiredPolicyNotice validUntil={set.validUntil ?? ''} /> : null}
      <section className="card section" aria-labelledby="sources-title">
        <h2 id="sources-title">{t('gradient.sources')}</h2>
        <ul>
          {sources.map((s) => (
            <li key={s.key}>
              {t(`gradient.source.${s.key}`)}：
              {s.at ? t('gradient.source.updated', { at: formatDateTime(s.at) }) : t('gradient.source.never')}{' '}
              <Link to={s.to}>{s.link}</Link>
            </li>
          ))}
        </ul>
      </section>

      <h2>{t('gradient.levels')}</h2>
      {data.levels.map((l) => {
        const name = t(`enterprises.gradientTitle.${l.level}`)
        return (
          <section key={l.level} className="card section" aria-labelledby={`level-${l.level}`}>
            <h3 id={`level-${l.level}`}>{name}</h3>
            <p>
              {t('gradient.levelStatus')}
              <span className={`badge ${STATUS_BADGE[l.status]}`}>{t(`gradient.status.${l.status}`)}</span>{' '}
              <span className="muted">{t('gradient.levelArticle', { article: local(l.article) })}</span>
            </p>
            {l.note ? <p className="muted">{local(l.note)}</p> : null}
            {l.criteria.length > 0 ? <CriterionList results={l.criteria} /> : null}
          </section>
        )
      })}

      <section className="section" aria-labelledby="options-title">
        <h2 id="options-title">{t('gradient.options')}</h2>
        <DataTable caption={t('gradient.options.caption')} columns={optionColumns} rows={data.options} rowKey={(o) => o.level} />
      </section>

      <section className="section" aria-labelledby="titles-title">
        <h2 id="titles-title">{t('gradient.titles')}</h2>
        <DataTable
          caption={t('gradient.titles.caption')}
          columns={titleColumns}
          rows={data.titles}
          rowKey={(x) => String(x.id ?? `${x.title}-${x.awardedOn}`)}
          empty={
            <p className="empty-state">
              {t('gradient.titles.none')} <Link to="/enterprise/archive#titles">{t('gradient.archiveLink')}</Link>
            </p>
          }
        />
      </section>

      <section className="card section" aria-labelledby="rewards-title" aria-describedby="rewards-notice">
        <h2 id="rewards-title">{t('gradient.rewards')}</h2>
        <EstimateNotice id="rewards-notice" />
        <p>{t('gradient.rewards.lead', { received: data.receivedWan })}</p>
        <ul className="gradient-rewards">
          {data.rewards.map((r) => (
            <li key={r.level}>
              <strong>
                {t('gradient.rewards.amount', { level: t(`enterprises.gradientTitle.${r.level}`), amount: r.amountWan })}
              </strong>
              <RewardSteps steps={r.steps} />
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
