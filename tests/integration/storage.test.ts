import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileStorage, isStorageKey, StorageLimitError, type FileStorage } from '../../app/utils/storage.server.js'
import { TMP_DIR } from '../support/paths.js'

// The contract every FileStorage keeps (the filesystem one today; an object store
// would run the same cases). Two storages on one folder stand for two app
// instances on one shared volume.
const dir = path.join(TMP_DIR, `storage-${crypto.randomUUID()}`)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

function contract(name: string, make: () => FileStorage, other: () => FileStorage) {
  describe(name, () => {
    it('stores bytes under a new random key and reads them back', async () => {
      const storage = make()
      const a = await storage.put(Buffer.from('第一份文件'))
      const b = await storage.put(Buffer.from('第一份文件'))
      expect(isStorageKey(a.key)).toBe(true)
      expect(a.key).not.toBe(b.key)
      expect(a.bytes).toBe(Buffer.byteLength('第一份文件'))
      const read = await storage.get(a.key)
      expect(read?.bytes).toBe(a.bytes)
      expect(await text(read!.stream)).toBe('第一份文件')
    })

    it('is shared by every instance on the same volume', async () => {
      const { key } = await make().put(Readable.from([Buffer.from('a'), Buffer.from('b')]))
      expect(await text((await other().get(key))!.stream)).toBe('ab')
      await other().delete(key)
      expect(await make().get(key)).toBeNull()
    })

    it('refuses more than the limit and keeps nothing of it', async () => {
      const storage = make()
      await expect(storage.put(Buffer.alloc(11), { maxBytes: 10 })).rejects.toBeInstanceOf(StorageLimitError)
      const big = Readable.from(
        (function* () {
          for (let i = 0; i < 5; i++) yield Buffer.alloc(4)
        })(),
      )
      await expect(storage.put(big, { maxBytes: 10 })).rejects.toBeInstanceOf(StorageLimitError)
      const leftovers = fs.readdirSync(path.join(dir, '.incoming'))
      expect(leftovers).toEqual([])
      expect((await storage.put(Buffer.alloc(10), { maxBytes: 10 })).bytes).toBe(10)
    })

    it('answers null for unknown and malformed keys, never a path outside', async () => {
      const storage = make()
      expect(await storage.get('0'.repeat(32))).toBeNull()
      for (const key of ['../../etc/passwd', '..', '', 'A'.repeat(32), `${'0'.repeat(31)}/`, '%2e%2e']) {
        expect(await storage.get(key)).toBeNull()
        await expect(storage.delete(key)).resolves.toBeUndefined()
      }
    })
  })
}

contract(
  'filesystem storage',
  () => createFileStorage(dir),
  () => createFileStorage(dir),
)
