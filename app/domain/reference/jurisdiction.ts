import type { ReferenceData } from './reference.server.js'
import { regionPath } from './reference.server.js'

/**
 * Jurisdiction: an agency of a region oversees that region and everything below it
 * (a province its cities and counties, a city its counties and zones). This is the
 * only place that answers "is this in my jurisdiction"; permissions, queries and the
 * audit log all ask here.
 */
export function isInJurisdiction(ref: ReferenceData, agencyRegion: string, regionCode: string): boolean {
  return regionPath(ref, regionCode).some((r) => r.code === agencyRegion)
}

/** The regions whose agencies oversee `regionCode`: itself and every region above it, nearest first. */
export function overseeingRegions(ref: ReferenceData, regionCode: string): string[] {
  return regionPath(ref, regionCode)
    .map((r) => r.code)
    .reverse()
}

/** Every region code an agency of `agencyRegion` oversees: itself and all below. */
export function jurisdictionCodes(ref: ReferenceData, agencyRegion: string): string[] {
  const codes: string[] = []
  const stack = [agencyRegion]
  while (stack.length) {
    const code = stack.pop()!
    codes.push(code)
    for (const child of ref.childrenByCode.get(code) ?? []) stack.push(child.code)
  }
  return codes
}

/**
 * The codes to filter by when an agency narrows its view to `narrowTo`: that region
 * and below when it lies inside the jurisdiction, nothing when it does not.
 */
export function narrowedJurisdiction(ref: ReferenceData, agencyRegion: string, narrowTo?: string): string[] {
  if (!narrowTo) return jurisdictionCodes(ref, agencyRegion)
  return isInJurisdiction(ref, agencyRegion, narrowTo) ? jurisdictionCodes(ref, narrowTo) : []
}
