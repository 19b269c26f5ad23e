import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { SerializeFrom } from '@remix-run/node'
import { DataTable } from '~/components/data-table.js'
import { ExpiredPolicyNotice, PolicyStateBadge } from '~/components/policy/expired-policy-notice.js'
import { factLabel, factSourceLabel, formatRequirement, levelLabel, localText } from '~/components/policy/labels.js'
import { RuleCitation } from '~/components/policy/rule-citation.js'
import type { GradientTitle } from '~/domain/enterprises/enums.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { policyDetail } from '~/domain/policy/public.server.js'
import type { Criterion, LevelRules, Measure, RuleSet } from '~/domain/policy/rule-set.js'
import { getReferenceData } from '~/domain/reference/reference.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useLocale, useT } from '~/i18n/use-t.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * One rule set, open to everyone (issue 16 §1): levels and their criteria with thresholds
 * and articles, application rules, validity, rewards with caps, subsidy measures, the regions,
 * the document and where the data was written from. Expired: marked at the top.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'policy.detail.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const ref = await getReferenceData(db)
    return json(policyDetail(ref, args.params.id ?? '', todayInChina(), await getLocale(args.request)))
  })
}

type Set = SerializeFrom<RuleSet>

export default function PolicyPage() {
  const { summary, set } = useLoaderData<typeof loader>()
  const t = useT()
  const locale = useLocale()
  const L = (x: { zh: string; en: string }) => localText(locale, x)
  return (
    <>
      <p>
        <Link to="/policies">{t('policy.detail.back')}</Link>
      </p>
      <header className="page-head">
        <h1>{L(set.name)}</h1>
        <p>
          <PolicyStateBadge current={summary.current} /> {L(set.issuer)} {L(set.document)}
        </p>
      </header>
      {!summary.current && set.valid_until ? <ExpiredPolicyNotice validUntil={set.valid_until} /> : null}
      <dl className="facts">
        <dt>{t('policy.detail.issuedOn')}</dt>
        <dd>{set.issued_on}</dd>
        <dt>{t('policy.col.validity')}</dt>
        <dd>
          {set.valid_until
            ? t('policy.validity.range', { from: set.valid_from, until: set.valid_until })
            : t('policy.validity.open', { from: set.valid_from })}
        </dd>
        <dt>{t('policy.col.regions')}</dt>
        <dd>{summary.regions.join(locale === 'en' ? '; ' : '、')}</dd>
        <dt>{t('policy.detail.version')}</dt>
        <dd>{set.version}</dd>
        <dt>{t('policy.detail.source')}</dt>
        <dd data-i18n-data>{set.source}</dd>
      </dl>
      {set.levels ? <Levels set={set} /> : null}
      {set.application ? <Application set={set} /> : null}
      {set.validity ? (
        <section aria-labelledby="validity">
          <h2 id="validity">{t('policy.detail.validity')}</h2>
          <p>{t('policy.detail.validityText', { years: set.validity.years, months: set.validity.review_months_before })}</p>
          <RuleCitation article={set.validity.article} />
        </section>
      ) : null}
      {set.rewards ? <Rewards set={set} /> : null}
      {set.measures ? <Measures measures={set.measures} /> : null}
    </>
  )
}

function Levels({ set }: { set: Set }) {
  const t = useT()
  return (
    <section aria-labelledby="levels">
      <h2 id="levels">{t('policy.detail.levels')}</h2>
      {set.levels!.map((l) => (
        <Level key={l.level} level={l} />
      ))}
    </section>
  )
}

function Level({ level: l }: { level: SerializeFrom<LevelRules> }) {
  const t = useT()
  const locale = useLocale()
  return (
    <section aria-labelledby={`level-${l.level}`}>
      <h3 id={`level-${l.level}`}>{levelLabel(t, l.level)}</h3>
      <p>
        <small className="muted">{t(`policy.evaluatedBy.${l.evaluated_by}`)}</small> <RuleCitation article={l.article} />
      </p>
      {l.note ? <p>{localText(locale, l.note)}</p> : null}
      {l.criteria.length > 0 ? (
        <DataTable<SerializeFrom<Criterion>>
          caption={t('policy.detail.criteriaOf', { level: levelLabel(t, l.level) })}
          rows={l.criteria}
          rowKey={(c) => c.id}
          columns={[
            { id: 'label', header: t('policy.col.criterion'), role: 'primary', cell: (c) => localText(locale, c.label) },
            { id: 'rule', header: t('policy.col.rule'), cell: (c) => <CriterionRule c={c} /> },
            { id: 'article', header: t('policy.col.article'), cell: (c) => localText(locale, c.article) },
          ]}
        />
      ) : null}
    </section>
  )
}

