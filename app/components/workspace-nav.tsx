import { NavLink } from '@remix-run/react'
import { useT } from '~/i18n/use-t.js'

/*
 * The enterprise workspace's sections (我的需求, 我的项目, 诊断报告, 一企一档, 自评估, 梯度自评与奖补, 服务券), shown at the top of
 * each of its pages so the next section is one tap away on a phone. The current one is
 * marked by NavLink (aria-current="page").
 */
export function EnterpriseWorkspaceNav() {
  const t = useT()
  return (
    <nav className="tabs workspace-nav" aria-label={t('workspace.enterprise')}>
      <NavLink to="/enterprise/needs">{t('myNeeds.nav')}</NavLink>
      <NavLink to="/enterprise/projects">{t('workspaces.nav.enterprise')}</NavLink>
      <NavLink to="/diagnoses">{t('diagnosis.nav')}</NavLink>
      <NavLink to="/enterprise/archive">{t('enterprises.nav')}</NavLink>
      <NavLink to="/enterprise/assessments">{t('assessment.nav')}</NavLink>
      <NavLink to="/enterprise/gradient">{t('gradient.nav')}</NavLink>
      <NavLink to="/vouchers">{t('vouchers.nav')}</NavLink>
    </nav>
  )
}
