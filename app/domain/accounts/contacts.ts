/** An account's contacts and when each was verified (by a code sent to it). */
export interface AccountContacts {
  phone: string | null
  email: string | null
  phoneVerifiedAt: string | null
  emailVerifiedAt: string | null
}

/**
 * Every contact the account has (its phone, its e-mail, whichever it has) is verified.
 * What approval rights need: a person who decides applications for an agency must
 * have proved they hold the phone or e-mail they sign in with (see authorization.ts).
 */
export function contactsVerified(c: AccountContacts): boolean {
  if (!c.phone && !c.email) return false
  return (!c.phone || Boolean(c.phoneVerifiedAt)) && (!c.email || Boolean(c.emailVerifiedAt))
}
