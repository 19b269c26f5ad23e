import {
  useEffect,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'
import { useMessage, useT } from '~/i18n/use-t.js'
import { formFailureOf, type FormFailure } from '~/utils/form-failure.js'
import { HONEYPOT_FIELD } from '~/utils/forms.js'

export type FieldErrors = Record<string, string> | undefined

interface FieldShellProps {
  id: string
  label: string
  error?: string
  hint?: string
  required?: boolean
  children: (aria: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode
}

/**
 * Marks a required field's label (or legend) with an asterisk. A control with the
 * `required` attribute is announced as required by itself, so its label adds nothing
 * for screen readers (its accessible name stays "密码", not "密码 必填"); a legend over a
 * group of checkboxes has no such attribute and reads out 必填 / required (`announce`).
 */
export function RequiredMark({ announce = true }: { announce?: boolean }) {
  const t = useT()
  return (
    <span className="required-mark">
      <span aria-hidden="true"> *</span>
      {announce ? <span className="visually-hidden"> {t('form.required')}</span> : null}
    </span>
  )
}

function FieldShell({ id, label, error, hint, required, children }: FieldShellProps) {
  const message = useMessage()
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark announce={false} /> : null}
      </label>
      {children({
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </div>
  )
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & {
  id: string
  name: string
  label: string
  error?: string
  hint?: string
}

export function InputField({ id, label, error, hint, ...input }: InputProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={input.required}>
      {(aria) => <input id={id} {...aria} {...input} />}
    </FieldShell>
  )
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  id: string
  name: string
  label: string
  error?: string
  hint?: string
  children: ReactNode
}

export function SelectField({ id, label, error, hint, children, ...select }: SelectProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={select.required}>
      {(aria) => (
        <select id={id} {...aria} {...select}>
          {children}
        </select>
      )}
    </FieldShell>
  )
}

type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  id: string
  name: string
  label: string
  error?: string
  hint?: string
}

export function TextareaField({ id, label, error, hint, ...textarea }: TextareaProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={textarea.required}>
      {(aria) => <textarea id={id} {...aria} {...textarea} />}
    </FieldShell>
  )
}

/** The failure an action answered with, if it did (see app/utils/form-failure.ts). */
export function useFormFailure(actionData: unknown): FormFailure | undefined {
  return formFailureOf(actionData)
}

/**
 * The top of a failed form: the form's message and every field's message as a link
 * to the field. It takes focus when a new failure arrives, so a person on a phone or
 * with a screen reader is told at once, where they are looking.
 * `fieldIds` maps a field's name to its element id where the two differ.
 */
export function ErrorSummary({
  failure,
  fieldIds = {},
  fieldLabels = {},
}: {
  failure: FormFailure | undefined
  fieldIds?: Record<string, string>
  /** Names a field before its message where several share one (the questions of a questionnaire). */
  fieldLabels?: Record<string, string>
}) {
  const translate = useMessage()
  const t = useT()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (failure) ref.current?.focus()
  }, [failure])
  if (!failure) return null
  const fields = Object.entries(failure.fieldErrors).filter(([name]) => name !== '_form')
  const formMessage = translate(failure.formError, failure.formParams)
  return (
    <div ref={ref} className="form-error error-summary" role="alert" tabIndex={-1}>
      <p className="error-summary-title">{formMessage}</p>
      {fields.length > 0 ? (
        <>
          {fields.length > 1 || translate(fields[0]![1]) !== formMessage ? (
            <p className="visually-hidden">{t('errors.summary')}</p>
          ) : null}
          <ul>
            {fields.map(([name, message]) => (
              <li key={name}>
                <a href={`#${fieldIds[name] ?? name}`}>
                  {fieldLabels[name]
                    ? t('errors.fieldLabelled', { label: fieldLabels[name], message: translate(message) })
                    : translate(message)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}

/** A form-level message alone (forms without fields of their own, e.g. a confirm button). */
export function FormError({ message }: { message?: string | null }) {
  const translate = useMessage()
  if (!message) return null
  return (
    <p className="form-error" role="alert">
      {translate(message)}
    </p>
  )
}

/** Hidden from people (and assistive tech); bots that fill every field give themselves away. */
export function Honeypot() {
  const t = useT()
  return (
    <div aria-hidden="true" style={{ position: 'absolute', left: '-10000px', width: 1, height: 1, overflow: 'hidden' }}>
      <label htmlFor={HONEYPOT_FIELD}>{t('form.honeypot')}</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  )
}
