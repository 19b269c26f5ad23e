import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { DataTable } from '~/components/data-table.js'
import { listMailbox } from '~/domain/messaging/outbox.server.js'
import { pageTitle } from '~/i18n/meta.js'
import { useT } from '~/i18n/use-t.js'
import { formatDateTime } from '~/utils/format.js'
import { runLoader } from '~/web/route-errors.server.js'
import { services } from '~/web/services.server.js'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'mailbox.title')

/**
 * The development mailbox: the codes no SMS gateway or SMTP server took. It exists
 * outside production, or with DEV_MAILBOX=1 on purpose (the end-to-end tests); a 404
 * otherwise.
 */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async () =>
    json({ messages: await listMailbox(services().db) }, { headers: { 'Cache-Control': 'no-store' } }),
  )
}

export default function MailboxPage() {
  const t = useT()
  const { messages } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('mailbox.title')}</h1>
      <p className="notice notice-warn">{t('mailbox.lead')}</p>
      <DataTable
        caption={t('mailbox.title')}
        rows={messages}
        rowKey={(m) => String(m.id)}
        empty={t('mailbox.empty')}
        columns={[
          { id: 'to', header: t('mailbox.to'), role: 'primary', cell: (m) => m.destination },
          { id: 'channel', header: t('mailbox.channel'), cell: (m) => t(m.channel === 'sms' ? 'mailbox.sms' : 'mailbox.email') },
          { id: 'body', header: t('mailbox.body'), cell: (m) => <span data-testid="mailbox-body">{m.body}</span> },
          { id: 'at', header: t('mailbox.at'), cell: (m) => formatDateTime(m.createdAt) },
        ]}
      />
    </>
  )
}
