import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { AgencyWorkspaceNav } from '~/components/agency-nav.js'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import {
  addActualEntry,
  addAdjustment,
  setWorkItem,
  targetsYearPage,
  withdrawActualEntry,
  withdrawAdjustment,
  ZAdjustmentInput,
  ZEntryInput,
  ZPlanQuery,
  ZTargetsIntent,
  ZWithdrawInput,
  ZWorkInput,
  ZYearParams,
  type AdjustmentView,
  type DistrictRow,
  type EntryView,
} from '~/domain/targets/targets.server.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * A year's 目标考核 (issue 15 §5): the ranked table of the districts the reader may see, each
 * district's points by rule, the rules (the seed's and the platform's where the seed is
 * silent), each count linking to its records; and, for owners and reviewers of an agency
 * over a district, the forms to enter actuals, 五个一 and bonus / deduction items with evidence.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'targets.year.title')

const METRICS = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark', 'coverage'] as const
const ENTERED = ['smart_retrofit', 'cloud', 'diagnosis', 'benchmark'] as const
const WORK = ['task_force', 'action_plan', 'subsidy_policy', 'activities', 'industry_chain'] as const
const KINDS = [
  'national_funded',
  'provincial_funded',
  'national_recognised',
  'provincial_recognised',
  'commendation',
  'late_task',
] as const
const SUBJECTS = ['other', 'star_cloud', 'integration_standard'] as const

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { year } = parseParams(ZYearParams, args.params)
    const query = parseQuery(ZPlanQuery, args.request)
    return json(await targetsYearPage(db, actor, year, query.plan, await getLocale(args.request)))
  })
}

const FLASH = {
  entry: 'targets.entry.done',
  withdrawEntry: 'targets.entry.withdrawn',
  work: 'targets.work.saved',
  adjust: 'targets.adjust.added',
  withdrawAdjustment: 'targets.adjust.withdrawn',
} as const

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { year } = parseParams(ZYearParams, args.params)
    const { plan } = parseQuery(ZPlanQuery, args.request)
    const form = await args.request.formData()
    const { intent } = parseForm(ZTargetsIntent, form)
    if (intent === 'entry') await addActualEntry(db, actor, year, plan, parseForm(ZEntryInput, form))
    else if (intent === 'withdrawEntry') await withdrawActualEntry(db, actor, year, plan, parseForm(ZWithdrawInput, form).id)
    else if (intent === 'work') await setWorkItem(db, actor, year, plan, parseForm(ZWorkInput, form))
    else if (intent === 'adjust') await addAdjustment(db, actor, year, plan, parseForm(ZAdjustmentInput, form))
    else await withdrawAdjustment(db, actor, year, plan, parseForm(ZWithdrawInput, form).id)
    return redirect(`/agency/targets/${year}${plan ? `?plan=${plan}` : ''}`, {
      headers: { 'Set-Cookie': await setFlash({ key: FLASH[intent] }) },
    })
  })
}

