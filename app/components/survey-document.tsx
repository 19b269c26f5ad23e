import { SURVEY_GRADES, SURVEY_OVERALLS, type DiagnosisKind } from '../../db/enums.js'
import { fillTemplate } from '~/components/audit-sentence.js'
import { SURVEY_ITEMS, type SurveyItem } from '~/domain/diagnosis/survey-views.js'
import { useT } from '~/i18n/use-t.js'
import { formatDate } from '~/utils/format.js'

/** What the table shows of a filled survey. */
export interface SurveyDocumentValues {
  grades: Record<SurveyItem, string>
  overall: string
  comment: string
  filledByName: string | null
  filledAt: string
  agencyOpinion: string
  agencyName: string | null
  agencyAt: string | null
}

/**
 * 服务商诊断服务满意度调查表 exactly as the seed 002 attachment lays it out: the parties
 * (seal, signature and date lines), the direction of the diagnosis, the five items with a
 * tick under 很好 / 较好 / 一般 / 较差, the overall verdict, the agency's 审核意见 and seal.
 * On screen and on A4 paper (diagnosis-service.css). The platform's confirmation stands
 * for the signature: the person who filled it in and the date.
 */
export function SurveyDocument({
  enterpriseName,
  providerName,
  kind,
  survey,
}: {
  enterpriseName: string
  providerName: string
  kind: DiagnosisKind
  survey: SurveyDocumentValues
}) {
  const t = useT()
  const tick = (on: boolean) => (on ? t('survey.checked') : '')
  const filledOn = formatDate(survey.filledAt)
  return (
    <div className="table-wrap survey-document" role="region" aria-label={t('survey.title')} tabIndex={0}>
      <table className="survey-table" data-testid="survey-table">
        <caption className="visually-hidden">{t('survey.title')}</caption>
        <tbody>
          <tr>
            <th scope="row" colSpan={2}>
              {t('survey.enterprise')}
            </th>
            <td data-i18n-data>{enterpriseName}</td>
            <td>{t('survey.seal')}</td>
            <td colSpan={2}>
              {t('survey.date')} {filledOn}
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {t('survey.enterpriseSign')}
            </th>
            <td />
            <td>
              {t('survey.signature')} <span data-i18n-data>{survey.filledByName ?? ''}</span>
            </td>
            <td colSpan={2}>
              {t('survey.date')} {filledOn}
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {t('survey.provider')}
            </th>
            <td colSpan={4} data-i18n-data>
              {providerName}
            </td>
          </tr>
          <tr>
            <td colSpan={6}>{t('survey.intro', { direction: t(`survey.direction.${kind}`) })}</td>
          </tr>
          <tr>
            <th scope="col" className="no">
              {t('survey.col.no')}
            </th>
            <th scope="col">{t('survey.col.item')}</th>
            {SURVEY_GRADES.map((g) => (
              <th key={g} scope="col" className="mark">
                {t(`survey.grade.${g}`)}
              </th>
            ))}
          </tr>
          {SURVEY_ITEMS.map((item, i) => (
            <tr key={item} data-item={item}>
              <td className="no">{t(`survey.no.${(i + 1) as 1 | 2 | 3 | 4 | 5}`)}</td>
              <th scope="row" style={{ fontWeight: 'normal', textAlign: 'start' }}>
                {t(`survey.item.${item}`)}
              </th>
              {SURVEY_GRADES.map((g) => (
                <td key={g} className="mark" data-grade={g} data-checked={survey.grades[item] === g ? 'yes' : undefined}>
                  {tick(survey.grades[item] === g)}
                  {survey.grades[item] === g ? <span className="visually-hidden">{t(`survey.grade.${g}`)}</span> : null}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <td colSpan={2} />
            {SURVEY_OVERALLS.map((o) => (
              <th key={o} scope="col" className="mark">
                {t(`survey.overall.${o}`)}
              </th>
            ))}
            <td />
          </tr>
          <tr data-item="overall">
            <th scope="row" colSpan={2}>
              {t('survey.overallRow')}
            </th>
            {SURVEY_OVERALLS.map((o) => (
              <td key={o} className="mark" data-overall={o} data-checked={survey.overall === o ? 'yes' : undefined}>
                {tick(survey.overall === o)}
                {survey.overall === o ? <span className="visually-hidden">{t(`survey.overall.${o}`)}</span> : null}
              </td>
            ))}
            <td />
          </tr>
          {survey.comment ? (
            <tr>
              <th scope="row" colSpan={2}>
                {t('survey.commentShown')}
              </th>
              <td colSpan={4} data-i18n-data className="record-content">
                {survey.comment}
              </td>
            </tr>
          ) : null}
          <tr>
            <th scope="row" colSpan={2}>
              {survey.agencyName ? (
                <span>{fillTemplate(t('survey.agencyRow'), { agency: <span data-i18n-data>{survey.agencyName}</span> })}</span>
              ) : (
                t('survey.agencyRowGeneric')
              )}
            </th>
            <td colSpan={4} data-i18n-data className="record-content" data-testid="survey-opinion">
              {survey.agencyOpinion}
            </td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {t('survey.agencySeal')}
            </th>
            <td colSpan={4}>{survey.agencyAt ? `${t('survey.date')} ${formatDate(survey.agencyAt)}` : ''}</td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}
