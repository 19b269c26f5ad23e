/** The hidden field bots fill in and people never see. */
export const HONEYPOT_FIELD = 'website'
