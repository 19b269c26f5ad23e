import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import {
  appointSupervisor,
  confirmContract,
  getContractPage,
  linkCase,
  ZAppointInput,
  ZConfirmInput,
  ZContractIntent,
  ZContractPageQuery,
  ZLinkCaseInput,
} from '~/domain/contracts/contracts.server.js'
import type { ContractEventView, ContractMilestoneView, ContractPage } from '~/domain/contracts/views.js'
import { contractVoucher } from '~/domain/vouchers/vouchers.server.js'
import { hasMessage } from '~/i18n/index.js'
import { getLocale } from '~/i18n/locale.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import contractStyles from '~/styles/contracts.css'
import { setFlash } from '~/utils/flash.server.js'
import type { FormFailure } from '~/utils/form-failure.js'
import { formatDate, formatDateTime } from '~/utils/format.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 合同页 (issue 14 §3–§4): parties, terms, milestones (status, amount, due date, late),
 * money accepted and outstanding, the supervisor, the timeline of everything, and what
 * this reader may do: edit the draft and 电子确认 (the parties), appoint a supervisor
 * (the agency), link a case (the provider), and the pages of its milestones, supervision
 * log, disputes and ratings as the status allows. Whoever may not read it gets 404.
 */

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contractStyles }]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, 'contracts.page.title', { title: data?.contract.title ?? '' })

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const query = parseQuery(ZContractPageQuery, args.request)
    const contract = await getContractPage(db, actor, id, query, await getLocale(args.request))
    return json({ contract, voucher: await contractVoucher(db, actor, id) })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const form = await args.request.formData()
    const { intent } = parseForm(ZContractIntent, form)
    const page = `/contracts/${id}`
    if (intent === 'confirm') {
      const { revision } = parseForm(ZConfirmInput, form)
      const outcome = await confirmContract(db, actor, id, revision)
      const key = outcome.status === 'active' && !outcome.already ? 'contracts.flash.activated' : 'contracts.flash.confirmed'
      return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key }) } })
    }
    if (intent === 'appoint') {
      const { supervisorOrgId } = parseForm(ZAppointInput, form)
      await appointSupervisor(db, actor, id, supervisorOrgId)
      return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key: 'contracts.flash.appointed' }) } })
    }
    const { caseId } = parseForm(ZLinkCaseInput, form)
    await linkCase(db, actor, id, caseId)
    return redirect(page, { headers: { 'Set-Cookie': await setFlash({ key: 'contracts.flash.caseLinked' }) } })
  })
}

/** Which form a failure belongs to: by its fields (a failure without fields is the confirmation's: a stale revision). */
function failureFor(failure: FormFailure | undefined, form: 'confirm' | 'appoint' | 'linkCase'): FormFailure | undefined {
  if (!failure) return undefined
  const fields = Object.keys(failure.fieldErrors)
  if (form === 'appoint') return fields.includes('supervisorOrgId') ? failure : undefined
  if (form === 'linkCase') return fields.includes('caseId') ? failure : undefined
  return fields.includes('supervisorOrgId') || fields.includes('caseId') ? undefined : failure
}

const BACK: Record<ContractPage['role'], string> = {
  enterprise: '/enterprise/projects',
  provider: '/provider/contracts',
  supervisor: '/supervisor/projects',
  agency: '/agency/contracts',
}

