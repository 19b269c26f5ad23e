import type { TargetMetric } from '../../../db/enums.js'

/**
 * 2022年扬州市“智改数转”目标 (seed 001, the table after 附件2): the 8 评分对象 and their
 * targets — 智能化改造, “上云用数”, “数字画像”诊断, “数字标杆”创建 (projects) and 规上企业
 * “智改数转”覆盖率 (%). Region codes: GB/T 2260, 321071 经济技术开发区 (statistics code) and the
 * local 3210Z1 生态科技新城 (decision 002). The demo seed and the scoring tests read it.
 */
export const YANGZHOU_2022: readonly { regionCode: string; name: string; targets: Record<TargetMetric, number> }[] = [
  { regionCode: '321023', name: '宝应县', targets: t(30, 70, 60, 25, 40) },
  { regionCode: '321084', name: '高邮市', targets: t(40, 80, 80, 25, 40) },
  { regionCode: '321081', name: '仪征市', targets: t(30, 70, 60, 25, 40) },
  { regionCode: '321012', name: '江都区', targets: t(40, 80, 80, 25, 40) },
  { regionCode: '321003', name: '邗江区', targets: t(30, 70, 60, 25, 40) },
  { regionCode: '321002', name: '广陵区', targets: t(15, 30, 30, 25, 40) },
  { regionCode: '321071', name: '经济技术开发区', targets: t(10, 15, 20, 25, 40) },
  { regionCode: '3210Z1', name: '生态科技新城', targets: t(5, 5, 10, 5, 40) },
]

function t(
  smartRetrofit: number,
  cloud: number,
  diagnosis: number,
  benchmark: number,
  coverage: number,
): Record<TargetMetric, number> {
  return { smart_retrofit: smartRetrofit, cloud, diagnosis, benchmark, coverage }
}
