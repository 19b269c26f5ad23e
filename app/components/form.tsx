import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { useMessage } from '~/i18n/use-t.js'
import { HONEYPOT_FIELD } from '~/utils/forms.js'

export type FieldErrors = Record<string, string> | undefined

interface FieldShellProps {
  id: string
  label: string
  error?: string
  hint?: string
  children: (aria: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode
}

function FieldShell({ id, label, error, hint, children }: FieldShellProps) {
  const message = useMessage()
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ ...(error ? { 'aria-invalid': true as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
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

type InputProps = InputHTMLAttributes<HTMLInputElement> & { id: string; name: string; label: string; error?: string; hint?: string }

export function InputField({ id, label, error, hint, ...input }: InputProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
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
    <FieldShell id={id} label={label} error={error} hint={hint}>
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
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {(aria) => <textarea id={id} {...aria} {...textarea} />}
    </FieldShell>
  )
}

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
  return (
    <div aria-hidden="true" style={{ position: 'absolute', left: '-10000px', width: 1, height: 1, overflow: 'hidden' }}>
      <label htmlFor={HONEYPOT_FIELD}>请勿填写此项</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  )
}
