import type { SerializeFrom } from '@remix-run/node'
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { Completeness, ScenarioChoice } from '~/domain/providers/views.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { RequiredMark } from './form.js'

/*
 * Fields of the providers' forms: checkbox groups of reference codes (industries;
 * scenarios grouped by the five links of the value chain) and the completeness meter.
 */

const LINKS = ['factory_build', 'rd_design', 'production', 'production_mgmt', 'operations_mgmt'] as const

/** The id of one checkbox of a group: where an error summary's link for the group leads (the first one). */
export function checkboxId(group: string, code: string): string {
  return `${group}-${code}`
}

interface GroupProps {
  /** The group's id (the fieldset's: links to the field lead here) and the field's name without `[]`. */
  name: string
  legend: string
  hint?: string
  checked: readonly string[]
  error?: string
  required?: boolean
}

function GroupShell({ name, legend, hint, error, required, children }: Omit<GroupProps, 'checked'> & { children: ReactNode }) {
  const message = useMessage()
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ')
  return (
    <fieldset id={name} className="checkbox-group" aria-describedby={describedBy || undefined}>
      <legend>
        {legend}
        {required ? <RequiredMark /> : null}
      </legend>
      {hint ? (
        <p id={`${name}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${name}-error`} className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </fieldset>
  )
}

function Checkbox({ group, code, label, checked }: { group: string; code: string; label: string; checked: boolean }) {
  const id = checkboxId(group, code)
  return (
    <label htmlFor={id}>
      <input id={id} type="checkbox" name={`${group}[]`} value={code} defaultChecked={checked} />
      <span data-i18n-data>{label}</span>
    </label>
  )
}

/** One checkbox per code (industries): `name[]`. */
export function CodeCheckboxes({ options, ...props }: GroupProps & { options: { code: string; name: string }[] }) {
  return (
    <GroupShell {...props}>
      <div className="checkbox-grid">
        {options.map((o) => (
          <Checkbox key={o.code} group={props.name} code={o.code} label={o.name} checked={props.checked.includes(o.code)} />
        ))}
      </div>
    </GroupShell>
  )
}

/** Scenarios as checkboxes, grouped by their link of the value chain (工厂建设, 研发设计 …). */
export function ScenarioCheckboxes({ options, ...props }: GroupProps & { options: ScenarioChoice[] }) {
  const t = useT()
  return (
    <GroupShell {...props}>
      {LINKS.map((link) => {
        const inLink = options.filter((o) => o.link === link)
        if (inLink.length === 0) return null
        return (
          <fieldset key={link} className="scenario-link">
            <legend>{t(`link.${link}`)}</legend>
            <div className="checkbox-grid">
              {inLink.map((o) => (
                <Checkbox key={o.code} group={props.name} code={o.code} label={o.name} checked={props.checked.includes(o.code)} />
              ))}
            </div>
          </fieldset>
        )
      })}
    </GroupShell>
  )
}

/**
 * How complete the profile is: the share filled in, then what is missing (each a link
 * to where it is filled in) and what is there.
 */
export function CompletenessMeter({ completeness }: { completeness: SerializeFrom<Completeness> }) {
  const t = useT()
  const missing = completeness.items.filter((i) => !i.filled)
  const filled = completeness.items.filter((i) => i.filled)
  return (
    <section className="card section completeness" aria-labelledby="completeness-title">
      <h2 id="completeness-title">{t('providers.completeness.title')}</h2>
      <p className="completeness-figure" data-testid="completeness-percent">
        {t('providers.completeness.percent', { percent: completeness.percent })}
      </p>
      <meter
        min={0}
        max={100}
        low={50}
        high={80}
        optimum={100}
        value={completeness.percent}
        aria-label={t('providers.completeness.title')}
      >
        {t('providers.completeness.percent', { percent: completeness.percent })}
      </meter>
      <p className="muted">{t('providers.completeness.lead')}</p>
      <div className="completeness-lists">
        {missing.length ? (
          <div>
            <h3 className="muted">{t('providers.completeness.missing')}</h3>
            <ul aria-label={t('providers.completeness.missing')}>
              {missing.map((i) => (
                <li key={i.key}>
                  <Link to={i.href}>{t(`providers.completeness.item.${i.key}`)}</Link>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>{t('providers.completeness.done')}</p>
        )}
        {filled.length ? (
          <div>
            <h3 className="muted">{t('providers.completeness.filled')}</h3>
            <ul aria-label={t('providers.completeness.filled')}>
              {filled.map((i) => (
                <li key={i.key}>{t(`providers.completeness.item.${i.key}`)}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </section>
  )
}

/** A qualification's validity: 2024-01-01 至 2027-01-01, 长期有效 … */
export function QualificationValidity({ from, until }: { from: string | null; until: string | null }) {
  const t = useT()
  if (from && until) return <>{t('providers.qualification.validityRange', { from, until })}</>
  if (until) return <>{t('providers.qualification.validityUntil', { until })}</>
  if (from) return <>{t('providers.qualification.validityFrom', { from })}</>
  return <>{t('providers.qualification.validityOpen')}</>
}

/** 有效 or 已过期 (its validity ended before today, in China). */
export function QualificationStatus({ expired }: { expired: boolean }) {
  const t = useT()
  return expired ? (
    <span className="badge badge-expired">{t('providers.qualification.expired')}</span>
  ) : (
    <span className="badge badge-verified">{t('providers.qualification.valid')}</span>
  )
}
