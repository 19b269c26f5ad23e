import { beforeAll, describe, expect, it } from 'vitest'
import { contractFor, contractRole, mayReadContract } from '../../app/domain/contracts/access.server.js'
import { getReferenceData } from '../../app/domain/reference/reference.server.js'
import { AppError } from '../../app/utils/errors.js'
import { contractWorld, type ContractWorld } from './contract-world.js'
import { db } from './matching-world.js'

/*
 * Who reads a contract (issue 14 §3): its parties, its appointed supervisor, agencies
 * over its region — and nobody else, a rival bidder and an unappointed 监理机构
 * included (404, the same answer as a contract that does not exist).
 */

let w: ContractWorld
let unsupervised: ContractWorld

beforeAll(async () => {
  w = await contractWorld({ supervised: true })
  unsupervised = await contractWorld()
})

describe('contract readers', () => {
  it('gives each reader its role', async () => {
    const ref = await getReferenceData(db())
    const { contract } = await contractFor(db(), w.enterprise.actor, w.contractId)
    expect(contractRole(w.enterprise.actor, ref, contract)).toBe('enterprise')
    expect(contractRole(w.enterpriseMember.actor, ref, contract)).toBe('enterprise')
    expect(contractRole(w.provider.actor, ref, contract)).toBe('provider')
    expect(contractRole(w.providerMember.actor, ref, contract)).toBe('provider')
    expect(contractRole(w.supervisor.actor, ref, contract)).toBe('supervisor')
    expect(contractRole(w.agencyOver.actor, ref, contract)).toBe('agency')
    expect(contractRole(w.agencyViewer.actor, ref, contract)).toBe('agency')
  })

  it('answers 404 to everyone else, and for a contract that does not exist', async () => {
    for (const p of [w.rival, w.notSupervisor, w.agencyElsewhere, w.outsider]) {
      const error = await contractFor(db(), p.actor, w.contractId).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('NOT_FOUND')
      expect(await mayReadContract(db(), p.actor, w.contractId)).toBe(false)
    }
    const missing = await contractFor(db(), w.enterprise.actor, 999_999_999).catch((e: unknown) => e)
    expect((missing as AppError).code).toBe('NOT_FOUND')
  })

  it('a supervisor reads only the contracts it was appointed to', async () => {
    expect(await mayReadContract(db(), w.supervisor.actor, w.contractId)).toBe(true)
    expect(await mayReadContract(db(), w.supervisor.actor, unsupervised.contractId)).toBe(false)
    expect(await mayReadContract(db(), w.enterprise.actor, unsupervised.contractId)).toBe(false)
  })
})
