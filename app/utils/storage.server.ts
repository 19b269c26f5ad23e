import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/**
 * Where uploaded files live (issue 10: nothing of a request's state may be tied to one
 * app instance). Use cases store and read bytes through this interface only; what a
 * file is, who may read it and its size limit are the uploads use case's business,
 * and its metadata (owner, kind, size, content type) is a database row. Keys are
 * opaque, made here from random bytes, so a name a client sent never becomes a path.
 *
 * `createFileStorage(dir)` keeps them in a folder: on one machine the data
 * directory, with several instances a volume they all mount (NFS, a cloud file
 * share). An object store (S3-compatible) would be a second implementation of the
 * same interface, tested by the same contract (tests/integration/storage.test.ts).
 */
export interface FileStorage {
  /** Stores the bytes under a new random key and returns it with the size written. */
  put(content: Uint8Array | Readable, options?: { maxBytes?: number }): Promise<{ key: string; bytes: number }>
  /** The bytes of a key, or null when there is none. */
  get(key: string): Promise<{ stream: Readable; bytes: number } | null>
  /** Removes a key; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>
}

export class StorageLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`)
  }
}

/** 32 hex characters: 128 random bits; the first two name a sub-folder. */
const KEY = /^[0-9a-f]{32}$/

export function isStorageKey(key: string): boolean {
  return KEY.test(key)
}

export function createFileStorage(dir: string): FileStorage {
  const root = path.resolve(dir)
  const tmp = path.join(root, '.incoming')
  const fileOf = (key: string) => {
    if (!isStorageKey(key)) throw new Error('invalid storage key')
    return path.join(root, key.slice(0, 2), key)
  }

  return {
    async put(content, options = {}) {
      await fsp.mkdir(tmp, { recursive: true })
      const key = crypto.randomBytes(16).toString('hex')
      // Written beside, then renamed into place: a reader never sees half a file,
      // and an instance that dies mid-write leaves only a temporary file behind.
      const partial = path.join(tmp, `${key}.${process.pid}.part`)
      let bytes = 0
      const limit = options.maxBytes ?? Number.POSITIVE_INFINITY
      const source = content instanceof Readable ? content : Readable.from([Buffer.from(content)])
      // Opened before the copy starts, so a copy that fails early cannot create the file after it was removed.
      const handle = await fsp.open(partial, 'wx', 0o640)
      try {
        await pipeline(
          source,
          async function* count(chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              bytes += chunk.length
              if (bytes > limit) throw new StorageLimitError(limit)
              yield chunk
            }
          },
          handle.createWriteStream(),
        )
        const final = fileOf(key)
        await fsp.mkdir(path.dirname(final), { recursive: true })
        await fsp.rename(partial, final)
        return { key, bytes }
      } catch (error) {
        await handle.close().catch(() => {})
        await fsp.rm(partial, { force: true })
        throw error
      }
    },

    async get(key) {
      if (!isStorageKey(key)) return null
      const file = fileOf(key)
      try {
        const stat = await fsp.stat(file)
        return { stream: fs.createReadStream(file), bytes: stat.size }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },

    async delete(key) {
      if (!isStorageKey(key)) return
      await fsp.rm(fileOf(key), { force: true })
    },
  }
}
