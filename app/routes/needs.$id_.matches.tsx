import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { Breakdown, ScoreBar, WhyFirst } from '~/components/matching-breakdown.js'
import { ErrorSummary, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { StatusBadge } from '~/components/status-badge.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { inviteProviders, recommendProvider } from '~/domain/matching/invitations.server.js'
import { getNeedMatches, ZMatchesQuery, ZPairingInput } from '~/domain/matching/need-matches.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/matching.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? pageTitle(matches, 'matching.page.title', { title: data.need.title }) : pageTitle(matches, 'matching.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZMatchesQuery, args.request)
    return json(await getNeedMatches(db, search, actor, id, { page, locale: await getLocale(args.request) }))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, search } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const input = parseForm(ZPairingInput, await args.request.formData())
    const back = `/needs/${id}/matches${input.page > 1 ? `?page=${input.page}` : ''}`
    if (input.intent === 'invite') {
      const done = await inviteProviders(db, search, actor, id, input['providers[]'])
      const flash = done.added.length
        ? { key: 'matching.invited' as const, params: { count: done.added.length, already: done.already.length } }
        : { key: 'matching.invitedAlready' as const }
      return redirect(back, { headers: { 'Set-Cookie': await setFlash(flash) } })
    }
    const done = await recommendProvider(db, actor, id, input.provider, input.note)
    const key = done.added.length ? ('matching.recommended' as const) : ('matching.recommendedAlready' as const)
    return redirect(back, { headers: { 'Set-Cookie': await setFlash({ key }) } })
  })
}

type Data = SerializeFrom<typeof loader>
type Row = Data['rows'][number]

export default function NeedMatchesPage() {
  const data = useLoaderData<typeof loader>()
  const { need, rows } = data
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const busy = useNavigation().state === 'submitting'
  const [params] = useSearchParams()
  const t = useT()
  const first = data.page === 1 ? rows[0] : undefined
  const second = data.page === 1 ? rows[1] : undefined
  const preselected = Number(params.get('recommend') ?? '') || undefined
  const recommendable = rows.filter((r) => !r.recommended)
  const failedForm = failure && 'provider' in failure.fieldErrors ? 'recommend' : failure ? 'invite' : null

  return (
    <article aria-labelledby="need-title">
      {data.viewer === 'owner' ? <EnterpriseWorkspaceNav /> : null}
      <p>
        {need.ownHref ? (
          <Link to={need.ownHref}>← {t('matching.back.own')}</Link>
        ) : need.publicHref ? (
          <Link to={need.publicHref}>← {t('matching.back.public')}</Link>
        ) : (
          <Link to="/agency/enterprises">← {t('matching.back.agency')}</Link>
        )}
      </p>
      <header className="page-head">
        <p className="eyebrow">{t('matching.title')}</p>
        <h1 id="need-title" data-i18n-data>
          {need.title}
        </h1>
        <div className="badges">
          <StatusBadge kind="needStatus" value={need.status} />
        </div>
      </header>
      <p className="muted">
        {t('matching.lead', { total: data.total })}{' '}
        {data.weightsRegionName ? (
          <>
            {t('matching.weightsOf')} <span data-i18n-data>{data.weightsRegionName}</span>
          </>
        ) : (
          t('matching.weightsDefault')
        )}
      </p>
      {data.notOpen ? <p className="notice notice-warn">{t('matching.notOpen')}</p> : null}
      {data.pairedOutsideList > 0 ? (
        <p className="muted">{t('matching.pairedOutside', { count: data.pairedOutsideList })}</p>
      ) : null}

      {first ? (
        <WhyFirst
          name={first.name}
          score={first.score}
          factors={first.factors}
          runnerUp={second ? { name: second.name, score: second.score, factors: second.factors } : null}
        />
      ) : null}

      {rows.length === 0 ? (
        <div className="empty-state">
          <p>{t('matching.empty')}</p>
          {need.ownHref ? (
            <p>
              <Link to={`${need.ownHref}/edit`}>{t('matching.empty.edit')}</Link>
            </p>
          ) : null}
          <p>
            <Link to="/providers">{t('matching.empty.directory')}</Link>
          </p>
        </div>
      ) : data.canInvite ? (
        <Form method="post" noValidate aria-labelledby="invite-title" className="match-form">
          <h2 id="invite-title" className="visually-hidden">
            {t('matching.invite.title')}
          </h2>
          {failedForm === 'invite' ? <ErrorSummary failure={failure} fieldIds={{ providers: 'match-list' }} /> : null}
          <p className="muted" id="invite-hint">
            {t('matching.invite.hint', { left: data.invitesLeft, max: data.invitesPerRequest })}
          </p>
          <input type="hidden" name="intent" value="invite" />
          <input type="hidden" name="page" value={data.page} />
          <MatchList rows={rows} data={data} selectable />
          <div className="actions match-actions">
            <button type="submit" disabled={busy || data.invitesLeft === 0} aria-describedby="invite-hint">
              {t('matching.invite.submit')}
            </button>
          </div>
        </Form>
      ) : (
        <MatchList rows={rows} data={data} selectable={false} />
      )}

      <Pagination page={data.page} pageCount={data.pageCount} />

      {data.canRecommend && recommendable.length > 0 ? (
        <section className="card section" aria-labelledby="recommend-title" id="recommend">
          <h2 id="recommend-title">{t('matching.recommend.title')}</h2>
          <p className="muted">{t('matching.recommend.lead')}</p>
          <Form method="post" noValidate>
            {failedForm === 'recommend' ? <ErrorSummary failure={failure} fieldIds={{ provider: 'recommend-provider' }} /> : null}
            <input type="hidden" name="intent" value="recommend" />
            <input type="hidden" name="page" value={data.page} />
            <SelectField
              id="recommend-provider"
              name="provider"
              label={t('matching.recommend.provider')}
              required
              defaultValue={preselected && recommendable.some((r) => r.orgId === preselected) ? preselected : ''}
              error={failedForm === 'recommend' ? failure?.fieldErrors.provider : undefined}
            >
              <option value="">{t('matching.recommend.choose')}</option>
              {recommendable.map((r) => (
                <option key={r.orgId} value={r.orgId} data-i18n-data>
                  {r.rank}. {r.name}
                </option>
              ))}
            </SelectField>
            <TextareaField
              id="recommend-note"
              name="note"
              label={t('matching.recommend.note')}
              hint={t('matching.recommend.noteHint')}
              maxLength={500}
              rows={3}
              error={failedForm === 'recommend' ? failure?.fieldErrors.note : undefined}
            />
            <button type="submit" disabled={busy}>
              {t('matching.recommend.submit')}
            </button>
          </Form>
        </section>
      ) : null}
    </article>
  )
}

