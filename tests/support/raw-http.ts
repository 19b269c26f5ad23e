/**
 * HTTP/1.1 over a bare socket, for what fetch and node:http will not send (a bad Host,
 * control characters, pipelined requests on one keep-alive connection) and to see
 * exactly what the server wrote back, byte for byte.
 */
import net from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string[]>
  body: Buffer
  /** Milliseconds from the start of the exchange until this response was complete. */
  at: number
}

export function header(response: RawResponse, name: string): string | undefined {
  return response.headers[name.toLowerCase()]?.join(', ')
}

/** Serialises one request; Content-Length is added for a body unless headers say otherwise. */
export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body?: Buffer | string): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`]
  const names = new Set(Object.keys(headers).map((h) => h.toLowerCase()))
  if (!names.has('host')) lines.push('Host: 127.0.0.1')
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body)
  if (payload && !names.has('content-length') && !names.has('transfer-encoding')) lines.push(`Content-Length: ${payload.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return payload ? Buffer.concat([head, payload]) : head
}

/** Parses as many complete responses as `data` holds; `methods` says which had no body (HEAD). */
function parseResponses(
  data: Buffer,
  methods: string[],
  closed: boolean,
  started: number,
): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = []
  let offset = 0
  while (offset < data.length) {
    const end = data.indexOf('\r\n\r\n', offset)
    if (end === -1) break
    const head = data.subarray(offset, end).toString('latin1').split('\r\n')
    const status = Number(head[0]!.split(' ')[1])
    const headers: Record<string, string[]> = {}
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim().toLowerCase()
      ;(headers[name] ??= []).push(line.slice(colon + 1).trim())
    }
    let cursor = end + 4
    let body: Buffer
    const noBody = methods[responses.length] === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)
    if (status >= 100 && status < 200) {
      offset = cursor
      continue
    }
    if (noBody) {
      body = Buffer.alloc(0)
    } else if (headers['transfer-encoding']?.join(',').toLowerCase().includes('chunked')) {
      const parts: Buffer[] = []
      let complete = false
      for (;;) {
        const lineEnd = data.indexOf('\r\n', cursor)
        if (lineEnd === -1) break
        const size = parseInt(data.subarray(cursor, lineEnd).toString('latin1'), 16)
        if (size === 0) {
          const trailerEnd = data.indexOf('\r\n', lineEnd + 2)
          if (trailerEnd === -1) break
          cursor = trailerEnd + 2
          complete = true
          break
        }
        if (data.length < lineEnd + 2 + size + 2) break
        parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
        cursor = lineEnd + 2 + size + 2
      }
      if (!complete) break
      body = Buffer.concat(parts)
    } else if (headers['content-length']) {
      const length = Number(headers['content-length'][0])
      if (data.length < cursor + length) break
      body = data.subarray(cursor, cursor + length)
      cursor += length
    } else {
      if (!closed) break
      body = data.subarray(cursor)
      cursor = data.length
    }
    responses.push({ status, headers, body: Buffer.from(body), at: Date.now() - started })
    offset = cursor
  }
  return { responses, rest: data.subarray(offset) }
}

export interface ExchangeOptions {
  /** Stop once this many responses have arrived (default: one per method given). */
  count?: number
  /** The method of each request sent, in order (HEAD answers carry no body). */
  methods?: string[]
  timeoutMs?: number
  /** Written after the first response arrives (a second request on the same connection). */
  afterFirst?: Buffer
}

/**
 * Writes `payload` (one buffer or several, written in turn), then reads until `count`
 * responses are complete, the server closes, or the time runs out. Never throws for a
 * reset: what arrived before it is returned, with `closed` and `timedOut` saying how it ended.
 */
export function exchange(
  port: number,
  payload: Buffer | Buffer[],
  options: ExchangeOptions = {},
): Promise<{ responses: RawResponse[]; closed: boolean; timedOut: boolean; error?: string }> {
  const methods = options.methods ?? ['GET']
  const count = options.count ?? methods.length
  const started = Date.now()
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let responses: RawResponse[] = []
    let settled = false
    let sentSecond = false
    const finish = (closed: boolean, timedOut: boolean, error?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (closed) responses.push(...parseResponses(data, methods.slice(responses.length), true, started).responses)
      socket.destroy()
      resolve({ responses, closed, timedOut, error })
    }
    const timer = setTimeout(() => finish(false, true), options.timeoutMs ?? 10_000)
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      const parsed = parseResponses(data, methods.slice(responses.length), false, started)
      responses = [...responses, ...parsed.responses]
      data = Buffer.from(parsed.rest)
      if (options.afterFirst && !sentSecond && responses.length >= 1) {
        sentSecond = true
        socket.write(options.afterFirst)
      }
      if (responses.length >= count) finish(false, false)
    })
    socket.on('end', () => finish(true, false))
    socket.on('close', () => finish(true, false))
    socket.on('error', (error) => finish(true, false, error.message))
    socket.on('connect', () => {
      for (const part of Array.isArray(payload) ? payload : [payload]) socket.write(part)
    })
  })
}
