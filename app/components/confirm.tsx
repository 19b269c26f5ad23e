import { Form, Link, useLocation, useSubmit } from '@remix-run/react'
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useT } from '~/i18n/use-t.js'
import { HONEYPOT_FIELD } from '~/utils/forms.js'
import { focusElement } from './focus.js'

/*
 * Irreversible actions (approving or rejecting an application, removing a member,
 * revoking an invitation, ending sessions) ask first. With scripts, a native <dialog>
 * asks: modal, keyboard-operable (Esc cancels, focus starts on Cancel and returns to the
 * button), and the form is sent only on Confirm. Without scripts, the form's button
 * sends `_confirm=ask`: the action checks the input as usual, changes nothing and answers
 * with the fields it got (`confirmationAsked`); the page then shows a confirm step
 * (`ConfirmStep`) that sends them again without the flag. A request without the flag
 * (a test, a script, the dialog's Confirm) acts at once.
 */

export const CONFIRM_FIELD = '_confirm'

/** What an action answers to `_confirm=ask`: the fields to send again once confirmed (a repeated one as a list). */
export interface ConfirmRequest {
  confirm: { fields: Record<string, string | string[]> }
}

/**
 * In an action, after the input has been checked: the answer asking the person to
 * confirm, or null when the request is the confirmed one (or never asked).
 */
export function confirmationAsked(form: FormData): ConfirmRequest | null {
  if (form.get(CONFIRM_FIELD) !== 'ask') return null
  const fields: Record<string, string | string[]> = {}
  for (const [key, value] of form) {
    if (key === CONFIRM_FIELD || key === HONEYPOT_FIELD || typeof value !== 'string') continue
    // A repeated field (checkboxes such as `providerKinds[]`) keeps every value.
    const previous = fields[key]
    fields[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]
  }
  return { confirm: { fields } }
}

/** The confirmation an action asked for, if its data is one. */
export function confirmRequestOf(data: unknown): ConfirmRequest['confirm'] | undefined {
  if (data && typeof data === 'object' && 'confirm' in data) {
    const { confirm } = data
    if (confirm && typeof confirm === 'object' && 'fields' in confirm) return confirm as ConfirmRequest['confirm']
  }
  return undefined
}

interface Question {
  /** The question, naming what it is about ("Approve 扬州某某公司?"). */
  question: ReactNode
  /** What follows, plainly ("It appears in public lists at once. This cannot be undone."). */
  consequence?: ReactNode
  /** The confirming button's label ("Approve"). */
  confirmLabel: string
  /** A destructive action: the confirming button is red. */
  danger?: boolean
}

interface ConfirmFormProps extends Question {
  /** The form's own button. */
  label: string
  buttonClassName?: string
  buttonId?: string
  /** An accessible name for the form's button when its label alone is ambiguous in a list. */
  buttonAriaLabel?: string
  /** Or words heard after the label but not shown (the member's name, marked as data). */
  buttonExtra?: ReactNode
  disabled?: boolean
  className?: string
  noValidate?: boolean
  /** Hidden inputs and fields of the form. */
  children: ReactNode
}

/** A POST form whose button asks for confirmation before anything is sent. */
export function ConfirmForm({
  label,
  buttonClassName,
  buttonId,
  buttonAriaLabel,
  buttonExtra,
  disabled,
  className,
  noValidate,
  children,
  ...question
}: ConfirmFormProps) {
  const t = useT()
  const submit = useSubmit()
  const form = useRef<HTMLFormElement>(null)
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const ids = useId()
  return (
    <Form
      method="post"
      ref={form}
      className={className}
      noValidate={noValidate}
      onSubmit={(event) => {
        // A form that is not complete goes as it is: the server names what is missing.
        if (!event.currentTarget.checkValidity() || !dialog.current?.showModal) return
        event.preventDefault()
        dialog.current.showModal()
        cancel.current?.focus()
      }}
    >
      {children}
      <button
        type="submit"
        id={buttonId}
        name={CONFIRM_FIELD}
        value="ask"
        className={buttonClassName}
        aria-label={buttonAriaLabel}
        disabled={disabled}
      >
        {label}
        {buttonExtra ? <span className="visually-hidden"> {buttonExtra}</span> : null}
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={`${ids}-q`}
        aria-describedby={question.consequence ? `${ids}-c` : undefined}
        style={{ maxWidth: 'min(32rem, calc(100vw - 2rem))', borderRadius: 8, padding: '1.25rem' }}
      >
        <h2 id={`${ids}-q`} style={{ marginTop: 0, fontSize: '1.125rem' }}>
          {question.question}
        </h2>
        {question.consequence ? <p id={`${ids}-c`}>{question.consequence}</p> : null}
        <div className="actions">
          <button
            type="button"
            className={question.danger ? 'button-danger' : undefined}
            onClick={() => {
              dialog.current?.close()
              if (form.current) submit(form.current, { method: 'post' })
            }}
          >
            {question.confirmLabel}
          </button>
          <button type="button" ref={cancel} className="button-secondary" onClick={() => dialog.current?.close()}>
            {t('confirm.cancel')}
          </button>
        </div>
      </dialog>
    </Form>
  )
}

/**
 * The second step without scripts: the question and a form that sends the fields again,
 * without the flag, or a way back. It takes focus (with scripts: a button pressed
 * before they loaded), and sits at the top of the page, where a page load starts.
 */
export function ConfirmStep({ request, ...question }: Question & { request: ConfirmRequest['confirm'] }) {
  const t = useT()
  const location = useLocation()
  const section = useRef<HTMLElement>(null)
  const ids = useId()
  useEffect(() => focusElement(section.current), [request])
  return (
    <section
      ref={section}
      className="notice notice-warn confirm-step"
      role="alertdialog"
      aria-labelledby={`${ids}-q`}
      aria-describedby={question.consequence ? `${ids}-c` : undefined}
    >
      <h2 id={`${ids}-q`} style={{ marginTop: 0, fontSize: '1.125rem' }}>
        {question.question}
      </h2>
      {question.consequence ? <p id={`${ids}-c`}>{question.consequence}</p> : null}
      <Form method="post" className="actions">
        {Object.entries(request.fields).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value]).map((v, i) => (
            <input key={`${name}-${i}`} type="hidden" name={name} value={v} />
          )),
        )}
        <button type="submit" className={question.danger ? 'button-danger' : undefined}>
          {question.confirmLabel}
        </button>
        <Link className="button button-secondary" to={location.pathname + location.search} replace>
          {t('confirm.cancel')}
        </Link>
      </Form>
    </section>
  )
}