export default function ContractPageView() {
  const { contract: c, voucher } = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  const has = (a: ContractPage['offer']['actions'][number]) => c.offer.actions.includes(a)
  const shows = (l: ContractPage['offer']['links'][number]) => c.offer.links.includes(l)
  const orphan = failure && !failureFor(failure, 'confirm') && !failureFor(failure, 'appoint') && !failureFor(failure, 'linkCase')
  return (
    <section aria-labelledby="contract-title" className="contract-page">
      <p>
        <Link to={BACK[c.role]}>← {t(`contracts.page.back.${c.role}`)}</Link>
      </p>
      <h1 id="contract-title">
        <span data-i18n-data>{c.title}</span>{' '}
        <span className={`badge badge-contract-${c.status}`}>{t(`contracts.status.${c.status}`)}</span>
      </h1>
      {orphan || (failure && !has('confirm') && failureFor(failure, 'confirm')) ? <ErrorSummary failure={failure} /> : null}
      {c.status === 'draft' ? <p className="notice">{t('contracts.page.draftNotice')}</p> : null}
      {c.status === 'terminated' && c.statusReason ? (
        <p className="notice notice-warn">
          {t('contracts.page.terminated')} <span data-i18n-data>{c.statusReason}</span>
        </p>
      ) : null}

      <nav className="actions contract-links no-print" aria-label={t('contracts.page.linksLabel')}>
        {has('edit') ? (
          <Link to={`/contracts/${c.id}/edit`} className="button">
            {t('contracts.page.edit')}
          </Link>
        ) : null}
        <Link to={`/contracts/${c.id}/print`} className="button button-secondary">
          {t('contracts.page.print')}
        </Link>
        {shows('supervision') ? (
          <Link to={`/contracts/${c.id}/supervision`} className="button button-secondary">
            {t('contracts.page.supervision')}
          </Link>
        ) : null}
        {shows('disputes') ? (
          <Link to={`/contracts/${c.id}/disputes`} className="button button-secondary">
            {t('contracts.page.disputes')}
          </Link>
        ) : null}
        {shows('ratings') ? (
          <Link to={`/contracts/${c.id}/ratings`} className="button button-secondary">
            {t('contracts.page.ratings')}
          </Link>
        ) : null}
      </nav>

      {voucher.voucher || voucher.mayIssue ? (
        <p className="notice contract-voucher">
          {t('vouchers.contract.title')}:{' '}
          {voucher.voucher ? (
            <Link to={`/vouchers/${voucher.voucher.id}`}>
              {t('vouchers.contract.view', {
                id: voucher.voucher.id,
                amount: voucher.voucher.amountWan,
                status: t(`vouchers.status.${voucher.voucher.status}`),
              })}
            </Link>
          ) : (
            <Link to={`/vouchers/new?contract=${c.id}`}>{t('vouchers.contract.issue')}</Link>
          )}
        </p>
      ) : null}
      {has('confirm') ? <ConfirmForm c={c} failure={failureFor(failure, 'confirm')} /> : null}
      {c.ownerConfirms ? <p className="muted">{t('contracts.page.ownerConfirms')}</p> : null}

      <div className="contract-grid">
        <section className="card section" aria-labelledby="parties-title">
          <h2 id="parties-title">{t('contracts.page.parties')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('contracts.party.enterprise')}</dt>
              <dd>
                <span data-i18n-data>{c.enterprise.name}</span>
                <Confirmation party={c.enterprise} />
              </dd>
            </div>
            <div>
              <dt>{t('contracts.party.provider')}</dt>
              <dd>
                <span data-i18n-data>{c.provider.name}</span>
                {c.provider.consortiumName ? (
                  <span className="muted small" data-i18n-data>
                    {' '}
                    {t('contracts.party.consortium', { name: c.provider.consortiumName })}
                  </span>
                ) : null}
                <Confirmation party={c.provider} />
              </dd>
            </div>
            <div>
              <dt>{t('contracts.party.supervisor')}</dt>
              <dd>
                {c.supervisor ? (
                  <>
                    <span data-i18n-data>{c.supervisor.name}</span>
                    <span className="muted small">
                      {' '}
                      {t('contracts.party.appointed', {
                        at: formatDate(c.supervisor.appointedAt),
                        by: c.supervisor.appointedBy ?? '—',
                      })}
                    </span>
                  </>
                ) : (
                  <span className="muted">{t('contracts.party.noSupervisor')}</span>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('contracts.page.need')}</dt>
              <dd>
                {c.role === 'supervisor' ? (
                  // The supervisor reads the contract, not the need's bids (nor a restricted need).
                  <span data-i18n-data>{c.needTitle}</span>
                ) : (
                  <>
                    <Link to={`/needs/${c.needId}`} data-i18n-data>
                      {c.needTitle}
                    </Link>
                    {' · '}
                    <Link to={`/bids/${c.bidId}`}>{t('contracts.page.bid')}</Link>
                  </>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('contracts.page.case')}</dt>
              <dd>
                {c.linkedCase ? (
                  <>
                    <span data-i18n-data>{c.linkedCase.title}</span>
                    {c.linkedCase.verified ? (
                      <span className="badge badge-verified">{t('contracts.page.caseVerified')}</span>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">{t('contracts.page.noCase')}</span>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('contracts.page.revision')}</dt>
              <dd>
                {t('contracts.page.revisionValue', { revision: c.revision })}
                {c.activatedAt ? ` · ${t('contracts.page.activatedAt', { at: formatDateTime(c.activatedAt) })}` : ''}
              </dd>
            </div>
          </dl>
        </section>

        <section className="card section" aria-labelledby="money-title">
          <h2 id="money-title">{t('contracts.page.money')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('contracts.money.total')}</dt>
              <dd>{t('contracts.money.wan', { amount: c.money.totalWan })}</dd>
            </div>
            <div>
              <dt>{t('contracts.money.accepted')}</dt>
              <dd>
                {t('contracts.money.wan', { amount: c.money.acceptedWan })}{' '}
                <span className="muted small">({c.money.acceptedPercent}%)</span>
              </dd>
            </div>
            <div>
              <dt>{t('contracts.money.remaining')}</dt>
              <dd>{t('contracts.money.wan', { amount: c.money.remainingWan })}</dd>
            </div>
            <div>
              <dt>{t('contracts.money.late')}</dt>
              <dd>{t('contracts.money.wan', { amount: c.money.lateWan })}</dd>
            </div>
          </dl>
          <meter
            className="contract-meter"
            min={0}
            max={100}
            value={c.money.acceptedPercent}
            aria-label={t('contracts.money.meter', { percent: c.money.acceptedPercent })}
          />
        </section>
      </div>

      <MilestonesTable c={c} />
      <Terms c={c} />

      {has('appoint') ? <AppointSupervisor c={c} failure={failureFor(failure, 'appoint')} /> : null}
      {has('linkCase') ? <LinkCase c={c} failure={failureFor(failure, 'linkCase')} /> : null}

      <Timeline c={c} />
    </section>
  )
}

function Confirmation({ party }: { party: ContractPage['enterprise'] }) {
  const t = useT()
  return (
    <span className="contract-confirmation small">
      {party.confirmedAt ? (
        <span className="badge badge-verified">
          {t('contracts.party.confirmed', { name: party.confirmedBy ?? '—', at: formatDateTime(party.confirmedAt) })}
        </span>
      ) : (
        <span className="badge badge-pending">{t('contracts.party.notConfirmed')}</span>
      )}
    </span>
  )
}

function ConfirmForm({ c, failure }: { c: ContractPage; failure: FormFailure | undefined }) {
  const t = useT()
  return (
    <Form method="post" noValidate className="card section contract-confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{t('contracts.confirm.title')}</h2>
      <ErrorSummary failure={failure} />
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="revision" value={c.revision} />
      <p>{t('contracts.confirm.lead', { revision: c.revision })}</p>
      <div className="checkbox-group">
        <label>
          <input
            id="agree"
            type="checkbox"
            name="agree"
            required
            aria-invalid={failure?.fieldErrors.agree ? true : undefined}
            aria-describedby={failure?.fieldErrors.agree ? 'agree-error' : undefined}
          />{' '}
          {t('contracts.confirm.agree')}
        </label>
        {failure?.fieldErrors.agree ? (
          <p id="agree-error" className="field-error" role="alert">
            {t('contracts.v.agree')}
          </p>
        ) : null}
      </div>
      <button type="submit">{t('contracts.confirm.submit')}</button>
    </Form>
  )
}

function MilestonesTable({ c }: { c: ContractPage }) {
  const t = useT()
  const linked = c.offer.links.includes('milestones')
  return (
    <section className="section" aria-labelledby="milestones-title">
      <h2 id="milestones-title">{t('contracts.page.milestones')}</h2>
      <DataTable<ContractMilestoneView>
        caption={t('contracts.milestones.caption', { count: c.milestones.length })}
        rowKey={(m) => m.id}
        rows={c.milestones}
        empty={t('contracts.milestones.empty')}
        columns={[
          { id: 'seq', header: t('contracts.milestones.seq'), cell: (m) => m.seq },
          {
            id: 'name',
            header: t('contracts.milestones.name'),
            role: 'primary',
            cell: (m) =>
              linked ? (
                <Link to={`/contracts/${c.id}/milestones/${m.id}`} data-i18n-data>
                  {m.name}
                </Link>
              ) : (
                <span data-i18n-data>{m.name}</span>
              ),
          },
          { id: 'percent', header: t('contracts.milestones.percent'), cell: (m) => `${m.percent}%` },
          {
            id: 'amount',
            header: t('contracts.milestones.amount'),
            cell: (m) => t('contracts.money.wan', { amount: m.amountWan }),
          },
          { id: 'due', header: t('contracts.milestones.due'), cell: (m) => m.dueDate },
          {
            id: 'status',
            header: t('contracts.milestones.status'),
            cell: (m) => (
              <span className="badges">
                <span className={`badge badge-milestone-${m.status}`}>{t(`contracts.ms.status.${m.status}`)}</span>
                {m.late ? <span className="badge badge-rejected">{t('contracts.milestones.late')}</span> : null}
              </span>
            ),
          },
        ]}
      />
    </section>
  )
}

function Terms({ c }: { c: ContractPage }) {
  const t = useT()
  const terms = c.terms
  return (
    <section className="card section" aria-labelledby="terms-title">
      <h2 id="terms-title">{t('contracts.page.terms')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('contracts.terms.amount')}</dt>
          <dd>{t('contracts.money.wan', { amount: c.amountWan })}</dd>
        </div>
        <div>
          <dt>{t('contracts.terms.period')}</dt>
          <dd>
            {t('contracts.terms.periodValue', {
              start: terms.startDate ?? '—',
              end: terms.endDate ?? '—',
              days: terms.constructionDays,
            })}
          </dd>
        </div>
        <div>
          <dt>{t('contracts.terms.warranty')}</dt>
          <dd>{t('contracts.terms.warrantyValue', { months: terms.warrantyMonths })}</dd>
        </div>
        <div>
          <dt>{t('contracts.terms.standards')}</dt>
          <dd>
            {terms.technicalStandards.length > 0 ? (
              <ul className="plain-list">
                {terms.technicalStandards.map((s) => (
                  <li key={s} data-i18n-data>
                    {s}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">{t('contracts.terms.none')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('contracts.terms.acceptance')}</dt>
          <dd className="prewrap" data-i18n-data>
            {terms.acceptanceStandards}
          </dd>
        </div>
        <div>
          <dt>{t('contracts.terms.quality')}</dt>
          <dd className="prewrap" data-i18n-data>
            {terms.qualityTerms || '—'}
          </dd>
        </div>
        <div>
          <dt>{t('contracts.terms.dispute')}</dt>
          <dd className="prewrap" data-i18n-data>
            {terms.disputeClause}
          </dd>
        </div>
      </dl>
    </section>
  )
}

function AppointSupervisor({ c, failure }: { c: ContractPage; failure: FormFailure | undefined }) {
  const t = useT()
  const message = useMessage()
  return (
    <section className="card section" aria-labelledby="appoint-title">
      <h2 id="appoint-title">{c.supervisor ? t('contracts.appoint.titleReplace') : t('contracts.appoint.title')}</h2>
      <p className="muted small">{t('contracts.appoint.lead')}</p>
      <Form method="get" className="actions" role="search" aria-label={t('contracts.appoint.searchLabel')}>
        <label htmlFor="sq">{t('contracts.appoint.search')}</label>
        <input id="sq" name="sq" type="search" maxLength={50} defaultValue={c.candidateQuery} />
        <button type="submit" className="button-secondary">
          {t('contracts.appoint.searchSubmit')}
        </button>
      </Form>
      {c.candidates === null ? (
        <p className="muted">{t('contracts.appoint.searchHint')}</p>
      ) : c.candidates.length === 0 ? (
        <p className="muted">{t('contracts.appoint.none')}</p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary failure={failure} fieldIds={{ supervisorOrgId: `supervisor-${c.candidates[0]!.id}` }} />
          <input type="hidden" name="intent" value="appoint" />
          <fieldset
            className="checkbox-group"
            aria-describedby={failure?.fieldErrors.supervisorOrgId ? 'supervisorOrgId-error' : undefined}
          >
            <legend>{t('contracts.appoint.choose', { count: c.candidates.length })}</legend>
            {c.candidates.map((s) => (
              <label key={s.id}>
                <input
                  type="radio"
                  id={`supervisor-${s.id}`}
                  name="supervisorOrgId"
                  value={s.id}
                  defaultChecked={c.supervisor?.orgId === s.id}
                />{' '}
                <span data-i18n-data>{s.name}</span> <span className="muted small">{s.regionName}</span>
              </label>
            ))}
            {failure?.fieldErrors.supervisorOrgId ? (
              <p id="supervisorOrgId-error" className="field-error" role="alert">
                {message(failure.fieldErrors.supervisorOrgId)}
              </p>
            ) : null}
          </fieldset>
          <button type="submit">{t('contracts.appoint.submit')}</button>
        </Form>
      )}
    </section>
  )
}

function LinkCase({ c, failure }: { c: ContractPage; failure: FormFailure | undefined }) {
  const t = useT()
  return (
    <section className="card section" aria-labelledby="case-title">
      <h2 id="case-title">{t('contracts.case.title')}</h2>
      <p className="muted small">{t('contracts.case.lead')}</p>
      {c.cases.length === 0 ? (
        <p>
          {t('contracts.case.none')} <Link to="/provider/cases/new">{t('contracts.case.add')}</Link>
        </p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary failure={failure} />
          <input type="hidden" name="intent" value="linkCase" />
          <div className="field">
            <label htmlFor="caseId">{t('contracts.case.choose')}</label>
            <select
              id="caseId"
              name="caseId"
              defaultValue={c.linkedCase?.id ?? ''}
              aria-invalid={failure?.fieldErrors.caseId ? true : undefined}
            >
              <option value="">{t('contracts.case.placeholder')}</option>
              {c.cases.map((k) => (
                <option key={k.id} value={k.id} data-i18n-data>
                  {k.title}（{k.year}）
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button-secondary">
            {t('contracts.case.submit')}
          </button>
        </Form>
      )}
    </section>
  )
}

function eventText(t: ReturnType<typeof useT>, e: ContractEventView): string {
  const key = `contracts.event.${e.kind}`
  const params = { ...e.detail, milestone: e.milestoneName ?? e.detail.milestone ?? '' }
  return hasMessage(key) ? t(key, params) : t('contracts.event.other')
}

function Timeline({ c }: { c: ContractPage }) {
  const t = useT()
  return (
    <section className="card section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('contracts.page.timeline')}</h2>
      {c.timeline.items.length === 0 ? (
        <p className="muted">{t('contracts.timeline.empty')}</p>
      ) : (
        <ol className="contract-timeline">
          {c.timeline.items.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              <span className="contract-timeline-who">
                {e.actorName ? (
                  <span data-i18n-data>
                    {e.actorName}
                    {e.actorOrgName ? `（${e.actorOrgName}）` : ''}
                  </span>
                ) : (
                  t('contracts.timeline.platform')
                )}
              </span>
              <span className="contract-timeline-what">{eventText(t, e)}</span>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={c.timeline.page} pageCount={c.timeline.pageCount} label={t('contracts.timeline.pages')} />
    </section>
  )
}
