import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { DataTable, type Column } from '~/components/data-table.js'
import { ArchiveCompletenessMeter, TitleFlag, useArchiveValue } from '~/components/enterprise-fields.js'
import { ErrorSummary, Honeypot, InputField, SelectField, TextareaField, useFormFailure } from '~/components/form.js'
import { Fact } from '~/components/org-summary.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import {
  GRADIENT_TITLES,
  INDICATOR_FIELDS,
  REVENUE_BANDS,
  SIZE_BANDS,
  STAFF_BANDS,
  TITLE_STATUSES,
} from '~/domain/enterprises/enums.js'
import { addTitle, getArchiveForEdit, removeTitle, saveArchive, updateTitle } from '~/domain/enterprises/archive.server.js'
import { ZArchiveAction, ZArchiveEditQuery, ZArchiveInput, ZTitleInput } from '~/domain/enterprises/schema.js'
import type { MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm, parseQuery } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'enterprises.archive.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const { title } = parseQuery(ZArchiveEditQuery, args.request)
    const page = await getArchiveForEdit(db, actor, await getLocale(args.request))
    // A title that is gone (or never was) simply opens no form.
    return json({ ...page, editing: page.titles.find((x) => x.id === title) ?? null })
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const intent = parseForm(ZArchiveAction, form)
    let done: MessageKey
    if (intent.intent === 'archive') {
      const { changed } = await saveArchive(db, actor, parseForm(ZArchiveInput, form))
      done = changed.length ? 'enterprises.archive.saved' : 'enterprises.archive.unchanged'
    } else if (intent.intent === 'addTitle') {
      await addTitle(db, actor, parseForm(ZTitleInput, form))
      done = 'enterprises.titles.added'
    } else if (intent.intent === 'updateTitle') {
      const { changed } = await updateTitle(db, actor, intent.id, intent.version, parseForm(ZTitleInput, form))
      done = changed.length ? 'enterprises.titles.updated' : 'enterprises.titles.unchanged'
    } else {
      // Without scripts the button asks first (components/confirm.tsx): checked, nothing written.
      const asked = confirmationAsked(form)
      await removeTitle(db, actor, intent.id, intent.version, { apply: !asked })
      if (asked) return json(asked)
      done = 'enterprises.titles.removed'
    }
    const to = intent.intent === 'archive' ? '/enterprise/archive' : '/enterprise/archive#titles'
    return redirect(to, { headers: { 'Set-Cookie': await setFlash({ key: done }) } })
  })
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>
type Title = Data['titles'][number]

const TITLE_FORM_FIELDS = ['title', 'scene', 'issuer', 'awardedOn', 'expiresOn', 'status', 'rewardWan']
const TITLE_FORM_ERRORS = [
  'enterprises.e.titleStale',
  'enterprises.e.titleLimit',
  'enterprises.e.titleDecided',
  'enterprises.e.titleDecidedRemove',
]

