import { useT } from '~/i18n/use-t.js'
import { InputField, type FieldErrors } from './form.js'

/** The account (phone or e-mail) and password fields of the sign-in and sign-up forms. */
export function CredentialsFields({ errors, newPassword }: { errors: FieldErrors; newPassword: boolean }) {
  const t = useT()
  return (
    <>
      <InputField
        id="login"
        name="login"
        label={t('auth.field.login')}
        autoComplete="username"
        required
        maxLength={120}
        error={errors?.login}
      />
      <InputField
        id="password"
        name="password"
        type="password"
        label={t('auth.field.password')}
        hint={newPassword ? t('auth.field.passwordHint') : undefined}
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        required
        minLength={newPassword ? 8 : undefined}
        maxLength={128}
        error={errors?.password}
      />
    </>
  )
}

/**
 * A new password and its confirmation: the reset (by code or by link) and the
 * password change ask for them alike.
 */
export function NewPasswordFields({ errors }: { errors: FieldErrors }) {
  const t = useT()
  return (
    <>
      <InputField
        id="password"
        name="password"
        type="password"
        label={t('forgot.newPassword')}
        hint={t('auth.field.passwordHint')}
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        error={errors?.password}
      />
      <InputField
        id="passwordConfirm"
        name="passwordConfirm"
        type="password"
        label={t('auth.field.passwordConfirm')}
        autoComplete="new-password"
        required
        maxLength={128}
        error={errors?.passwordConfirm}
      />
    </>
  )
}
