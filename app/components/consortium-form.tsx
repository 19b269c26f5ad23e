import { Form, Link, useLocation } from '@remix-run/react'
import { useState, type FormEvent, type ReactNode } from 'react'
import type { ProviderPick } from '~/domain/providers/template-views.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { ErrorSummary, InputField } from './form.js'

/*
 * The consortium form (总承包 + 分包). Members are picked by searching verified providers
 * by name: the search is a GET form and each pick a link, so the words and the picks
 * live in the URL (`?q=…&m=12&m=34`) and the page works without scripts. The shares are
 * numbered rows (m1Org, m1Scope, m1Share …) under the lead's own; with scripts their
 * running sum shows as one types, and a refused form comes back with what was sent.
 */

type Raw = Record<string, string | string[]>

const text = (raw: Raw | null, name: string, fallback = ''): string => {
  const v = raw?.[name]
  return Array.isArray(v) ? (v[0] ?? fallback) : (v ?? fallback)
}

/** The current URL with the picks changed (and the search words kept). */
function usePickHref() {
  const location = useLocation()
  return (picked: readonly number[]) => {
    const params = new URLSearchParams(location.search)
    params.delete('m')
    for (const id of picked) params.append('m', String(id))
    const qs = params.toString()
    return `${location.pathname}${qs ? `?${qs}` : ''}`
  }
}