export default function EnterpriseArchivePage() {
  const { basics, archive, titles, completeness, editing, maxYear, maxTitles } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const value = useArchiveValue()
  // One page, two kinds of form: a failure belongs to the titles form when it names its fields or its errors.
  const titleFailure =
    failure &&
    (TITLE_FORM_ERRORS.includes(failure.formError) || Object.keys(failure.fieldErrors).some((f) => TITLE_FORM_FIELDS.includes(f)))
      ? failure
      : undefined
  const archiveFailure = titleFailure ? undefined : failure
  const errors = archiveFailure?.fieldErrors
  const titleErrors = titleFailure?.fieldErrors
  const titleName = (x: Pick<Title, 'title' | 'scene'>) =>
    x.title === 'excellent_scenario' && x.scene
      ? t('enterprises.titles.withScene', { title: t(`enterprises.gradientTitle.${x.title}`), scene: x.scene })
      : t(`enterprises.gradientTitle.${x.title}`)
  const removeQuestion = (x: Title) => ({
    question: fillTemplate(t('enterprises.titles.removeConfirm'), { name: titleName(x) }),
    consequence: t('enterprises.titles.removeConsequence'),
    confirmLabel: t('enterprises.titles.remove'),
    danger: true,
  })
  const decided = editing?.decision ?? null
  const sceneField = (
    <InputField
      id="scene"
      name="scene"
      label={t('enterprises.field.scene')}
      hint={t('enterprises.field.sceneHint')}
      maxLength={80}
      defaultValue={editing?.scene}
      error={titleErrors?.scene}
      data-i18n-data
    />
  )
  const confirmingOne =
    confirming?.fields.intent === 'removeTitle' ? titles.find((x) => String(x.id) === confirming.fields.id) : undefined

  const columns: Column<Title>[] = [
    {
      id: 'title',
      header: t('enterprises.field.title'),
      role: 'primary',
      cell: (x) => <span data-i18n-data={x.scene ? true : undefined}>{titleName(x)}</span>,
    },
    {
      id: 'issuer',
      header: t('enterprises.field.issuer'),
      cell: (x) => (x.issuer ? <span data-i18n-data>{x.issuer}</span> : '—'),
    },
    {
      id: 'validity',
      header: t('enterprises.titles.validity'),
      cell: (x) => (
        <>
          {x.awardedOn} {x.expiresOn ? t('enterprises.titles.until', { date: x.expiresOn }) : null} <TitleFlag flag={x.flag} />
        </>
      ),
    },
    {
      id: 'status',
      header: t('enterprises.field.status'),
      cell: (x) => (
        <>
          {t(`enterprises.titleStatus.${x.status}`)}
          {x.decision ? (
            <span className="field-hint" data-i18n-data>
              {' '}
              {t(`enterprises.titles.decided.${x.decision.outcome}`, { agency: x.decision.agency, date: x.decision.decidedOn })}
            </span>
          ) : null}
        </>
      ),
    },
    {
      id: 'action',
      header: t('enterprises.titles.action'),
      role: 'action',
      cell: (x) => (
        <div className="actions">
          <Link className="button button-small button-secondary" to={`?title=${x.id}#title-form`}>
            {t('enterprises.titles.edit')}
            <span className="visually-hidden"> {titleName(x)}</span>
          </Link>
          {/* A title an agency decided on is its record: it stays. */}
          {x.decision ? null : (
            <ConfirmForm
              label={t('enterprises.titles.remove')}
              buttonClassName="button-small button-secondary"
              buttonExtra={titleName(x)}
              {...removeQuestion(x)}
            >
              <input type="hidden" name="intent" value="removeTitle" />
              <input type="hidden" name="id" value={x.id} />
              <input type="hidden" name="version" value={x.version} />
            </ConfirmForm>
          )}
        </div>
      ),
    },
  ]

  return (
    <section aria-labelledby="archive-title">
      <EnterpriseWorkspaceNav />
      <header className="page-head">
        <h1 id="archive-title">{t('enterprises.archive.title')}</h1>
        <Link to={`/enterprises/${basics.orgId}`}>{t('enterprises.archive.viewPage')}</Link>
      </header>
      <p className="muted">{t('enterprises.archive.lead')}</p>
      {confirming && confirmingOne ? <ConfirmStep request={confirming} {...removeQuestion(confirmingOne)} /> : null}
      <ArchiveCompletenessMeter completeness={completeness} />

      <section className="card section" aria-labelledby="basics-title">
        <h2 id="basics-title">{t('enterprises.archive.basics')}</h2>
        <dl className="facts">
          <Fact label={t('enterprises.field.name')} data>
            {basics.name}
          </Fact>
          <Fact label={t('enterprises.field.uscc')}>
            <span className="code">{basics.uscc ?? '—'}</span>
          </Fact>
          <Fact label={t('enterprises.field.industry')} data>
            {basics.industry ?? t('enterprises.unset')}
          </Fact>
          <Fact label={t('enterprises.field.region')} data>
            {basics.region}
          </Fact>
        </dl>
        <p className="field-hint">
          {t('enterprises.archive.basicsHint')} <Link to="/org/edit">{t('enterprises.archive.editBasics')}</Link>
        </p>
      </section>

      {/* A new form after each save: the fields start from what was saved. */}
      <Form method="post" noValidate className="form-wide section" key={archive.revision} id="archive-form">
        <ErrorSummary failure={archiveFailure} />
        <Honeypot />
        <input type="hidden" name="intent" value="archive" />
        <input type="hidden" name="revision" value={archive.revision} />
        <fieldset className="form-section">
          <legend>{t('enterprises.archive.scale')}</legend>
          <div className="field-row">
            <SelectField
              id="sizeBand"
              name="sizeBand"
              label={t('enterprises.field.sizeBand')}
              defaultValue={archive.sizeBand ?? ''}
              error={errors?.sizeBand}
            >
              <option value="">{t('enterprises.choose')}</option>
              {SIZE_BANDS.map((b) => (
                <option key={b} value={b}>
                  {t(`enterprises.sizeBand.${b}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="revenueBand"
              name="revenueBand"
              label={t('enterprises.field.revenueBand')}
              defaultValue={archive.revenueBand ?? ''}
              error={errors?.revenueBand}
            >
              <option value="">{t('enterprises.choose')}</option>
              {REVENUE_BANDS.map((b) => (
                <option key={b} value={b}>
                  {t(`enterprises.revenueBand.${b}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="staffBand"
              name="staffBand"
              label={t('enterprises.field.staffBand')}
              defaultValue={archive.staffBand ?? ''}
              error={errors?.staffBand}
            >
              <option value="">{t('enterprises.choose')}</option>
              {STAFF_BANDS.map((b) => (
                <option key={b} value={b}>
                  {t(`enterprises.staffBand.${b}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="field checkbox-field">
            <label htmlFor="aboveScale">
              <input
                id="aboveScale"
                type="checkbox"
                name="aboveScale"
                value="1"
                defaultChecked={archive.aboveScale}
                aria-describedby="aboveScale-hint"
              />
              {t('enterprises.field.aboveScale')}
            </label>
            <span id="aboveScale-hint" className="field-hint">
              {t('enterprises.field.aboveScaleHint')}
            </span>
          </div>
          <TextareaField
            id="mainProducts"
            name="mainProducts"
            label={t('enterprises.field.mainProducts')}
            hint={t('enterprises.field.mainProductsHint')}
            maxLength={500}
            rows={3}
            defaultValue={archive.mainProducts}
            error={errors?.mainProducts}
            data-i18n-data
          />
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('enterprises.archive.indicators')}</legend>
          <p className="field-hint">{t('enterprises.archive.indicatorsLead')}</p>
          <div className="field-row">
            {INDICATOR_FIELDS.map((f) => (
              <InputField
                key={f}
                id={f}
                name={f}
                label={t('enterprises.field.percentLabel', { label: t(`enterprises.field.${f}`) })}
                hint={t('enterprises.field.percentHint')}
                inputMode="decimal"
                maxLength={6}
                defaultValue={archive[f] ?? ''}
                error={errors?.[f]}
              />
            ))}
          </div>
          <div className="field-row">
            <SelectField
              id="maturityLevel"
              name="maturityLevel"
              label={t('enterprises.field.maturityLevel')}
              defaultValue={archive.maturityLevel ?? ''}
              error={errors?.maturityLevel}
            >
              <option value="">{t('enterprises.choose')}</option>
              {[1, 2, 3, 4, 5].map((l) => (
                <option key={l} value={l}>
                  {value('maturityLevel', l)}
                </option>
              ))}
            </SelectField>
            <InputField
              id="indicatorsYear"
              name="indicatorsYear"
              label={t('enterprises.field.indicatorsYear')}
              hint={t('enterprises.field.indicatorsYearHint')}
              inputMode="numeric"
              maxLength={4}
              placeholder={String(maxYear)}
              defaultValue={archive.indicatorsYear ?? ''}
              error={errors?.indicatorsYear}
            />
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t('enterprises.archive.submit')}
        </button>
      </Form>

      <section className="section" aria-labelledby="titles-title" id="titles">
        <h2 id="titles-title">{t('enterprises.titles.title')}</h2>
        <p className="muted">{t('enterprises.titles.lead')}</p>
        <DataTable
          caption={t('enterprises.titles.caption')}
          columns={columns}
          rows={titles}
          rowKey={(x) => x.id}
          empty={<p className="empty-state">{t('enterprises.titles.none')}</p>}
        />
        <section className="card section" aria-labelledby="title-form-title">
          <h3 id="title-form-title">
            {editing ? t('enterprises.titles.editOne', { name: titleName(editing) }) : t('enterprises.titles.add')}
          </h3>
          {/* A new form for each title opened: its fields start from that one's values. */}
          <Form method="post" noValidate className="form-wide" id="title-form" key={editing?.id ?? 'new'}>
            <ErrorSummary failure={titleFailure} />
            <Honeypot />
            <input type="hidden" name="intent" value={editing ? 'updateTitle' : 'addTitle'} />
            {editing ? (
              <>
                <input type="hidden" name="id" value={editing.id} />
                <input type="hidden" name="version" value={editing.version} />
              </>
            ) : null}
            {editing && decided ? (
              <>
                <p className="notice" role="note">
                  {t('enterprises.titles.decidedNote')}{' '}
                  <span data-i18n-data>
                    {t(`enterprises.titles.decided.${decided.outcome}`, { agency: decided.agency, date: decided.decidedOn })}
                  </span>
                </p>
                <dl className="facts">
                  <Fact label={t('enterprises.field.title')}>{t(`enterprises.gradientTitle.${editing.title}`)}</Fact>
                  <Fact label={t('enterprises.field.issuer')} data>
                    {editing.issuer || '—'}
                  </Fact>
                  <Fact label={t('enterprises.field.awardedOn')}>{editing.awardedOn}</Fact>
                  <Fact label={t('enterprises.field.expiresOn')}>{editing.expiresOn ?? '—'}</Fact>
                  <Fact label={t('enterprises.field.status')}>{t(`enterprises.titleStatus.${editing.status}`)}</Fact>
                </dl>
                {/* What the decision fixed goes back as it is; the server refuses any change to it. */}
                <input type="hidden" name="title" value={editing.title} />
                <input type="hidden" name="issuer" value={editing.issuer} />
                <input type="hidden" name="awardedOn" value={editing.awardedOn} />
                <input type="hidden" name="expiresOn" value={editing.expiresOn ?? ''} />
                <input type="hidden" name="status" value={editing.status} />
                {editing.title === 'excellent_scenario' ? sceneField : null}
              </>
            ) : (
              <>
                <div className="field-row">
                  <SelectField
                    id="title"
                    name="title"
                    label={t('enterprises.field.title')}
                    required
                    defaultValue={editing?.title ?? ''}
                    error={titleErrors?.title}
                  >
                    <option value="">{t('enterprises.choose')}</option>
                    {GRADIENT_TITLES.map((x) => (
                      <option key={x} value={x}>
                        {t(`enterprises.gradientTitle.${x}`)}
                      </option>
                    ))}
                  </SelectField>
                  {sceneField}
                </div>
                <InputField
                  id="issuer"
                  name="issuer"
                  label={t('enterprises.field.issuer')}
                  maxLength={60}
                  defaultValue={editing?.issuer}
                  error={titleErrors?.issuer}
                  data-i18n-data
                />
                <div className="field-row">
                  <InputField
                    id="awardedOn"
                    name="awardedOn"
                    type="date"
                    required
                    label={t('enterprises.field.awardedOn')}
                    defaultValue={editing?.awardedOn ?? ''}
                    error={titleErrors?.awardedOn}
                  />
                  <InputField
                    id="expiresOn"
                    name="expiresOn"
                    type="date"
                    label={t('enterprises.field.expiresOn')}
                    hint={t('enterprises.field.expiresOnHint')}
                    defaultValue={editing?.expiresOn ?? ''}
                    error={titleErrors?.expiresOn}
                  />
                  <SelectField
                    id="status"
                    name="status"
                    label={t('enterprises.field.status')}
                    defaultValue={editing?.status ?? 'held'}
                    error={titleErrors?.status}
                  >
                    {TITLE_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`enterprises.titleStatus.${s}`)}
                      </option>
                    ))}
                  </SelectField>
                </div>
              </>
            )}
            <InputField
              id="rewardWan"
              name="rewardWan"
              inputMode="decimal"
              label={t('enterprises.field.rewardWan')}
              hint={t('enterprises.field.rewardWanHint')}
              defaultValue={editing?.rewardWan === null || editing?.rewardWan === undefined ? '' : String(editing.rewardWan)}
              error={titleErrors?.rewardWan}
            />
            <p className="field-hint">{t('enterprises.e.titleLimit', { max: maxTitles })}</p>
            <div className="actions">
              <button type="submit" disabled={busy}>
                {editing ? t('enterprises.titles.save') : t('enterprises.titles.add')}
              </button>
              {editing ? (
                <Link className="button button-secondary" to="/enterprise/archive#titles">
                  {t('enterprises.titles.cancelEdit')}
                </Link>
              ) : null}
            </div>
          </Form>
        </section>
      </section>
    </section>
  )
}
