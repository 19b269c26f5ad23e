import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from '@remix-run/node'
import { json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { fillTemplate } from '~/components/audit-sentence.js'
import { ConfirmForm, ConfirmStep, confirmationAsked, confirmRequestOf } from '~/components/confirm.js'
import { ErrorSummary, useFormFailure } from '~/components/form.js'
import {
  ContactFields,
  IndustryField,
  NameUsccFields,
  ORG_FIELD_IDS,
  OrgForm,
  OrgRegionField,
  ProviderKindsField,
} from '~/components/org-form.js'
import { changeOrgRegistration, getOrgForEdit, resubmitOrganisation, updateOrgContact } from '~/domain/orgs/profile.server.js'
import { ZOrgContactInput, ZOrgEditIntent, ZOrgInput, ZOrgRegistrationInput } from '~/domain/orgs/schema.js'
import { hasMessage, type MessageKey } from '~/i18n/index.js'
import { pageTitle } from '~/i18n/meta.js'
import { getLocale } from '~/i18n/locale.server.js'
import { useT } from '~/i18n/use-t.js'
import { setFlash } from '~/utils/flash.server.js'
import { parseForm } from '~/web/input.server.js'
import { requireActor } from '~/web/request.server.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, data?.mode === 'update' ? 'org.edit.profileTitle' : 'org.edit.title')

export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const edit = await getOrgForEdit(db, actor, await getLocale(args.request))
    // Nothing to edit here (an agency): the organisation page.
    if (!edit) throw redirect('/org')
    return json(edit)
  })
}

export function action(args: ActionFunctionArgs) {
  return runAction(args, async () => {
    const { db } = services()
    const { actor } = await requireActor(args)
    const form = await args.request.formData()
    const { intent } = parseForm(ZOrgEditIntent, form)
    // A verified organisation's contact: saved at once.
    if (intent === 'contact') {
      const { changed } = await updateOrgContact(db, actor, parseForm(ZOrgContactInput, form))
      return redirectToOrg(changed.length ? 'org.edit.contact.done' : 'org.edit.contact.unchanged')
    }
    // Its registration: back to review. Without scripts the button asks first
    // (components/confirm.tsx): everything is checked, nothing written, the changes named.
    if (intent === 'registration') {
      const input = parseForm(ZOrgRegistrationInput, form)
      const asked = confirmationAsked(form)
      const { changed } = await changeOrgRegistration(db, actor, input, { apply: !asked })
      if (asked) return json({ ...asked, changed })
      return redirectToOrg('org.edit.registration.done')
    }
    // A pending or rejected application, corrected whole and resubmitted.
    await resubmitOrganisation(db, actor, parseForm(ZOrgInput, form))
    return redirectToOrg('org.edit.done')
  })
}

async function redirectToOrg(flash: MessageKey) {
  return redirect('/org', { headers: { 'Set-Cookie': await setFlash({ key: flash }) } })
}

type EditData = SerializeFrom<typeof loader>

export default function EditOrgPage() {
  const data = useLoaderData<typeof loader>()
  return data.mode === 'update' ? <ProfileEdit {...data} /> : <Resubmission {...data} />
}

/** A pending or rejected application: the whole form, sent back to the queue. */
function Resubmission({ org, regions, industries }: EditData) {
  const failure = useFormFailure(useActionData<typeof action>())
  const t = useT()
  return (
    <section aria-labelledby="edit-org-title">
      <p>
        <Link to="/org">← {t('org.overview.title')}</Link>
      </p>
      <h1 id="edit-org-title">{t('org.edit.title')}</h1>
      {org.rejectionReason ? (
        <div className="notice notice-warn">
          {t('org.overview.rejected')} <strong>{org.rejectionReason}</strong>
        </div>
      ) : null}
      <div className="card">
        <OrgForm
          values={{
            kind: org.kind === 'provider' ? 'provider' : 'enterprise',
            name: org.name,
            uscc: org.uscc ?? '',
            industry: org.industryCode ?? '',
            providerKinds: org.providerKinds,
            contactName: org.contactName,
            contactPhone: org.contactPhone,
            description: org.description,
          }}
          kindLocked
          regions={regions}
          industries={industries}
          failure={failure}
          submitLabel={t('org.edit.submit')}
        />
      </div>
    </section>
  )
}

