import { ConfirmForm } from '~/components/confirm.js'
import type { FileView } from '~/domain/files/views.js'
import { formatBytes } from '~/domain/files/purposes.js'
import { useT } from '~/i18n/use-t.js'

interface FileListProps {
  files: readonly FileView[]
  /** What an image shows, for people who cannot see it (a case's title and the image's number); default its file name. */
  altOf?: (file: FileView, index: number) => string
  /** Shown when there is no file; nothing at all when omitted. */
  empty?: string
  /**
   * A remove button per file: a POST to the page's action with `intent` and the file's
   * id as `fileId` (or `fieldName`), asked first (ConfirmForm: the dialog with scripts;
   * without, the action's confirmationAsked answers a confirm step).
   */
  remove?: { intent: string; fieldName?: string; disabled?: boolean }
  className?: string
}

const THUMB = 120

/**
 * An object's files: images as thumbnails (their preview, linked to the full image),
 * other files as their name and size (a download). Names are the uploader's words,
 * marked as data (not translated).
 */
export function FileList({ files, altOf, empty, remove, className }: FileListProps) {
  const t = useT()
  if (files.length === 0) return empty ? <p className="file-list-empty muted">{empty}</p> : null
  return (
    <ul
      className={['file-list', className].filter(Boolean).join(' ')}
      style={{ listStyle: 'none', padding: 0, margin: '0 0 14px', display: 'flex', flexWrap: 'wrap', gap: 12 }}
    >
      {files.map((file, index) => {
        const size = formatBytes(file.size)
        return (
          <li
            key={file.id}
            className={file.isImage ? 'file-list-image' : 'file-list-document'}
            style={{ display: 'flex', flexDirection: 'column', gap: 6, maxWidth: file.isImage ? THUMB : '100%' }}
          >
            {file.isImage ? (
              <a href={file.url} target="_blank" rel="noreferrer" title={t('files.list.open', { name: file.name, size })}>
                <img
                  src={file.previewUrl ?? file.url}
                  alt={altOf ? altOf(file, index) : file.name}
                  width={THUMB}
                  height={thumbHeight(file)}
                  loading="lazy"
                  decoding="async"
                  style={{ display: 'block', width: THUMB, height: thumbHeight(file), objectFit: 'cover', borderRadius: 4 }}
                />
              </a>
            ) : (
              <a href={file.url} download={file.name} aria-label={t('files.list.download', { name: file.name, size })}>
                <span data-i18n-data style={{ overflowWrap: 'anywhere' }}>
                  {file.name}
                </span>{' '}
                <span className="muted">({size})</span>
              </a>
            )}
            {remove ? (
              <ConfirmForm
                label={t('files.list.remove')}
                buttonClassName="button-small button-secondary"
                buttonAriaLabel={t('files.list.removeNamed', { name: file.name })}
                question={t('files.list.removeQuestion', { name: file.name })}
                consequence={t('files.list.removeConsequence')}
                confirmLabel={t('files.list.remove')}
                danger
                disabled={remove.disabled}
              >
                <input type="hidden" name="intent" value={remove.intent} />
                <input type="hidden" name={remove.fieldName ?? 'fileId'} value={file.id} />
              </ConfirmForm>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** The thumbnail's height at THUMB wide, keeping the image's proportions (square when unknown), at most square. */
function thumbHeight(file: FileView): number {
  if (!file.width || !file.height) return THUMB
  return Math.max(40, Math.min(THUMB, Math.round((THUMB * file.height) / file.width)))
}
