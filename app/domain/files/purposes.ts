/*
 * What an upload may be, per purpose: its largest size and the types its content may
 * have (decided from the bytes, never from the name or the browser's Content-Type).
 * Shared by the server (files.server.ts, app/web/uploads.server.ts) and the forms
 * (app/components/file-input.tsx shows the limit and the types in words).
 */

export const MiB = 1024 * 1024

/** Every type an upload may have, with the extensions a file of it is named with (the first is added when the name has none of them). */
export const FILE_TYPES = {
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'], image: true },
  'image/png': { label: 'PNG', extensions: ['png'], image: true },
  'image/webp': { label: 'WebP', extensions: ['webp'], image: true },
  'application/pdf': { label: 'PDF', extensions: ['pdf'], image: false },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    label: 'Word (.docx)',
    extensions: ['docx'],
    image: false,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    label: 'Excel (.xlsx)',
    extensions: ['xlsx'],
    image: false,
  },
} as const satisfies Record<string, { label: string; extensions: readonly string[]; image: boolean }>

export type FileMime = keyof typeof FILE_TYPES

export function isFileMime(value: string): value is FileMime {
  return Object.hasOwn(FILE_TYPES, value)
}

export function isImageMime(value: string): boolean {
  return isFileMime(value) && FILE_TYPES[value].image
}

const IMAGES = ['image/jpeg', 'image/png', 'image/webp'] as const satisfies readonly FileMime[]
const DOCUMENTS = [
  ...IMAGES,
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const satisfies readonly FileMime[]

export interface PurposeRule {
  /** Largest accepted file, in bytes. */
  maxBytes: number
  /** The content types accepted. */
  types: readonly FileMime[]
}

export const FILE_PURPOSES = {
  /** 案例图片 (issue 11). */
  case_image: { maxBytes: 5 * MiB, types: IMAGES },
  /** 资质证书扫描件 (issue 11): private to the organisation and the agencies overseeing it. */
  qualification_scan: { maxBytes: 10 * MiB, types: ['image/jpeg', 'image/png', 'application/pdf'] },
  /** 考勤照片: photos of a diagnosis site visit, training or briefing (issue 12). */
  service_photo: { maxBytes: 10 * MiB, types: IMAGES },
  /** 诊断报告附件 (issue 12). */
  diagnosis_attachment: { maxBytes: 20 * MiB, types: DOCUMENTS },
  /** 里程碑交付证明 (issue 14): photos and documents of a milestone submission. */
  milestone_evidence: { maxBytes: 20 * MiB, types: DOCUMENTS },
  /** 监理日志照片 (issue 14). */
  supervision_photo: { maxBytes: 10 * MiB, types: IMAGES },
  /** 纠纷证据 (issue 14). */
  dispute_evidence: { maxBytes: 20 * MiB, types: DOCUMENTS },
  /** 投标附件 (issue 14). */
  bid_attachment: { maxBytes: 20 * MiB, types: DOCUMENTS },
} as const satisfies Record<string, PurposeRule>

export type FilePurpose = keyof typeof FILE_PURPOSES

export const FILE_PURPOSE_NAMES = Object.keys(FILE_PURPOSES) as FilePurpose[]

export function isFilePurpose(value: string): value is FilePurpose {
  return Object.hasOwn(FILE_PURPOSES, value)
}

/** The largest file any purpose accepts: what an upload route's body cap is made of. */
export const LARGEST_FILE_BYTES = Math.max(...Object.values(FILE_PURPOSES).map((p) => p.maxBytes))

/** 5 MiB, 512 KiB, 900 B: sizes as people read them (binary units, as the limits are set). */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${trim(bytes / MiB)} MiB`
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`
  return `${bytes} B`
}

function trim(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10)
}

/** JPEG, PNG, WebP: the purpose's types in words. */
export function purposeTypeLabels(purpose: FilePurpose): string {
  return FILE_PURPOSES[purpose].types.map((t) => FILE_TYPES[t].label).join(', ')
}

/** The `accept` attribute of a file input: a hint to the browser's picker, never trusted. */
export function purposeAccept(purpose: FilePurpose): string {
  const types: readonly FileMime[] = FILE_PURPOSES[purpose].types
  return types.flatMap((t) => [t, ...FILE_TYPES[t].extensions.map((e) => `.${e}`)]).join(',')
}