export default function AgencyTargetsYearPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const { search } = useLocation()
  const planQuery = data.plan.own ? '' : `?plan=${data.plan.id}`
  const recordsHref = (region: string, metric: string) => `/agency/targets/${data.plan.year}/${region}/${metric}${planQuery}`
  const year = data.plan.year
  const mayReport = data.reportDistricts.length > 0
  const districtOptions = data.reportDistricts.map((d) => (
    <option key={d.code} value={d.code}>
      {d.name}
    </option>
  ))
  const number = (n: number) => n.toFixed(1).replace(/\.0$/, '')

  return (
    <>
      <AgencyWorkspaceNav />
      <p>
        <Link to="/agency/targets">{t('targets.year.back')}</Link>
      </p>
      <header className="page-head">
        <h1>{t('targets.year.heading', { year })}</h1>
        <p className="muted" data-i18n-data>
          {t('targets.year.by', { agency: data.plan.agencyName, region: data.plan.regionName })}
        </p>
        {data.plan.note ? (
          <p className="muted" data-i18n-data>
            {data.plan.note}
          </p>
        ) : null}
        <p>
          <a href={`/agency/targets/${year}.xlsx${search}`} download>
            {t('targets.year.xlsx')}
          </a>
        </p>
      </header>
      <ErrorSummary failure={failure} fieldIds={{ region: 'entry-region' }} />

      <section className="section" aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t('targets.year.ranking')}</h2>
        {data.hidden > 0 ? <p className="notice">{t('targets.year.hidden', { n: data.hidden })}</p> : null}
        <DataTable<DistrictRow>
          caption={t('targets.year.caption', { year })}
          rows={data.rows}
          rowKey={(r) => r.regionCode}
          columns={[
            { id: 'place', header: t('targets.col.place'), cell: (r) => r.place },
            {
              id: 'district',
              header: t('targets.col.district'),
              role: 'primary',
              cell: (r) => <span data-i18n-data>{r.name}</span>,
            },
            { id: 'targets', header: t('targets.col.targetPoints'), cell: (r) => number(r.targetPoints) },
            { id: 'work', header: t('targets.col.workPoints'), cell: (r) => number(r.workPoints) },
            {
              id: 'bonus',
              header: t('targets.col.bonus'),
              cell: (r) => (r.bonusRaw > r.bonus ? `${number(r.bonus)} (${number(r.bonusRaw)})` : number(r.bonus)),
            },
            {
              id: 'deductions',
              header: t('targets.col.deductions'),
              cell: (r) => (r.deductions > 0 ? `−${number(r.deductions)}` : '0'),
            },
            { id: 'total', header: t('targets.col.total'), cell: (r) => <strong>{number(r.total)}</strong> },
          ]}
        />
      </section>

      <section className="section" aria-labelledby="detail-title">
        <h2 id="detail-title">{t('targets.detail.title')}</h2>
        {METRICS.map((metric) => {
          const banded = metric === 'smart_retrofit' || metric === 'cloud' || metric === 'diagnosis'
          return (
            <section key={metric} aria-labelledby={`metric-${metric}`}>
              <h3 id={`metric-${metric}`}>{t(`targets.metric.${metric}`)}</h3>
              <DataTable<DistrictRow>
                caption={t('targets.detail.caption', { metric: t(`targets.metric.${metric}`) })}
                rows={[...data.rows].sort(
                  (a, b) =>
                    (a.metrics[metric].place ?? 99) - (b.metrics[metric].place ?? 99) ||
                    bandOrder(a.metrics[metric].band) - bandOrder(b.metrics[metric].band) ||
                    a.regionCode.localeCompare(b.regionCode),
                )}
                rowKey={(r) => r.regionCode}
                columns={[
                  {
                    id: 'district',
                    header: t('targets.col.district'),
                    role: 'primary',
                    cell: (r) => <span data-i18n-data>{r.name}</span>,
                  },
                  {
                    id: 'target',
                    header: t('targets.col.target'),
                    cell: (r) => (metric === 'coverage' ? `${r.metrics[metric].target}%` : r.metrics[metric].target),
                  },
                  {
                    id: 'actual',
                    header: t('targets.col.actual'),
                    cell: (r) => (
                      <Link to={recordsHref(r.regionCode, metric)}>
                        {metric === 'coverage' ? `${number(r.metrics[metric].actualValue)}%` : r.metrics[metric].actual}
                      </Link>
                    ),
                  },
                  {
                    id: 'source',
                    header:
                      metric === 'coverage'
                        ? t('targets.col.counted')
                        : `${t('targets.col.counted')} + ${t('targets.col.entered')}`,
                    cell: (r) =>
                      metric === 'coverage'
                        ? t('targets.coverageOf', { covered: r.counted.coverage, total: r.aboveScale })
                        : `${r.counted[metric]} + ${r.entered[metric]}`,
                  },
                  { id: 'rate', header: t('targets.col.rate'), cell: (r) => `${number(r.metrics[metric].ratePct)}%` },
                  ...(banded
                    ? [
                        {
                          id: 'band',
                          header: t('targets.col.band'),
                          cell: (r: DistrictRow) => (r.metrics[metric].band ? t(`targets.band.${r.metrics[metric].band}`) : ''),
                        },
                        {
                          id: 'combined',
                          header: `${t('targets.col.countPlace')} + ${t('targets.col.ratePlace')} = ${t('targets.col.combined')}`,
                          label: t('targets.col.combined'),
                          cell: (r: DistrictRow) =>
                            r.metrics[metric].combined === null
                              ? '—'
                              : `${r.metrics[metric].countPlace} + ${r.metrics[metric].ratePlace} = ${r.metrics[metric].combined}`,
                        },
                      ]
                    : []),
                  { id: 'place', header: t('targets.col.bandPlace'), cell: (r) => r.metrics[metric].place ?? '—' },
                  { id: 'points', header: t('targets.col.points'), cell: (r) => number(r.metrics[metric].points) },
                ]}
              />
            </section>
          )
        })}
      </section>

      <section className="section" aria-labelledby="work-title">
        <h2 id="work-title">{t('targets.work.title')}</h2>
        <DataTable<DistrictRow>
          caption={t('targets.work.caption')}
          rows={data.rows}
          rowKey={(r) => r.regionCode}
          columns={[
            {
              id: 'district',
              header: t('targets.col.district'),
              role: 'primary',
              cell: (r) => <span data-i18n-data>{r.name}</span>,
            },
            ...WORK.map((item) => ({
              id: item,
              header: t(`targets.work.${item}`),
              cell: (r: DistrictRow) => {
                const evidence = data.workItems.find((w) => w.regionCode === r.regionCode && w.item === item)?.evidence
                const done = r.workDone.includes(item)
                return (
                  <span title={evidence || undefined}>{done ? `✓ ${t('targets.work.done')}` : t('targets.work.notDone')}</span>
                )
              },
            })),
            { id: 'points', header: t('targets.col.points'), cell: (r) => number(r.workPoints) },
          ]}
        />
      </section>

      <section className="section" aria-labelledby="adjust-title">
        <h2 id="adjust-title">{t('targets.adjust.listTitle')}</h2>
        <DataTable<AdjustmentView>
          caption={t('targets.adjust.caption')}
          rows={data.adjustments}
          rowKey={(a) => a.id}
          empty={<p className="empty-state">{t('targets.adjust.empty')}</p>}
          columns={[
            {
              id: 'title',
              header: t('targets.col.title'),
              role: 'primary',
              cell: (a) => (
                <span data-i18n-data className={a.withdrawn ? 'muted' : undefined}>
                  {a.withdrawn ? <s>{a.title}</s> : a.title}
                </span>
              ),
            },
            { id: 'district', header: t('targets.col.district'), cell: (a) => <span data-i18n-data>{a.regionName}</span> },
            { id: 'kind', header: t('targets.col.kind'), cell: (a) => t(`targets.kind.${a.kind as (typeof KINDS)[number]}`) },
            {
              id: 'subject',
              header: t('targets.col.subject'),
              cell: (a) => t(`targets.subject.${a.subject as (typeof SUBJECTS)[number]}`),
            },
            { id: 'date', header: t('targets.col.date'), cell: (a) => a.occurredOn },
            {
              id: 'points',
              header: t('targets.col.points'),
              cell: (a) =>
                a.withdrawn
                  ? t('targets.withdrawnMark')
                  : a.excluded
                    ? t(`targets.excluded.${a.excluded as 'star_cloud_not_provincial' | 'integration_standard_not_national'}`)
                    : a.points > 0
                      ? `+${number(a.points)}`
                      : `−${number(-a.points)}`,
            },
            { id: 'evidence', header: t('targets.col.evidence'), cell: (a) => <span data-i18n-data>{a.evidence}</span> },
            {
              id: 'action',
              header: t('targets.col.action'),
              role: 'action',
              cell: (a) =>
                !a.withdrawn && data.reportDistricts.some((d) => d.code === a.regionCode) ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="withdrawAdjustment" />
                    <input type="hidden" name="id" value={a.id} />
                    <button type="submit" className="button small">
                      {t('targets.withdraw')}
                    </button>
                  </Form>
                ) : null,
            },
          ]}
        />
      </section>

      <section className="section" aria-labelledby="entries-title">
        <h2 id="entries-title">{t('targets.entries.title')}</h2>
        <DataTable<EntryView>
          caption={t('targets.entries.caption')}
          rows={data.entries}
          rowKey={(e) => e.id}
          empty={<p className="empty-state">{t('targets.entries.empty')}</p>}
          columns={[
            {
              id: 'district',
              header: t('targets.col.district'),
              role: 'primary',
              cell: (e) => <span data-i18n-data>{e.regionName}</span>,
            },
            { id: 'metric', header: t('targets.col.metric'), cell: (e) => t(`targets.metric.${e.metric}`) },
            {
              id: 'quantity',
              header: t('targets.col.quantity'),
              cell: (e) => (e.withdrawn ? <s>{e.quantity}</s> : e.quantity),
            },
            { id: 'evidence', header: t('targets.col.evidence'), cell: (e) => <span data-i18n-data>{e.evidence}</span> },
            { id: 'by', header: t('targets.col.enteredBy'), cell: (e) => <span data-i18n-data>{e.enteredBy}</span> },
            { id: 'date', header: t('targets.col.date'), cell: (e) => e.createdAt.slice(0, 10) },
            {
              id: 'action',
              header: t('targets.col.action'),
              role: 'action',
              cell: (e) =>
                e.withdrawn ? (
                  t('targets.withdrawnMark')
                ) : data.reportDistricts.some((d) => d.code === e.regionCode) ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="withdrawEntry" />
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" className="button small">
                      {t('targets.withdraw')}
                    </button>
                  </Form>
                ) : null,
            },
          ]}
        />
      </section>

      {mayReport ? (
        <section className="section" aria-labelledby="report-title">
          <h2 id="report-title">{t('targets.report.title')}</h2>
          <p className="muted">{t('targets.report.lead')}</p>

          <Form method="post" noValidate className="card section" aria-labelledby="entry-title">
            <h3 id="entry-title">{t('targets.entry.title')}</h3>
            <input type="hidden" name="intent" value="entry" />
            <SelectField id="entry-region" name="region" label={t('targets.field.region')} required>
              {districtOptions}
            </SelectField>
            <SelectField id="metric" name="metric" label={t('targets.field.metric')} required error={failure?.fieldErrors.metric}>
              {ENTERED.map((m) => (
                <option key={m} value={m}>
                  {t(`targets.metric.${m}`)}
                </option>
              ))}
            </SelectField>
            <InputField
              id="quantity"
              name="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={10000}
              label={t('targets.field.quantity')}
              required
              error={failure?.fieldErrors.quantity}
            />
            <TextareaField
              id="evidence"
              name="evidence"
              label={t('targets.field.evidence')}
              rows={2}
              maxLength={1000}
              required
              error={failure?.fieldErrors.evidence}
            />
            <p>
              <button type="submit" className="button primary">
                {t('targets.entry.submit')}
              </button>
            </p>
          </Form>

          <Form method="post" noValidate className="card section" aria-labelledby="work-form-title">
            <h3 id="work-form-title">{t('targets.work.formTitle')}</h3>
            <input type="hidden" name="intent" value="work" />
            <SelectField id="work-region" name="region" label={t('targets.field.region')} required>
              {districtOptions}
            </SelectField>
            <SelectField id="item" name="item" label={t('targets.field.item')} required error={failure?.fieldErrors.item}>
              {WORK.map((w) => (
                <option key={w} value={w}>
                  {t(`targets.work.${w}`)}
                </option>
              ))}
            </SelectField>
            <div className="field">
              <label>
                <input type="checkbox" name="done" value="1" defaultChecked /> {t('targets.field.done')}
              </label>
            </div>
            <TextareaField id="work-evidence" name="evidence" label={t('targets.field.evidence')} rows={2} maxLength={1000} />
            <p>
              <button type="submit" className="button primary">
                {t('targets.work.submit')}
              </button>
            </p>
          </Form>

          <Form method="post" noValidate className="card section" aria-labelledby="adjust-form-title">
            <h3 id="adjust-form-title">{t('targets.adjust.formTitle')}</h3>
            <input type="hidden" name="intent" value="adjust" />
            <SelectField id="adjust-region" name="region" label={t('targets.field.region')} required>
              {districtOptions}
            </SelectField>
            <SelectField id="kind" name="kind" label={t('targets.field.kind')} required error={failure?.fieldErrors.kind}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`targets.kind.${k}`)}
                </option>
              ))}
            </SelectField>
            <SelectField id="subject" name="subject" label={t('targets.field.subject')} error={failure?.fieldErrors.subject}>
              {SUBJECTS.map((s) => (
                <option key={s} value={s}>
                  {t(`targets.subject.${s}`)}
                </option>
              ))}
            </SelectField>
            <InputField
              id="title"
              name="title"
              label={t('targets.field.title')}
              required
              maxLength={200}
              error={failure?.fieldErrors.title}
            />
            <InputField
              id="occurredOn"
              name="occurredOn"
              type="date"
              label={t('targets.field.occurredOn')}
              required
              error={failure?.fieldErrors.occurredOn}
            />
            <TextareaField id="adjust-evidence" name="evidence" label={t('targets.field.evidence')} rows={2} maxLength={1000} />
            <p>
              <button type="submit" className="button primary">
                {t('targets.adjust.submit')}
              </button>
            </p>
          </Form>
        </section>
      ) : null}

      <section className="section card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('targets.rules.title')}</h2>
        <ul>
          <li>{t('targets.rules.banded')}</li>
          <li>{t('targets.rules.rate')}</li>
          <li>{t('targets.rules.work')}</li>
          <li>{t('targets.rules.bonus')}</li>
          <li>{t('targets.rules.deduction')}</li>
        </ul>
        <p>
          <strong>{t('targets.rules.combine')}</strong>
        </p>
        <ul>
          <li>{t('targets.rules.ties')}</li>
          <li>{t('targets.rules.zero')}</li>
          <li>{t('targets.rules.counting')}</li>
        </ul>
      </section>
    </>
  )
}

function bandOrder(band: string | null): number {
  return band === 'met' ? 0 : band === 'half' ? 1 : band === 'below' ? 2 : 0
}
