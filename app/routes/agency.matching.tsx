import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { DataTable, type Column } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { MATCH_FACTORS, type MatchFactor } from '~/domain/matching/types.js'
import {
  getMatchingWeights,
  previewWeights,
  resetMatchingWeights,
  saveMatchingWeights,
  weightsFromForm,
  ZWeightsFormInput,
} from '~/domain/matching/weights-admin.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/matching.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'matching.weights.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getMatchingWeights(db, actor, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const input = parseForm(ZWeightsFormInput, form)
    if (input.intent === 'reset') {
      await resetMatchingWeights(db, actor, { revision: input.revision })
      return redirect('/agency/matching', { headers: { 'Set-Cookie': await setFlash({ key: 'matching.weights.resetDone' }) } })
    }
    const weights = weightsFromForm(form)
    if (input.intent === 'save') {
      await saveMatchingWeights(db, actor, { weights, revision: input.revision })
      return redirect('/agency/matching', { headers: { 'Set-Cookie': await setFlash({ key: 'matching.weights.saved' }) } })
    }
    const needId = input.needId ?? input.need ?? 0
    const preview = await previewWeights(db, search, actor, needId, weights)
    return json({ ok: true as const, preview, proposed: weights })
  })
}

type Preview = Extract<SerializeFrom<typeof action>, { ok: true }>['preview']

const asNumber = (v: unknown, fallback: number) => {
  const n = Number(v)
  return v !== '' && v !== null && v !== undefined && Number.isFinite(n) ? n : fallback
}

