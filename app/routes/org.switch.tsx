import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { z } from 'zod'
import { switchActiveOrg } from '~/domain/orgs/orgs.server.js'
import { services } from '~/web/services.server.js'
import { parseForm } from '~/utils/forms.server.js'
import { requireViewer } from '~/utils/permissions.server.js'
import { runAction } from '~/utils/route-errors.server.js'
import { clientIp } from '~/utils/session.server.js'

const ZSwitchInput = z.object({ orgId: z.coerce.number({ error: '请选择组织' }).int().positive('请选择组织') })

export function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }: ActionFunctionArgs) => {
    const { db } = services()
    const viewer = await requireViewer(db, request)
    const { orgId } = parseForm(ZSwitchInput, await request.formData())
    await switchActiveOrg(db, viewer, orgId, clientIp(context))
    return redirect('/org')
  })
}

export function loader() {
  return redirect('/org')
}
