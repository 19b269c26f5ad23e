import { isRouteErrorResponse, Link } from '@remix-run/react'
import { hasMessage } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'

/** Keys that say no more than the status's own text. */
const GENERIC_REASONS: ReadonlySet<string> = new Set([
  'errors.forbidden',
  'errors.notFound',
  'errors.badRequest',
  'errors.rateLimited',
])

/** The error page's body (the root's error boundary, and route boundaries for errors they do not handle themselves). */
export function ErrorView({ error }: { error: unknown }) {
  const t = useT()
  const status = isRouteErrorResponse(error) ? error.status : 500
  // Other client errors (405, 413, 415) read as a bad request; only server faults are logged.
  const known =
    status === 400 || status === 403 || status === 404 || status === 409 || status === 429 ? status : status < 500 ? 400 : 500
  if (known === 500) console.error(error)
  // A use case's refusal carries its message key (app/web/route-errors.server.ts): say
  // the specific reason where there is one, the status's general text otherwise.
  const reason =
    isRouteErrorResponse(error) && typeof error.data === 'string' && hasMessage(error.data) && !GENERIC_REASONS.has(error.data)
      ? error.data
      : null
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(`error.${known}.title`)}</h1>
      <p>{reason ? t(reason) : t(`error.${known}.body`)}</p>
      {reason?.startsWith('accounts.verify.') ? (
        <p>
          <Link to="/account/verify">{t('verify.title')}</Link>
        </p>
      ) : null}
      <Link className="button" to="/">
        {t('error.backHome')}
      </Link>
    </section>
  )
}
