import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { AppError } from '~/utils/errors.js'
import { runAction, runLoader } from '~/web/route-errors.server.js'

/*
 * Every URL no other route matches. Without this route Remix answers an unknown URL
 * itself, before any loader runs: the 404 page then knows neither the reader's
 * language nor who is signed in (Chinese, lang="zh-CN", 登录/注册 for everyone).
 * Through a route, the root loader runs first and the root's error page has both.
 */
export function loader(args: LoaderFunctionArgs) {
  return runLoader(args, () => Promise.reject(new AppError('NOT_FOUND', 'errors.notFound')))
}

/** A form posted to an unknown URL is a 404 too, not a 405. */
export function action(args: ActionFunctionArgs) {
  return runAction(args, () => Promise.reject(new AppError('NOT_FOUND', 'errors.notFound')))
}

/** Never shown: the loader always throws, and the root's error boundary renders the page. */
export default function NotFound() {
  return null
}
