import nodemailer, { type Transporter } from 'nodemailer'
import { devMailboxEnabled, getEnv, type Env } from '../../utils/env.server.js'

/** One message as a transport sends it. */
export interface Envelope {
  destination: string
  subject: string
  body: string
}

/** Something that delivers messages of one channel (e-mail, SMS). */
export interface Transport {
  /** Recorded with each message it delivered: `smtp`, `sms-log`, … */
  readonly name: string
  send(message: Envelope): Promise<void>
}

/**
 * An SMS gateway: a provider's API behind this interface (Aliyun, Tencent Cloud …)
 * is one class away. The only adapter shipped writes to the server log.
 */
export type SmsGateway = Transport

/** Masks all but the last four characters of a phone number or the domain of an address. */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@')
  if (at > 0) return `${destination.slice(0, 1)}***${destination.slice(at)}`
  return `${'*'.repeat(Math.max(0, destination.length - 4))}${destination.slice(-4)}`
}

/**
 * SMS_GATEWAY=log: the message goes to the server's log (development, staging). The
 * text holds the code, so this is for installations whose log only operators read.
 */
export class LogSmsGateway implements SmsGateway {
  readonly name = 'sms-log'
  constructor(private readonly write: (line: string) => void = (line) => console.info(line)) {}
  async send(message: Envelope): Promise<void> {
    this.write(`[sms → ${maskDestination(message.destination)}] ${message.body}`)
  }
}

/** SMTP_URL: e-mail through nodemailer's SMTP transport. */
export class SmtpTransport implements Transport {
  readonly name = 'smtp'
  private readonly mailer: Transporter
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.mailer = nodemailer.createTransport(url)
  }
  async send(message: Envelope): Promise<void> {
    await this.mailer.sendMail({ from: this.from, to: message.destination, subject: message.subject, text: message.body })
  }
}

/** What the outbox delivers with: a transport per channel (or none), and whether the mailbox keeps the rest. */
export interface Transports {
  email: Transport | null
  sms: SmsGateway | null
  /** Messages no transport takes stay readable on /dev/mailbox (development only). */
  mailbox: boolean
}

export function transportsFromEnv(env: Env): Transports {
  return {
    email: env.SMTP_URL ? new SmtpTransport(env.SMTP_URL, env.SMTP_FROM) : null,
    sms: env.SMS_GATEWAY === 'log' ? new LogSmsGateway() : null,
    mailbox: devMailboxEnabled(env),
  }
}

let current: Transports | undefined

/** The transports of this process, from the environment on first use. */
export function transports(): Transports {
  current ??= transportsFromEnv(getEnv())
  return current
}

/** Tests swap in fakes (and put the environment's back with `undefined`). */
export function setTransports(replacement: Transports | undefined): void {
  current = replacement
}