export default function AgencyMatchingPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const preview = actionData && 'preview' in actionData ? actionData.preview : null
  const proposed = actionData && 'proposed' in actionData ? (actionData.proposed as Record<string, unknown>) : null
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const message = useMessage()
  const start = Object.fromEntries(MATCH_FACTORS.map((f) => [f, asNumber(proposed?.[f], data.weights[f])])) as Record<
    MatchFactor,
    number
  >
  const [values, setValues] = useState<Record<MatchFactor, number>>(start)
  const total = MATCH_FACTORS.reduce((s, f) => s + (Number.isFinite(values[f]) ? values[f] : 0), 0)
  const fieldIds: Record<string, string> = { total: 'w-total', need: 'p-need' }
  for (const f of MATCH_FACTORS) fieldIds[f] = `w-${f}`

  return (
    <>
      <header className="page-head">
        <h1>{t('matching.weights.title')}</h1>
        <p className="muted">
          {t('matching.weights.lead')} <span data-i18n-data>{data.regionName}</span>
        </p>
      </header>
      <p className="notice">
        {data.source === 'own'
          ? t('matching.weights.sourceOwn', { when: data.updatedAt ? formatDateTime(data.updatedAt) : '—' })
          : data.source === 'inherited'
            ? t('matching.weights.sourceInherited', { region: data.inheritedFromName ?? '' })
            : t('matching.weights.sourceDefaults')}
      </p>

      <Form method="post" noValidate className="card section weights-form" aria-labelledby="weights-form-title">
        <h2 id="weights-form-title">{t('matching.weights.form')}</h2>
        <ErrorSummary failure={failure} fieldIds={fieldIds} />
        <input type="hidden" name="revision" value={data.revision} />
        <fieldset className="weights-grid">
          <legend>{t('matching.weights.legend')}</legend>
          {MATCH_FACTORS.map((f) => (
            <div className="field" key={f}>
              <label htmlFor={`w-${f}`}>{message(`matching.factor.${f}`)}</label>
              <input
                id={`w-${f}`}
                name={f}
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                step={1}
                required
                defaultValue={start[f]}
                aria-describedby={`w-${f}-default`}
                aria-invalid={failure?.fieldErrors[f] ? true : undefined}
                onChange={(e) => {
                  // Read now: React clears currentTarget once the event is handled, before the updater runs.
                  const raw = e.currentTarget.value
                  setValues((v) => ({ ...v, [f]: raw === '' ? 0 : Number(raw) }))
                }}
              />
              <span id={`w-${f}-default`} className="field-hint">
                {t('matching.weights.default', { value: data.defaults[f] })}
              </span>
              {failure?.fieldErrors[f] ? <p className="field-error">{message(failure.fieldErrors[f])}</p> : null}
            </div>
          ))}
        </fieldset>
        <p className={`weights-total${total === 100 ? '' : ' is-off'}`}>
          <output id="w-total" htmlFor={MATCH_FACTORS.map((f) => `w-${f}`).join(' ')} aria-live="polite" tabIndex={-1}>
            {t('matching.weights.total', { total })}
          </output>{' '}
          {total === 100 ? null : <span>{t('matching.weights.totalOff')}</span>}
        </p>
        <div className="actions">
          <button type="submit" name="intent" value="save" disabled={busy}>
            {t('matching.weights.save')}
          </button>
        </div>

        <h3>{t('matching.preview.title')}</h3>
        <p className="muted">{t('matching.preview.lead')}</p>
        <div className="preview-need">
          <div className="field">
            <label htmlFor="p-need">{t('matching.preview.need')}</label>
            <select id="p-need" name="need" defaultValue={preview ? String(preview.needId) : ''}>
              <option value="">{t('matching.preview.choose')}</option>
              {data.recentNeeds.map((n) => (
                <option key={n.id} value={n.id} data-i18n-data>
                  {n.title} · {n.regionName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="p-need-id">{t('matching.preview.needId')}</label>
            <input id="p-need-id" name="needId" inputMode="numeric" pattern="[0-9]*" size={8} />
          </div>
        </div>
        {data.recentNeeds.length === 0 ? <p className="muted">{t('matching.preview.noNeeds')}</p> : null}
        <div className="actions">
          <button type="submit" name="intent" value="preview" className="button-secondary" disabled={busy}>
            {t('matching.preview.submit')}
          </button>
        </div>
      </Form>

      {preview ? <PreviewTable preview={preview} /> : null}

      {data.source === 'own' ? (
        <Form method="post" className="section">
          <input type="hidden" name="intent" value="reset" />
          <input type="hidden" name="revision" value={data.revision} />
          <p className="muted">{t('matching.weights.resetLead')}</p>
          <button type="submit" className="button-secondary" disabled={busy}>
            {t('matching.weights.reset')}
          </button>
        </Form>
      ) : null}
      <p className="muted small">
        <Link to="/agency/audit-log">{t('matching.weights.auditLink')}</Link>
      </p>
    </>
  )
}

function PreviewTable({ preview }: { preview: Preview }) {
  const t = useT()
  type Row = Preview['proposed'][number]
  const change = (r: Row) =>
    r.change === null
      ? t('matching.preview.new')
      : r.change > 0
        ? t('matching.preview.up', { n: r.change })
        : r.change < 0
          ? t('matching.preview.down', { n: -r.change })
          : t('matching.preview.same')
  const columns: Column<Row>[] = [
    { id: 'rank', header: t('matching.preview.col.rank'), cell: (r) => r.rank },
    {
      id: 'name',
      header: t('matching.preview.col.name'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/providers/${r.orgId}`} data-i18n-data>
          {r.name}
        </Link>
      ),
    },
    { id: 'score', header: t('matching.preview.col.score'), cell: (r) => r.score.toFixed(1) },
    {
      id: 'saved',
      header: t('matching.preview.col.saved'),
      cell: (r) =>
        r.savedRank === null
          ? '—'
          : t('matching.preview.savedRank', { rank: r.savedRank, score: (r.savedScore ?? 0).toFixed(1) }),
    },
    {
      id: 'change',
      header: t('matching.preview.col.change'),
      cell: (r) => (
        <span className={r.change && r.change > 0 ? 'rank-up' : r.change && r.change < 0 ? 'rank-down' : undefined}>
          {change(r)}
        </span>
      ),
    },
  ]
  return (
    <section className="card section" aria-labelledby="preview-title" id="preview">
      <h2 id="preview-title">
        {t('matching.preview.result')} <span data-i18n-data>{preview.needTitle}</span>
      </h2>
      <p className="muted">{t('matching.preview.entered', { count: preview.entered })}</p>
      <DataTable
        caption={t('matching.preview.caption')}
        columns={columns}
        rows={preview.proposed}
        rowKey={(r) => r.orgId}
        empty={<p className="empty-state">{t('matching.preview.empty')}</p>}
      />
    </section>
  )
}
