import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DataTable, type Column } from '~/components/data-table.js'
import { FileInput } from '~/components/file-input.js'
import { ErrorSummary, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Pagination } from '~/components/pagination.js'
import { DISPUTE_LIMITS } from '~/domain/contracts/dispute-limits.js'
import { listDisputes, openDispute, ZDisputesQuery, ZOpenDispute } from '~/domain/contracts/disputes.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { echoingFormFailure } from '~/web/form-echo.server.js'
import { parseForm, parseParams, parseQuery, ZIdParams } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import { readUploadForm } from '~/web/uploads.server.js'

/*
 * 纠纷 of a contract (issue 14 §5): the list for whoever reads the contract, and the
 * open form for its parties while it is active (multipart with evidence files; works
 * without scripts). The use case reads only subject, description and milestoneId.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'disputes.list.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { page } = parseQuery(ZDisputesQuery, args.request)
    return json(await listDisputes(db, actor, id, page))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db, storage } = services()
    const { actor } = await requireActor(args)
    const { id } = parseParams(ZIdParams, args.params)
    const { form, files } = await readUploadForm(args.request, {
      purpose: 'dispute_evidence',
      maxFiles: DISPUTE_LIMITS.filesPerDispute,
      maxFields: 20,
    })
    return echoingFormFailure(form, async () => {
      const input = parseForm(ZOpenDispute, form)
      const evidence = files.filter((f) => f.field === 'evidence')
      const { disputeId } = await openDispute(db, storage, actor, id, input, evidence)
      return redirect(`/disputes/${disputeId}`, { headers: { 'Set-Cookie': await setFlash({ key: 'disputes.opened' }) } })
    })
  })
}

type Row = SerializeFrom<typeof loader>['items'][number]

function echoed(actionData: unknown, name: string): string | undefined {
  if (!actionData || typeof actionData !== 'object' || !('values' in actionData)) return undefined
  const v = (actionData as { values: Record<string, string | string[]> }).values[name]
  return Array.isArray(v) ? v[0] : v
}

export default function ContractDisputesPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const t = useT()
  const { contract } = data
  const columns: Column<Row>[] = [
    {
      id: 'subject',
      header: t('disputes.list.subject'),
      role: 'primary',
      cell: (r) => (
        <Link to={`/disputes/${r.id}`} data-i18n-data>
          {r.subject}
        </Link>
      ),
    },
    {
      id: 'openedBy',
      header: t('disputes.list.openedBy'),
      cell: (r) => (
        <>
          <span data-i18n-data>{r.openedOrgName}</span> · {t(`disputes.side.${r.openedSide}`)}
        </>
      ),
    },
    {
      id: 'milestone',
      header: t('disputes.list.milestone'),
      cell: (r) => (r.milestoneName ? <span data-i18n-data>{r.milestoneName}</span> : t('disputes.list.wholeContract')),
    },
    {
      id: 'status',
      header: t('disputes.list.status'),
      cell: (r) => <span className={`badge badge-dispute-${r.status}`}>{t(`disputes.status.${r.status}`)}</span>,
    },
    { id: 'created', header: t('disputes.list.created'), cell: (r) => formatDateTime(r.createdAt) },
    {
      id: 'outcome',
      header: t('disputes.list.outcome'),
      cell: (r) => (r.outcome ? t(`disputes.outcome.${r.outcome}`) : '—'),
    },
    {
      id: 'open',
      header: t('disputes.list.open'),
      role: 'action',
      cell: (r) => (
        <Link to={`/disputes/${r.id}`} aria-label={t('disputes.list.openLabel', { subject: r.subject })}>
          {t('disputes.list.open')}
        </Link>
      ),
    },
  ]
  return (
    <section aria-labelledby="disputes-title">
      <p>
        <Link to={`/contracts/${contract.id}`}>← {t('disputes.list.back')}</Link>
      </p>
      <header className="page-head">
        <h1 id="disputes-title">{t('disputes.list.title')}</h1>
        <p className="muted" data-i18n-data>
          {t('disputes.list.lead', { contract: contract.title })}
        </p>
        {data.openCount > 0 ? <p className="small">{t('disputes.list.openCount', { count: data.openCount })}</p> : null}
      </header>
      {/* A refusal when the form is no longer offered (the third dispute opened meanwhile …). */}
      {!data.mayOpen ? <ErrorSummary failure={failure} /> : null}
      <DataTable
        caption={t('disputes.list.caption')}
        columns={columns}
        rows={data.items}
        rowKey={(r) => r.id}
        empty={
          <div className="empty-state">
            <p>{t('disputes.list.empty')}</p>
          </div>
        }
      />
      <Pagination page={data.page} pageCount={data.pageCount} />

      {data.mayOpen ? (
        <section aria-labelledby="open-title" className="card section">
          <h2 id="open-title">{t('disputes.form.title')}</h2>
          <p className="muted small">{t('disputes.form.lead')}</p>
          <Form method="post" encType="multipart/form-data" noValidate>
            <ErrorSummary failure={failure} fieldIds={{ evidence: 'dispute-evidence', milestoneId: 'dispute-milestone' }} />
            <InputField
              id="subject"
              name="subject"
              label={t('disputes.form.subject')}
              hint={t('disputes.form.subjectHint')}
              maxLength={DISPUTE_LIMITS.subjectMax}
              autoComplete="off"
              required
              defaultValue={echoed(actionData, 'subject') ?? ''}
              error={failure?.fieldErrors.subject}
            />
            <TextareaField
              id="description"
              name="description"
              label={t('disputes.form.description')}
              hint={t('disputes.form.descriptionHint')}
              rows={8}
              maxLength={DISPUTE_LIMITS.descriptionMax}
              required
              defaultValue={echoed(actionData, 'description') ?? ''}
              error={failure?.fieldErrors.description}
            />
            <SelectField
              id="dispute-milestone"
              name="milestoneId"
              label={t('disputes.form.milestone')}
              defaultValue={echoed(actionData, 'milestoneId') ?? ''}
              error={failure?.fieldErrors.milestoneId}
            >
              <option value="">{t('disputes.list.wholeContract')}</option>
              {data.milestones.map((m) => (
                <option key={m.id} value={m.id}>
                  {t('disputes.form.milestoneOption', { seq: m.seq, name: m.name })}
                </option>
              ))}
            </SelectField>
            <FileInput
              id="dispute-evidence"
              name="evidence"
              label={t('disputes.form.evidence')}
              hint={t('disputes.form.evidenceHint', { max: DISPUTE_LIMITS.filesPerDispute })}
              purpose="dispute_evidence"
              multiple
              maxFiles={DISPUTE_LIMITS.filesPerDispute}
              error={failure?.fieldErrors.evidence}
            />
            <p>
              <button type="submit" className="button primary">
                {t('disputes.form.submit')}
              </button>
            </p>
          </Form>
        </section>
      ) : data.cannotOpen ? (
        <p className="notice" role="status">
          {data.cannotOpen === 'tooMany'
            ? t('disputes.cannot.tooMany', { max: DISPUTE_LIMITS.openPerContract })
            : t('disputes.cannot.notActive')}
        </p>
      ) : (
        <p className="muted small">{t('disputes.list.readOnly')}</p>
      )}
    </section>
  )
}
