import { useState, type ChangeEvent } from 'react'
import { FILE_PURPOSES, formatBytes, purposeAccept, purposeTypeLabels, type FilePurpose } from '~/domain/files/purposes.js'
import { RequiredMark } from '~/components/form.js'
import { useMessage, useT } from '~/i18n/use-t.js'

interface FileInputProps {
  id: string
  name: string
  label: string
  /** Decides the accepted types and the size limit shown (the server checks both again, from the content). */
  purpose: FilePurpose
  /** A message key from the action's failure (`failure?.fieldErrors.<name>`). */
  error?: string
  /** Several files in one go, at most `maxFiles` (readUploadForm's own limit). */
  multiple?: boolean
  maxFiles?: number
  required?: boolean
  /** Words shown before the types and the limit. */
  hint?: string
  disabled?: boolean
}

/**
 * A file field for a form sent with `encType="multipart/form-data"` (read on the server
 * by readUploadForm): its label, the accepted types and the size limit in words, the
 * chosen file's name (announced politely), and the server's error for it. With
 * scripts, a file over the limit is flagged at once and the browser will not send the
 * form (setCustomValidity); the server refuses it anyway (413).
 */
export function FileInput({ id, name, label, purpose, error, multiple, maxFiles, required, hint, disabled }: FileInputProps) {
  const t = useT()
  const message = useMessage()
  const [chosen, setChosen] = useState<string | null>(null)
  const [tooLarge, setTooLarge] = useState<string | null>(null)
  const limit = formatBytes(FILE_PURPOSES[purpose].maxBytes)
  const types = purposeTypeLabels(purpose)
  const rules =
    multiple && maxFiles ? t('files.input.hintMany', { types, limit, max: maxFiles }) : t('files.input.hint', { types, limit })

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget
    const files = Array.from(input.files ?? [])
    const over = files.find((f) => f.size > FILE_PURPOSES[purpose].maxBytes)
    const problem = over
      ? t('files.input.tooLargeNow', { name: over.name, limit })
      : multiple && maxFiles && files.length > maxFiles
        ? t('files.e.tooMany', { max: maxFiles })
        : null
    input.setCustomValidity(problem ?? '')
    setTooLarge(problem)
    setChosen(
      files.length === 0
        ? null
        : files.length === 1
          ? t('files.input.chosen', { name: files[0]!.name })
          : t('files.input.chosenMany', { count: files.length }),
    )
  }

  const shownError = tooLarge ?? (error ? message(error) : null)
  const describedBy = [`${id}-hint`, shownError ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div className="field file-input">
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark announce={false} /> : null}
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept={purposeAccept(purpose)}
        multiple={multiple}
        required={required}
        disabled={disabled}
        aria-describedby={describedBy}
        {...(shownError ? { 'aria-invalid': true as const } : {})}
        onChange={onChange}
      />
      <span id={`${id}-hint`} className="field-hint">
        {hint ? `${hint} ` : null}
        {rules}
      </span>
      <span className="field-hint file-input-chosen" aria-live="polite">
        {chosen ?? ''}
      </span>
      {shownError ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {shownError}
        </p>
      ) : null}
    </div>
  )
}
