import type { LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect, type ReactNode } from 'react'
import { DemoBanner } from './components/demo-banner.js'
import { ErrorView } from './components/error-view.js'
import { useFocusOnNavigation } from './components/focus.js'
import { getViewer } from './domain/accounts/viewer.server.js'
import { isActiveExpert } from './domain/events/experts.server.js'
import { unreadNotificationCount } from './domain/notifications/notifications.server.js'
import { unreadLabel } from './domain/notifications/kinds.js'
import { hasDemoData } from './domain/orgs/demo.server.js'
import { DEFAULT_LOCALE, isLocale, translator } from './i18n/index.js'
import { useLocale, useT } from './i18n/use-t.js'
import { getLocale } from './i18n/locale.server.js'
import styles from './styles/app.css'
import { services } from './web/services.server.js'
import { readFlash } from './utils/flash.server.js'
import { useNonce } from './utils/nonce.js'

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231554b8'/%3E%3Ctext x='16' y='23' font-size='19' text-anchor='middle' fill='white' font-family='sans-serif'%3E%E5%AF%B9%3C/text%3E%3C/svg%3E"

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: FAVICON, type: 'image/svg+xml' },
]

/** The title of pages without their own, and of the error page, in the reader's language. */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const t = translator(data && isLocale(data.locale) ? data.locale : DEFAULT_LOCALE)
  if (!error) return [{ title: t('app.fullName') }]
  const status = isRouteErrorResponse(error) ? error.status : 500
  const kind = ([400, 403, 404, 409, 429] as const).find((s) => s === status) ?? (status < 500 ? 400 : 500)
  return [{ title: `${t(`error.${kind}.title`)} · ${t('app.name')}` }]
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = services()
  const viewer = await getViewer(db, request)
  const { flash, clear } = await readFlash(request)
  return json(
    {
      locale: await getLocale(request),
      flash,
      // While demo data is present every page says so: its accounts' password is public.
      demo: await hasDemoData(db),
      viewer: viewer && {
        name: viewer.user.name,
        // The bell: one count over the partial index of unread notices, capped at 100.
        unread: await unreadNotificationCount(db, viewer.user.id),
        // An expert of an agency's 专家库 (issue 15): the header links to their review tasks.
        expert: await isActiveExpert(db, viewer.user.id),
        memberships: viewer.memberships.map((m) => ({ orgId: m.orgId, orgName: m.orgName, kind: m.kind, status: m.status })),
        activeOrg: viewer.activeOrg && {
          orgId: viewer.activeOrg.orgId,
          orgName: viewer.activeOrg.orgName,
          kind: viewer.activeOrg.kind,
          status: viewer.activeOrg.status,
          role: viewer.activeOrg.role,
          membership: viewer.activeOrg.membership,
        },
      },
    },
    clear ? { headers: { 'Set-Cookie': clear } } : undefined,
  )
}

export type RootData = SerializeFrom<typeof loader>

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>('root')
}

/** The notification bell: a link to /notifications (works without scripts), named with the unread count. */
function Bell({ unread }: { unread: number }) {
  const t = useT()
  const label = unreadLabel(unread)
  return (
    <NavLink
      to="/notifications"
      className="bell"
      aria-label={unread > 0 ? t('notifications.bell.unread', { count: label }) : t('notifications.bell.none')}
    >
      <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread > 0 ? <span className="bell-count">{label}</span> : null}
    </NavLink>
  )
}

