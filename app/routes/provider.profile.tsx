import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Fact } from '~/components/org-summary.js'
import { ErrorSummary, Honeypot, InputField, TextareaField, useFormFailure } from '~/components/form.js'
import { checkboxId, CodeCheckboxes, CompletenessMeter, ScenarioCheckboxes } from '~/components/provider-fields.js'
import { RegionPicker, regionPickerFieldId } from '~/components/region-picker.js'
import { getProviderProfileForEdit, saveProviderProfile } from '~/domain/providers/profile.server.js'
import { ZProviderProfileInput } from '~/domain/providers/schema.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useMessage, useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'
import styles from '~/styles/providers.css'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'providers.profile.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    return json(await getProviderProfileForEdit(db, actor, await getLocale(args.request)))
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const input = parseForm(ZProviderProfileInput, await args.request.formData())
    const { changed } = await saveProviderProfile(db, actor, input)
    const flash = await setFlash({ key: changed.length ? 'providers.profile.saved' : 'providers.profile.unchanged' })
    return redirect('/provider/profile', { headers: { 'Set-Cookie': flash } })
  })
}

export default function ProviderProfilePage() {
  const p = useLoaderData<typeof loader>()
  const failure = useFormFailure(useActionData<typeof action>())
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const errors = failure?.fieldErrors
  const fieldIds: Record<string, string> = { addRegion: regionPickerFieldId('addRegion'), 'regions[]': 'regions' }
  if (p.choices.industries[0]) fieldIds['industries[]'] = checkboxId('industries', p.choices.industries[0].code)
  if (p.choices.scenarios[0]) fieldIds['scenarios[]'] = checkboxId('scenarios', p.choices.scenarios[0].code)
  return (
    <section aria-labelledby="profile-title">
      <header className="page-head">
        <h1 id="profile-title">{t('providers.profile.title')}</h1>
        <Link to={`/providers/${p.orgId}`}>{t('providers.profile.viewPublic')}</Link>
      </header>
      <p className="muted">{t('providers.profile.lead')}</p>
      <CompletenessMeter completeness={p.completeness} />

      {/* A new form after each save: the region picker starts empty, the fields from what was saved. */}
      <Form method="post" noValidate className="form-wide section" key={p.revision}>
        <ErrorSummary failure={failure} fieldIds={fieldIds} />
        <Honeypot />
        <input type="hidden" name="revision" value={p.revision} />

        <section className="form-section" aria-labelledby="kinds-title">
          <h2 id="kinds-title">{t('providers.profile.kinds')}</h2>
          <ul className="tag-list">
            {p.kinds.map((k) => (
              <li key={k}>{t(`providerKind.${k}`)}</li>
            ))}
          </ul>
          <p className="field-hint">
            {p.canEditContact ? (
              <>
                {t('providers.profile.kindsOwner')} <Link to="/org/edit">{t('providers.profile.kindsOwnerLink')}</Link>
              </>
            ) : (
              t('providers.profile.kindsMember')
            )}
          </p>
        </section>

        <fieldset className="form-section">
          <legend>{t('providers.profile.basics')}</legend>
          <div className="field-row">
            <InputField
              id="teamSize"
              name="teamSize"
              label={t('providers.field.teamSize')}
              inputMode="numeric"
              maxLength={7}
              defaultValue={p.teamSize ?? ''}
              error={errors?.teamSize}
            />
            <InputField
              id="foundedYear"
              name="foundedYear"
              label={t('providers.field.foundedYear')}
              hint={t('providers.field.foundedYearHint')}
              inputMode="numeric"
              maxLength={4}
              defaultValue={p.foundedYear ?? ''}
              error={errors?.foundedYear}
            />
          </div>
          <InputField
            id="siteUrl"
            name="siteUrl"
            type="url"
            label={t('providers.field.siteUrl')}
            hint={t('providers.field.siteUrlHint')}
            maxLength={200}
            autoComplete="url"
            spellCheck={false}
            defaultValue={p.website}
            error={errors?.siteUrl}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('providers.profile.contact')}</legend>
          {p.canEditContact ? (
            <>
              <p className="field-hint">{t('providers.profile.contactLead')}</p>
              <TextareaField
                id="description"
                name="description"
                label={t('org.field.description')}
                maxLength={1000}
                defaultValue={p.description}
                error={errors?.description}
                data-i18n-data
              />
              <div className="field-row">
                <InputField
                  id="contactName"
                  name="contactName"
                  label={t('org.field.contactName')}
                  maxLength={40}
                  autoComplete="name"
                  defaultValue={p.contactName}
                  error={errors?.contactName}
                />
                <InputField
                  id="contactPhone"
                  name="contactPhone"
                  type="tel"
                  label={t('org.field.contactPhone')}
                  maxLength={20}
                  autoComplete="tel"
                  defaultValue={p.contactPhone}
                  error={errors?.contactPhone}
                />
              </div>
            </>
          ) : (
            <>
              <p className="field-hint">{t('providers.profile.contactMember')}</p>
              <dl className="facts">
                <Fact label={t('org.field.description')} data>
                  <span id="description">{p.description || '—'}</span>
                </Fact>
                <Fact label={t('org.field.contactName')} data>
                  <span id="contactName">
                    {p.contactName || '—'} {p.contactPhone}
                  </span>
                </Fact>
              </dl>
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('providers.profile.served')}</legend>
          <CodeCheckboxes
            name="industries"
            legend={t('providers.field.industries')}
            hint={t('providers.field.industriesHint')}
            options={p.choices.industries.map((i) => ({ code: i.code, name: `${i.code} ${i.name}` }))}
            checked={p.industries}
            error={errors?.['industries[]']}
          />
          <ScenarioCheckboxes
            name="scenarios"
            legend={t('providers.field.scenarios')}
            hint={t('providers.field.scenariosHint')}
            options={p.choices.scenarios}
            checked={p.scenarios}
            error={errors?.['scenarios[]']}
          />
          <fieldset
            id="regions"
            className="checkbox-group"
            aria-describedby={errors?.['regions[]'] ? 'regions-error' : undefined}
          >
            <legend>{t('providers.field.regions')}</legend>
            <label htmlFor="nationwide">
              <input
                id="nationwide"
                type="checkbox"
                name="nationwide"
                value="1"
                defaultChecked={p.nationwide}
                aria-describedby="nationwide-hint"
              />
              {t('providers.field.nationwide')}
            </label>
            <p id="nationwide-hint" className="field-hint">
              {t('providers.field.nationwideHint')}
            </p>
            {p.regions.length ? (
              <fieldset className="scenario-link chosen-regions">
                <legend>{t('providers.field.regionsChosen')}</legend>
                <div className="checkbox-grid">
                  {p.regions.map((r) => (
                    <label key={r.code} htmlFor={checkboxId('regions', r.code)}>
                      <input id={checkboxId('regions', r.code)} type="checkbox" name="regions[]" value={r.code} defaultChecked />
                      <span data-i18n-data>{r.label}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            ) : null}
            {errors?.['regions[]'] ? <RegionsError message={errors['regions[]']} /> : null}
          </fieldset>
          <RegionPicker
            name="addRegion"
            legend={t('providers.field.addRegion')}
            provinces={p.choices.provinces}
            initial={{ codes: [], cities: [], counties: [] }}
            error={errors?.addRegion}
          />
          <p className="field-hint">{t('providers.field.addRegionHint')}</p>
        </fieldset>

        <button type="submit" disabled={busy}>
          {t('providers.profile.submit')}
        </button>
      </Form>
    </section>
  )
}

function RegionsError({ message }: { message: string }) {
  const translate = useMessage()
  return (
    <p id="regions-error" className="field-error" role="alert">
      {translate(message)}
    </p>
  )
}
