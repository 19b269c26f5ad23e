/**
 * Catalogue of uploads (app/domain/files, app/web/uploads.server.ts, the file input and list).
 * zh-CN is the source of truth; `en` must give every key (the type checks it).
 * `{name}` placeholders are filled by t().
 */
export const zh = {
  'files.e.tooLarge': '文件过大：单个文件不能超过 {limit}',
  'files.e.unsupportedType': '不支持该文件类型：请上传 {types} 格式的文件（按文件内容判断，与文件名无关）',
  'files.e.unreadable': '无法读取该图片，文件可能已损坏',
  'files.e.imagePixels': '图片尺寸过大：不能超过 {max} 万像素',
  'files.e.empty': '文件是空的，请重新选择',
  'files.e.tooMany': '一次最多上传 {max} 个文件',
  'files.e.tooManyFields': '表单字段过多',
  'files.e.fieldTooLong': '填写的内容过长',
  'files.e.malformed': '上传内容不完整或格式有误，请重新提交',
  'files.input.hint': '支持 {types}，单个文件不超过 {limit}',
  'files.input.hintMany': '支持 {types}，单个文件不超过 {limit}，最多 {max} 个',
  'files.input.chosen': '已选择：{name}',
  'files.input.chosenMany': '已选择 {count} 个文件',
  'files.input.tooLargeNow': '“{name}”超过 {limit}，无法上传',
  'files.list.remove': '删除',
  'files.list.removeNamed': '删除“{name}”',
  'files.list.removeQuestion': '删除文件“{name}”？',
  'files.list.removeConsequence': '删除后无法恢复，看到它的人也将无法再打开。',
  'files.list.open': '查看“{name}”（{size}）',
  'files.list.download': '下载“{name}”（{size}）',
} as const

export const en: Record<keyof typeof zh, string> = {
  'files.e.tooLarge': 'File too large: each file may be at most {limit}',
  'files.e.unsupportedType': 'Unsupported file type: upload {types} (judged by the content, not the file name)',
  'files.e.unreadable': 'The image cannot be read; the file may be damaged',
  'files.e.imagePixels': 'The image is too large: at most {megapixels} megapixels',
  'files.e.empty': 'The file is empty; choose it again',
  'files.e.tooMany': 'At most {max} files at once',
  'files.e.tooManyFields': 'Too many form fields',
  'files.e.fieldTooLong': 'This value is too long',
  'files.e.malformed': 'The upload is incomplete or malformed; please submit it again',
  'files.input.hint': '{types}, at most {limit} per file',
  'files.input.hintMany': '{types}, at most {limit} per file, up to {max} files',
  'files.input.chosen': 'Chosen: {name}',
  'files.input.chosenMany': '{count} files chosen',
  'files.input.tooLargeNow': '“{name}” is larger than {limit} and cannot be uploaded',
  'files.list.remove': 'Remove',
  'files.list.removeNamed': 'Remove “{name}”',
  'files.list.removeQuestion': 'Remove the file “{name}”?',
  'files.list.removeConsequence': 'This cannot be undone; nobody will be able to open it any more.',
  'files.list.open': 'View “{name}” ({size})',
  'files.list.download': 'Download “{name}” ({size})',
}
