import type { ExchangeRecord, ExchangeType, IdSpace } from './exchange-type.server.js'
import { caseSpace, caseType } from './types/case.server.js'
import { contractTemplateSpace, contractTemplateType } from './types/contract-template.server.js'
import { organisationSpace, organisationType } from './types/organisation.server.js'
import { providerProfileType } from './types/provider-profile.server.js'
import { diagnosisReportSpace, diagnosisReportType } from './types/diagnosis-report.server.js'
import { enterpriseProfileType } from './types/enterprise-profile.server.js'
import { needSpace, needType } from './types/need.server.js'
import { bidSpace, bidType } from './types/bid.server.js'
import { contractSpace, contractType } from './types/contract.server.js'
import { contractRatingType } from './types/contract-rating.server.js'

/**
 * Every type of the exchange format (docs/exchange.md). A later issue adds its own
 * (needs, diagnosis reports): a schema per version under schemas/, a writer and a reader
 * under types/, and one entry in each list below.
 */
export const EXCHANGE_TYPES: readonly ExchangeType<ExchangeRecord>[] = [
  organisationType,
  providerProfileType,
  caseType,
  contractTemplateType,
  enterpriseProfileType,
  diagnosisReportType,
  needType,
  bidType,
  contractType,
  contractRatingType,
]

/** The id spaces lines refer to each other by. */
export const ID_SPACES: ReadonlyMap<string, IdSpace> = new Map(
  [organisationSpace, caseSpace, contractTemplateSpace, diagnosisReportSpace, needSpace, bidSpace, contractSpace].map((s) => [
    s.name,
    s,
  ]),
)
