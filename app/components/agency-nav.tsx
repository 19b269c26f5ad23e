import { NavLink } from '@remix-run/react'
import type { MessageKey } from '~/i18n/index.js'
import { useT } from '~/i18n/use-t.js'

/*
 * The agency workspace's sections (issue 15), shown at the top of each agency page so
 * the next one is a tap away on a phone: what an 工信局 watches (看板, 企业, 合同) and
 * what it runs (对接会, 资源池, 评价, 专家库, 目标考核, 导入导出; issue 16: 项目培育库, 称号管理, 服务券). The current one is
 * marked by NavLink (aria-current="page"); the server still decides what each page shows.
 */
const SECTIONS: Array<{ to: string; label: MessageKey }> = [
  { to: '/agency/dashboard', label: 'dashboard.nav' },
  { to: '/agency/events', label: 'events.nav' },
  { to: '/agency/enterprises', label: 'enterprises.agency.title' },
  { to: '/agency/contracts', label: 'workspaces.nav.agency' },
  { to: '/agency/pool', label: 'pool.nav' },
  { to: '/agency/evaluations', label: 'evaluation.nav' },
  { to: '/agency/experts', label: 'eventReview.nav' },
  { to: '/agency/targets', label: 'targets.nav' },
  { to: '/agency/exports', label: 'spreadsheets.nav' },
  { to: '/agency/project-pool', label: 'projectPool.nav' },
  { to: '/agency/titles', label: 'titles.nav' },
  { to: '/vouchers', label: 'vouchers.nav' },
]

export function AgencyWorkspaceNav() {
  const t = useT()
  return (
    <nav className="tabs workspace-nav" aria-label={t('agency.workspace')}>
      {SECTIONS.map((s) => (
        <NavLink key={s.to} to={s.to}>
          {t(s.label)}
        </NavLink>
      ))}
    </nav>
  )
}