/** Search verified providers by name and pick them (the picks are in the URL). */
export function MemberPicker({
  q,
  picked,
  results,
  capacity,
  exclude = [],
}: {
  q: string
  /** Ids picked so far (from the URL). */
  picked: readonly number[]
  results: ProviderPick[]
  /** How many more may be picked. */
  capacity: number
  /** Organisations already in the consortium (not offered). */
  exclude?: readonly number[]
}) {
  const t = useT()
  const href = usePickHref()
  const offered = results.filter((r) => !exclude.includes(r.orgId))
  return (
    <section className="card section" aria-labelledby="picker-title">
      <h2 id="picker-title">{t('consortium.picker.title')}</h2>
      <Form method="get" role="search" className="actions">
        {picked.map((id) => (
          <input key={id} type="hidden" name="m" value={id} />
        ))}
        <label htmlFor="picker-q" className="visually-hidden">
          {t('consortium.picker.label')}
        </label>
        <input
          id="picker-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={40}
          placeholder={t('consortium.picker.placeholder')}
        />
        <button type="submit">{t('consortium.picker.search')}</button>
      </Form>
      {q ? (
        offered.length === 0 ? (
          <p className="muted" role="status">
            {t('consortium.picker.none')}
          </p>
        ) : (
          <ul className="picker-results" aria-label={t('consortium.picker.results')}>
            {offered.map((r) => (
              <li key={r.orgId}>
                <span>
                  <strong data-i18n-data>{r.name}</strong>{' '}
                  <span className="muted" data-i18n-data>
                    {r.regionName}
                  </span>
                </span>
                {capacity > 0 ? (
                  <Link className="button button-small" to={href([...picked, r.orgId])} replace preventScrollReset>
                    {t('consortium.picker.add')}
                    <span className="visually-hidden" data-i18n-data>
                      {' '}
                      {r.name}
                    </span>
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : (
        <p className="muted">{t('consortium.picker.hint')}</p>
      )}
      {capacity <= 0 ? <p className="notice notice-warn">{t('consortium.picker.full')}</p> : null}
    </section>
  )
}

/** One member row of the shares form. */
export interface ShareRow {
  orgId: number
  name: string
  scope: string
  share: number | null
  /** Already in the consortium: removed with a checkbox; a new pick is dropped from the URL instead. */
  existing: boolean
  status?: ReactNode
}

/** The name, the lead's share and scope, one row per member; the running sum of the shares. */
export function ConsortiumForm({
  name,
  leadName,
  leadScope,
  leadShare,
  rows,
  picked,
  failure,
  echoed,
  submitLabel,
  children,
}: {
  name: string
  leadName: string
  leadScope: string
  leadShare: number | null
  rows: ShareRow[]
  /** The picks in the URL (to drop a new one). */
  picked: readonly number[]
  failure: FormFailure | undefined
  echoed: Raw | null
  submitLabel: string
  children?: ReactNode
}) {
  const t = useT()
  const message = useMessage()
  const href = usePickHref()
  const errors = failure?.fieldErrors ?? {}
  const initial = [text(echoed, 'leadShare', leadShare === null ? '' : String(leadShare))].concat(
    rows.map((r, i) => text(echoed, `m${i + 1}Share`, r.share === null ? '' : String(r.share))),
  )
  const sumOf = (values: readonly string[]) =>
    values.reduce((total, v) => total + (/^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : 0), 0)
  const [sum, setSum] = useState(() => sumOf(initial))
  const onInput = (event: FormEvent<HTMLFieldSetElement>) => {
    const inputs = event.currentTarget.querySelectorAll<HTMLInputElement>('input[data-share]')
    setSum(
      sumOf(
        [...inputs]
          .filter((i) => !i.closest('.share-row')?.querySelector<HTMLInputElement>('input[data-remove]:checked'))
          .map((i) => i.value),
      ),
    )
  }
  return (
    <Form method="post" noValidate className="form-wide">
      <ErrorSummary failure={failure} fieldIds={{ members: 'shares' }} />
      {children}
      <InputField
        id="name"
        name="name"
        label={t('consortium.field.name')}
        hint={t('consortium.field.nameHint')}
        required
        maxLength={80}
        defaultValue={text(echoed, 'name', name)}
        error={errors.name}
      />
      <fieldset
        id="shares"
        className="field share-rows milestones-editor"
        tabIndex={-1}
        onInput={onInput}
        aria-describedby={errors.shares ? 'shares-error' : undefined}
      >
        <legend>{t('consortium.field.shares')}</legend>
        <p className="field-hint">{t('consortium.field.sharesHint')}</p>
        <div className="share-row">
          <h3>
            <span data-i18n-data>{leadName}</span> · {t('consortium.role.lead')}
          </h3>
          <div className="template-form-pair">
            <InputField
              id="leadShare"
              name="leadShare"
              type="number"
              inputMode="numeric"
              min={1}
              max={100}
              data-share
              label={t('consortium.field.share')}
              required
              defaultValue={text(echoed, 'leadShare', leadShare === null ? '' : String(leadShare))}
              error={errors.leadShare}
            />
            <InputField
              id="leadScope"
              name="leadScope"
              maxLength={200}
              label={t('consortium.field.scope')}
              defaultValue={text(echoed, 'leadScope', leadScope)}
              error={errors.leadScope}
            />
          </div>
        </div>
        {rows.length === 0 ? <p className="muted">{t('consortium.field.noMembers')}</p> : null}
        {rows.map((r, i) => {
          const n = i + 1
          return (
            <div className="share-row" key={r.orgId}>
              <h3>
                <span data-i18n-data>{r.name}</span> · {t('consortium.role.member')} {r.status}
              </h3>
              <input type="hidden" name={`m${n}Org`} value={r.orgId} />
              {errors[`m${n}Org`] ? (
                <p id={`m${n}Org`} className="field-error" role="alert" tabIndex={-1}>
                  {message(errors[`m${n}Org`]!)}
                </p>
              ) : null}
              <div className="template-form-pair">
                <InputField
                  id={`m${n}Share`}
                  name={`m${n}Share`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={100}
                  data-share
                  label={t('consortium.field.shareOf', { name: r.name })}
                  required
                  defaultValue={text(echoed, `m${n}Share`, r.share === null ? '' : String(r.share))}
                  error={errors[`m${n}Share`]}
                />
                <InputField
                  id={`m${n}Scope`}
                  name={`m${n}Scope`}
                  maxLength={200}
                  label={t('consortium.field.scopeOf', { name: r.name })}
                  defaultValue={text(echoed, `m${n}Scope`, r.scope)}
                  error={errors[`m${n}Scope`]}
                />
              </div>
              {r.existing ? (
                <label className="checkbox-inline">
                  <input
                    type="checkbox"
                    name={`m${n}Remove`}
                    value="1"
                    data-remove
                    defaultChecked={Boolean(text(echoed, `m${n}Remove`))}
                  />{' '}
                  {t('consortium.field.remove')}
                  <span className="visually-hidden" data-i18n-data>
                    {' '}
                    {r.name}
                  </span>
                </label>
              ) : (
                <Link to={href(picked.filter((id) => id !== r.orgId))} replace preventScrollReset>
                  {t('consortium.picker.drop')}
                  <span className="visually-hidden" data-i18n-data>
                    {' '}
                    {r.name}
                  </span>
                </Link>
              )}
            </div>
          )
        })}
        <p className={`milestone-sum ${sum === 100 ? 'milestone-sum-ok' : 'milestone-sum-off'}`} aria-live="polite">
          {sum === 100 ? t('consortium.sumOk') : t('consortium.sumOff', { sum })}
        </p>
        {errors.shares ? (
          <p id="shares-error" className="field-error" role="alert">
            {failure?.formParams?.sum !== undefined
              ? t('consortium.v.shareSum', { sum: failure.formParams.sum })
              : message(errors.shares)}
          </p>
        ) : null}
      </fieldset>
      <button type="submit">{submitLabel}</button>
    </Form>
  )
}