function MatchList({ rows, data, selectable }: { rows: Row[]; data: Data; selectable: boolean }) {
  const t = useT()
  const message = useMessage()
  return (
    <ol className="match-list" id="match-list" tabIndex={-1} aria-label={t('matching.list.label')}>
      {rows.map((r) => (
        <li key={r.orgId} className="card match-row">
          <div className="match-head">
            <span className="match-rank" aria-hidden="true">
              {r.rank}
            </span>
            <div className="match-who">
              <h3 className="match-name">
                <span className="visually-hidden">{t('matching.rank', { rank: r.rank })} </span>
                <Link to={`/providers/${r.orgId}`} data-i18n-data>
                  {r.name}
                </Link>
              </h3>
              <p className="muted small">
                {r.kinds.map((k) => message(`providerKind.${k}`)).join(t('list.separator'))}
                {r.seatName ? (
                  <>
                    {t('list.separator')}
                    <span data-i18n-data>{r.seatName}</span>
                  </>
                ) : null}
              </p>
              <p className="badges">
                {r.invited ? <span className="badge badge-published">{t('matching.badge.invited')}</span> : null}
                {r.recommended ? <span className="badge badge-level">{t('matching.badge.recommended')}</span> : null}
              </p>
            </div>
            <ScoreBar score={r.score} />
          </div>
          {selectable && !r.invited ? (
            <p className="match-pick">
              <input
                type="checkbox"
                id={`pick-${r.orgId}`}
                name="providers[]"
                value={r.orgId}
                disabled={data.invitesLeft === 0}
              />{' '}
              <label htmlFor={`pick-${r.orgId}`}>
                {t('matching.invite.pick')}
                <span className="visually-hidden" data-i18n-data>
                  {' '}
                  {r.name}
                </span>
              </label>
            </p>
          ) : null}
          {data.canRecommend && !r.recommended ? (
            <p className="match-pick">
              <Link
                to={`?${new URLSearchParams({ ...(data.page > 1 ? { page: String(data.page) } : {}), recommend: String(r.orgId) })}#recommend`}
              >
                {t('matching.recommend.this')}
                <span className="visually-hidden" data-i18n-data>
                  {' '}
                  {r.name}
                </span>
              </Link>
            </p>
          ) : null}
          <Breakdown factors={r.factors} name={r.name} />
        </li>
      ))}
    </ol>
  )
}
