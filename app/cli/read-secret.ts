import readline from 'node:readline'

/**
 * A secret for a command-line tool, never from its arguments (they end up in shell
 * history and in `ps`): typed at a prompt that echoes nothing when stdin is a
 * terminal, otherwise the first line of stdin (`… --password-stdin < file`, a pipe).
 */
export async function readSecret(prompt: string, options: { fromStdin?: boolean } = {}): Promise<string> {
  if (process.stdin.isTTY && !options.fromStdin) return promptHidden(prompt)
  return firstLineOfStdin()
}

async function firstLineOfStdin(): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, terminal: false })
  try {
    for await (const line of rl) return line.replace(/\r$/, '')
    return ''
  } finally {
    rl.close()
  }
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(prompt)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    let value = ''
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.removeListener('data', onData)
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done()
        if (ch === '\u0003') return done(new Error('cancelled'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    stdin.on('data', onData)
  })
}
