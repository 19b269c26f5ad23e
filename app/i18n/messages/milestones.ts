/**
 * Catalogue of milestones (里程碑) and supervision (监理日志): submission, acceptance, the late job.
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 */
export const zh = {
  'milestones.e.transition': '当前状态的里程碑不能执行此操作。',
} as const

export const en: Record<keyof typeof zh, string> = {
  'milestones.e.transition': 'A milestone in this state cannot do that.',
}
