import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, Honeypot, InputField, SelectField, useFormFailure } from '~/components/form.js'
import { EnterpriseWorkspaceNav } from '~/components/workspace-nav.js'
import { todayInChina } from '~/domain/enterprises/archive.server.js'
import { ZGradientAnswersInput } from '~/domain/gradient/schema.js'
import { getAnswersForEdit, saveGradientAnswers } from '~/domain/gradient/self-check.server.js'
import { SCENARIO_LINKS } from '~/domain/policy/facts.js'
import { pageTitle } from '~/i18n/meta.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { formatDateTime } from '~/utils/format.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

/*
 * 梯度自评问卷 (issue 16 §3): what the archive lacks (PDM, ERP, 代表产线投资, 安全环保记录,
 * 覆盖环节, 质量追溯, the 优秀场景 questions) plus MES coverage, which is the archive's field
 * and is written there. Unanswered stays unknown. A stale form (another save meanwhile) is 409.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradient.answers.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getAnswersForEdit(db, actor, todayInChina()))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { changed } = await saveGradientAnswers(db, actor, parseForm(ZGradientAnswersInput, form))
    return redirect('/enterprise/gradient', {
      headers: {
        'Set-Cookie': await setFlash({ key: changed.length ? 'gradient.answers.saved' : 'gradient.answers.unchanged' }),
      },
    })
  })
}

const YES_NO_FIELDS_FACTORY = ['pdmInUse', 'erpInUse', 'safetyRecordClean', 'qualityTraceability'] as const
const YES_NO_FIELDS_SCENARIO = ['scenarioInGuide', 'scenarioEffectMeasured'] as const
type YesNoField = (typeof YES_NO_FIELDS_FACTORY)[number] | (typeof YES_NO_FIELDS_SCENARIO)[number]

export default function GradientAnswersPage() {
  const data = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const message = useMessage()
  const errors = failure?.fieldErrors
  const a = data.answers
  const yesNo = (f: YesNoField) => (
    <SelectField
      key={f}
      id={f}
      name={f}
      label={t(`gradient.field.${f}`)}
      defaultValue={a[f] === true ? 'yes' : a[f] === false ? 'no' : ''}
      error={errors?.[f]}
    >
      <option value="">{t('gradient.choice.unanswered')}</option>
      <option value="yes">{t('gradient.choice.yes')}</option>
      <option value="no">{t('gradient.choice.no')}</option>
    </SelectField>
  )
  const links = Array.isArray(a.links) ? (a.links as string[]) : []
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '')
  return (
    <section aria-labelledby="answers-title">
      <EnterpriseWorkspaceNav />
      <p>
        <Link to="/enterprise/gradient">← {t('gradient.answers.back')}</Link>
      </p>
      <h1 id="answers-title">{t('gradient.answers.title')}</h1>
      <p className="muted">{t('gradient.answers.lead')}</p>
      {!data.hasRules ? <p className="notice">{t('gradient.answers.noRules')}</p> : null}
      {data.updatedAt ? <p className="muted">{t('gradient.answers.updated', { at: formatDateTime(data.updatedAt) })}</p> : null}
      <Form method="post" noValidate className="form-wide card">
        <ErrorSummary failure={failure} fieldIds={{ links: 'links-production_ops' }} />
        <Honeypot />
        <input type="hidden" name="revision" value={data.revision} />
        <input type="hidden" name="archiveRevision" value={data.archiveRevision} />
        <input type="hidden" name="linksAnswered" value="1" />
        <fieldset>
          <legend>{t('gradient.answers.factory')}</legend>
          <InputField
            id="mesCoveragePct"
            name="mesCoveragePct"
            inputMode="decimal"
            label={t('gradient.field.mesCoveragePct')}
            hint={t('gradient.field.mesCoveragePct.hint')}
            defaultValue={num(data.mesCoveragePct)}
            error={errors?.mesCoveragePct}
          />
          <InputField
            id="lineInvestmentWan"
            name="lineInvestmentWan"
            inputMode="decimal"
            label={t('gradient.field.lineInvestmentWan')}
            defaultValue={num(a.lineInvestmentWan)}
            error={errors?.lineInvestmentWan}
          />
          {YES_NO_FIELDS_FACTORY.map(yesNo)}
          <fieldset className="checkbox-group" aria-describedby={errors?.links ? 'links-error' : undefined}>
            <legend>{t('gradient.field.links')}</legend>
            {errors?.links ? (
              <p id="links-error" className="field-error">
                {message(errors.links)}
              </p>
            ) : null}
            {SCENARIO_LINKS.map((l) => (
              <label key={l}>
                <input type="checkbox" id={`links-${l}`} name="links" value={l} defaultChecked={links.includes(l)} />{' '}
                {t(`gradient.link.${l}`)}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{t('gradient.answers.scenario')}</legend>
          {YES_NO_FIELDS_SCENARIO.map(yesNo)}
          <InputField
            id="scenarioMonthsRunning"
            name="scenarioMonthsRunning"
            inputMode="numeric"
            label={t('gradient.field.scenarioMonthsRunning')}
            defaultValue={num(a.scenarioMonthsRunning)}
            error={errors?.scenarioMonthsRunning}
          />
          <InputField
            id="scenarioApplicationsThisYear"
            name="scenarioApplicationsThisYear"
            inputMode="numeric"
            label={t('gradient.field.scenarioApplicationsThisYear')}
            defaultValue={num(a.scenarioApplicationsThisYear)}
            error={errors?.scenarioApplicationsThisYear}
          />
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('gradient.answers.save')}
          </button>
        </div>
      </Form>
    </section>
  )
}
