import type { AppLoadContext } from '@remix-run/node'
import type { Actor } from '../domain/accounts/actor.js'
import { actorOf, getViewer, requireViewer, type Viewer } from '../domain/accounts/viewer.server.js'
import { services } from './services.server.js'

/** The client's address, as app/server.ts determined it (TRUST_PROXY decides how many hops to believe). */
export function clientIp(context: AppLoadContext | undefined): string {
  return context?.clientIp ?? ''
}

/**
 * The first step of every private loader or action: who is asking. Anonymous
 * visitors are sent to sign in and come back. Use cases take the actor and decide
 * what it may do.
 */
export async function requireActor(args: {
  request: Request
  context: AppLoadContext | undefined
}): Promise<{ viewer: Viewer; actor: Actor }> {
  const viewer = await requireViewer(services().db, args.request)
  return { viewer, actor: actorOf(viewer, clientIp(args.context)) }
}

/**
 * Who is asking on a public page: the actor when someone is signed in, null for a
 * visitor. Use cases decide what each may see.
 */
export async function optionalActor(args: { request: Request; context: AppLoadContext | undefined }): Promise<Actor | null> {
  const viewer = await getViewer(services().db, args.request)
  return viewer ? actorOf(viewer, clientIp(args.context)) : null
}