/** "MES 覆盖产品生命周期管理比例 要求：≥ 60%（一企一档）", or the alternatives of an any_of. */
function CriterionRule({ c }: { c: SerializeFrom<Criterion> }) {
  const t = useT()
  if ('any_of' in c)
    return (
      <>
        {t('policy.criterion.anyOf')}
        <ul>
          {c.any_of.map((a) => (
            <li key={a.id}>
              <CriterionRule c={a} />
            </li>
          ))}
        </ul>
      </>
    )
  return (
    <>
      {factLabel(t, c.fact)} {formatRequirement(t, { fact: c.fact, op: c.op, required: c.value })}{' '}
      <small className="muted">{t('policy.detail.factFrom', { source: factSourceLabel(t, c.fact) })}</small>
    </>
  )
}

function Application({ set }: { set: Set }) {
  const t = useT()
  const a = set.application!
  const names = (ls: readonly GradientTitle[]) => ls.map((l) => levelLabel(t, l)).join(' → ')
  const list = (ls: readonly GradientTitle[]) =>
    ls.length ? ls.map((l) => levelLabel(t, l)).join(t('policy.detail.listSeparator')) : t('policy.value.none')
  return (
    <section aria-labelledby="application">
      <h2 id="application">{t('policy.detail.application')}</h2>
      <ul>
        <li>{t('policy.detail.firstAnyOf', { levels: list(a.first_any_of) })}</li>
        <li>{t('policy.detail.ladder', { levels: names(a.ladder) })}</li>
        <li>{t('policy.detail.repeatable', { levels: list(a.repeatable) })}</li>
        {a.per_year.map((p) => (
          <li key={p.level}>{t('policy.detail.perYear', { level: levelLabel(t, p.level), max: p.max })}</li>
        ))}
        <li>{t('policy.detail.ban', { years: a.ban_years_after_revocation })}</li>
      </ul>
      <p>
        <RuleCitation article={a.article} /> <RuleCitation article={a.revocation_article} />
      </p>
    </section>
  )
}

function Rewards({ set }: { set: Set }) {
  const t = useT()
  const r = set.rewards!
  return (
    <section aria-labelledby="rewards">
      <h2 id="rewards">{t('policy.detail.rewards')}</h2>
      <ul>
        {r.amounts.map((a) => (
          <li key={a.level}>{t('policy.detail.amount', { level: levelLabel(t, a.level), amount: a.max_wan })}</li>
        ))}
        {r.extras.map((e) => (
          <li key={e.level}>
            {t('policy.detail.extra', { level: levelLabel(t, e.level), amount: e.max_wan })} <RuleCitation article={e.article} />
          </li>
        ))}
        {r.cumulative ? (
          <li>
            {t('policy.detail.cumulative', {
              levels: r.cumulative.levels.map((l) => levelLabel(t, l)).join(t('policy.detail.listSeparator')),
              cap: r.cumulative.cap_wan,
            })}{' '}
            <RuleCitation article={r.cumulative.article} />
          </li>
        ) : null}
        {r.level_caps.map((c) => (
          <li key={c.level}>
            {t('policy.detail.levelCap', { level: levelLabel(t, c.level), cap: c.cap_wan })} <RuleCitation article={c.article} />
          </li>
        ))}
        {r.none_after_revocation ? (
          <li>
            {t('policy.detail.noneAfterRevocation')} <RuleCitation article={r.revocation_article} />
          </li>
        ) : null}
      </ul>
      <RuleCitation article={r.article} />
    </section>
  )
}

function Measures({ measures }: { measures: readonly SerializeFrom<Measure>[] }) {
  const t = useT()
  const locale = useLocale()
  const percent = measures.filter((m) => m.kind === 'percent')
  const fixed = measures.filter((m) => m.kind === 'fixed')
  return (
    <section aria-labelledby="measures">
      <h2 id="measures">{t('policy.detail.measures')}</h2>
      {percent.length > 0 ? (
        <DataTable
          caption={t('policy.detail.percentMeasures')}
          rows={percent}
          rowKey={(m) => m.id}
          columns={[
            { id: 'name', header: t('policy.col.measure'), role: 'primary', cell: (m) => localText(locale, m.name) },
            { id: 'basis', header: t('policy.col.basis'), cell: (m) => localText(locale, m.basis_label) },
            {
              id: 'rule',
              header: t('policy.col.rule'),
              cell: (m) =>
                m.min_basis_wan > 0
                  ? t('policy.detail.percentRule', { min: m.min_basis_wan, rate: m.rate_pct, cap: m.cap_wan })
                  : t('policy.detail.percentRuleNoMin', { rate: m.rate_pct, cap: m.cap_wan }),
            },
            { id: 'article', header: t('policy.col.article'), cell: (m) => localText(locale, m.article) },
          ]}
        />
      ) : null}
      {fixed.map((m) => (
        <section key={m.id} aria-labelledby={`measure-${m.id}`}>
          <h3 id={`measure-${m.id}`}>{localText(locale, m.name)}</h3>
          <ul>
            {m.amounts.map((a) => (
              <li key={a.case}>{t('policy.detail.fixedAmount', { case: localText(locale, a.label), amount: a.max_wan })}</li>
            ))}
          </ul>
          <RuleCitation article={m.article} />
        </section>
      ))}
    </section>
  )
}