const CONTACT_FIELDS: ReadonlySet<string> = new Set(['contactName', 'contactPhone', 'description'])
const REGISTRATION_FIELDS: ReadonlySet<string> = new Set(['kind', 'name', 'uscc', 'region', 'industry', 'providerKinds[]'])
/** A changed field as the form labels it (`org.field.<name>`). */
const fieldLabelKey = (field: string): MessageKey | null => {
  const key = `org.field.${field}`
  return hasMessage(key) ? key : null
}

/**
 * A verified organisation's profile, in two forms (domain/orgs/profile.server.ts says
 * why): its contact, saved at once; its registration, which goes back to review and so
 * asks first, naming the consequence. A failure is shown in the form whose fields it
 * names, or above both when it names none.
 */
function ProfileEdit({ org, regions, industries }: EditData) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const failure = useFormFailure(actionData)
  const confirming = confirmRequestOf(actionData)
  const changed = actionData && 'changed' in actionData ? actionData.changed : []
  const busy = useNavigation().state === 'submitting'
  const failed = Object.keys(failure?.fieldErrors ?? {})
  const contactFailure = failed.some((f) => CONTACT_FIELDS.has(f)) ? failure : undefined
  const registrationFailure = failed.some((f) => REGISTRATION_FIELDS.has(f)) ? failure : undefined
  const pageFailure = contactFailure || registrationFailure ? undefined : failure
  const errors = failure?.fieldErrors
  const consequence = t(
    org.kind === 'provider' ? 'org.edit.registration.consequence.provider' : 'org.edit.registration.consequence.enterprise',
  )
  const question = {
    question: fillTemplate(t('org.edit.registration.confirm'), { name: <span data-i18n-data>{org.name}</span> }),
    consequence,
    confirmLabel: t('org.edit.registration.submit'),
  }
  return (
    <section aria-labelledby="edit-org-title">
      <p>
        <Link to="/org">← {t('org.overview.title')}</Link>
      </p>
      <h1 id="edit-org-title">{t('org.edit.profileTitle')}</h1>
      {confirming ? (
        <ConfirmStep
          request={confirming}
          {...question}
          consequence={
            <>
              {consequence}{' '}
              {t('org.edit.registration.changes', {
                fields: changed
                  .map((f) => fieldLabelKey(f))
                  .filter((key) => key !== null)
                  .map((key) => t(key))
                  .join(t('list.separator')),
              })}
            </>
          }
        />
      ) : null}
      <ErrorSummary failure={pageFailure} />

      <section className="card section" aria-labelledby="contact-title">
        <h2 id="contact-title">{t('org.edit.contact.title')}</h2>
        <p className="muted">{t('org.edit.contact.lead')}</p>
        <Form method="post" noValidate className="form-wide">
          <ErrorSummary failure={contactFailure} />
          <input type="hidden" name="intent" value="contact" />
          <ContactFields values={org} errors={errors} profile />
          <button type="submit" disabled={busy}>
            {t('org.edit.contact.submit')}
          </button>
        </Form>
      </section>

      <section className="card section" aria-labelledby="registration-title">
        <h2 id="registration-title">{t('org.edit.registration.title')}</h2>
        <p className="notice notice-warn">
          {t('org.edit.registration.lead', {
            what: t(org.kind === 'provider' ? 'org.field.providerKinds' : 'org.field.industry'),
          })}
        </p>
        <ConfirmForm label={t('org.edit.registration.submit')} className="form-wide" noValidate disabled={busy} {...question}>
          <ErrorSummary failure={registrationFailure} fieldIds={ORG_FIELD_IDS} />
          <input type="hidden" name="intent" value="registration" />
          <input type="hidden" name="kind" value={org.kind} />
          <NameUsccFields name={org.name} uscc={org.uscc ?? ''} errors={errors} />
          <OrgRegionField regions={regions} errors={errors} />
          {org.kind === 'provider' ? (
            <ProviderKindsField checked={org.providerKinds} errors={errors} />
          ) : (
            <IndustryField industries={industries} value={org.industryCode ?? ''} errors={errors} />
          )}
        </ConfirmForm>
      </section>
    </section>
  )
}
