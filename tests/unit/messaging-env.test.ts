import { describe, expect, it } from 'vitest'
import { maskDestination, transportsFromEnv } from '../../app/domain/messaging/transports.server.js'
import { devMailboxEnabled, EnvError, parseEnv } from '../../app/utils/env.server.js'

describe('message transports from the configuration', () => {
  it('accepts only smtp:// and smtps:// for SMTP_URL', () => {
    expect(parseEnv({ SMTP_URL: 'smtps://user:secret@mail.example.cn:465' }).SMTP_URL).toBe(
      'smtps://user:secret@mail.example.cn:465',
    )
    expect(() => parseEnv({ SMTP_URL: 'https://mail.example.cn' })).toThrow(EnvError)
    expect(() => parseEnv({ SMTP_URL: 'not a url' })).toThrow(/SMTP_URL/)
    expect(() => parseEnv({ SMS_GATEWAY: 'aliyun' })).toThrow(/SMS_GATEWAY/)
  })

  it('has the development mailbox on outside production, and in production only when DEV_MAILBOX=1', () => {
    expect(devMailboxEnabled(parseEnv({ NODE_ENV: 'development' }))).toBe(true)
    expect(devMailboxEnabled(parseEnv({ NODE_ENV: 'test' }))).toBe(true)
    expect(devMailboxEnabled(parseEnv({ NODE_ENV: 'production' }))).toBe(false)
    expect(devMailboxEnabled(parseEnv({ NODE_ENV: 'production', DEV_MAILBOX: '1' }))).toBe(true)
    expect(devMailboxEnabled(parseEnv({ NODE_ENV: 'development', DEV_MAILBOX: '0' }))).toBe(false)
    expect(() => parseEnv({ DEV_MAILBOX: 'yes' })).toThrow(/DEV_MAILBOX/)
  })

  it('builds the transports the configuration names', () => {
    const none = transportsFromEnv(parseEnv({ NODE_ENV: 'production' }))
    expect(none).toEqual({ email: null, sms: null, mailbox: false })
    const both = transportsFromEnv(
      parseEnv({ SMTP_URL: 'smtp://mail.example.cn:587', SMS_GATEWAY: 'log', NODE_ENV: 'production' }),
    )
    expect(both.email?.name).toBe('smtp')
    expect(both.sms?.name).toBe('sms-log')
  })

  it('masks destinations in logs', () => {
    expect(maskDestination('13912345678')).toBe('*******5678')
    expect(maskDestination('zhang@example.cn')).toBe('z***@example.cn')
  })
})