function UserNav() {
  const t = useT()
  const data = useRootData()
  const viewer = data?.viewer
  if (!viewer) {
    return (
      <div className="user-nav">
        <NavLink to="/login">{t('nav.login')}</NavLink>
        <NavLink to="/register" className="button button-small">
          {t('nav.register')}
        </NavLink>
      </div>
    )
  }
  return (
    <div className="user-nav" aria-label={t('nav.user')} role="group">
      {viewer.memberships.length > 1 ? (
        <Form method="post" action="/org/switch" className="org-switch">
          <label htmlFor="org-switch" className="visually-hidden">
            {t('nav.activeOrg')}
          </label>
          <select id="org-switch" name="orgId" defaultValue={viewer.activeOrg?.orgId}>
            {viewer.memberships.map((m) => (
              <option key={m.orgId} value={m.orgId} data-i18n-data>
                {m.orgName}
              </option>
            ))}
          </select>
          <button type="submit" className="button-small button-secondary">
            {t('nav.switchOrg')}
          </button>
        </Form>
      ) : viewer.activeOrg ? (
        <span className="muted" data-i18n-data>
          {viewer.activeOrg.orgName}
        </span>
      ) : null}
      <Bell unread={viewer.unread} />
      <NavLink to="/account" data-i18n-data>
        {viewer.name}
      </NavLink>
      <Form method="post" action="/logout">
        <button type="submit" className="button-link">
          {t('nav.logout')}
        </button>
      </Form>
    </div>
  )
}

function Document({ children }: { children: ReactNode }) {
  const locale = useLocale()
  const nonce = useNonce()
  // Marks the moment React owns the page, so tests (and scripts) can wait for it.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

function Shell({ children }: { children: ReactNode }) {
  const t = useT()
  const locale = useLocale()
  const location = useLocation()
  const data = useRootData()
  const active = data?.viewer?.activeOrg
  // Client navigations move focus to the new page's h1, as a page load would for a screen reader.
  useFocusOnNavigation()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      {data?.demo ? <DemoBanner /> : null}
      <header className="site-header">
        <div className="container header-inner">
          {/* Named by its visible text (axe: label-content-name-mismatch); the mark is the logo. */}
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" data-i18n-data>
              对
            </span>
            <span className="brand-text">{t('app.name')}</span>
            <span className="visually-hidden"> · {t('app.subtitle')}</span>
          </Link>
          <nav aria-label={t('nav.main')} className="main-nav">
            <NavLink to="/" end>
              {t('nav.home')}
            </NavLink>
            <NavLink to="/needs">{t('nav.needs')}</NavLink>
            <NavLink to="/providers">{t('directory.nav')}</NavLink>
            <NavLink to="/templates">{t('template.nav')}</NavLink>
            {data?.viewer ? <NavLink to="/org">{t('nav.org')}</NavLink> : null}
            {data?.viewer?.expert ? <NavLink to="/expert">{t('eventReview.expert.title')}</NavLink> : null}
            {/* The server decides; the links follow the agency role (viewers read the log only). */}
            {active?.kind === 'agency' && active.status === 'verified' && active.membership === 'active' ? (
              <>
                <NavLink to="/agency/dashboard">{t('dashboard.nav')}</NavLink>
                {active.role !== 'viewer' ? <NavLink to="/agency/audits">{t('nav.audits')}</NavLink> : null}
                <NavLink to="/agency/events">{t('events.nav')}</NavLink>
                <NavLink to="/agency/contracts">{t('workspaces.nav.agency')}</NavLink>
                <NavLink to="/agency/audit-log">{t('nav.auditLog')}</NavLink>
              </>
            ) : null}
          </nav>
          <UserNav />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container main">
        {data?.flash ? (
          <p className="notice notice-success" role="status">
            {t(data.flash.key, data.flash.params)}
          </p>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <div className="container footer-inner">
          <p>{t('footer.about')}</p>
          <nav aria-label={t('footer.links')} className="footer-links">
            <Link to="/policies">{t('policy.index.title')}</Link>
          </nav>
          <Form method="post" action="/lang" className="lang-form">
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            <label htmlFor="lang-select">{t('footer.language')}</label>
            <select id="lang-select" name="lang" defaultValue={locale}>
              {/* Each language named in itself (and marked as such for screen readers). */}
              <option value="zh-CN" lang="zh-CN">
                简体中文
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
            <button type="submit" className="button button-small">
              {t('footer.switch')}
            </button>
          </Form>
        </div>
      </footer>
    </>
  )
}

export default function App() {
  return (
    <Document>
      <Shell>
        <Outlet />
      </Shell>
    </Document>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  return (
    <Document>
      <Shell>
        <ErrorView error={error} />
      </Shell>
    </Document>
  )
}
