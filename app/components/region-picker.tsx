import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useLocale, useMessage, useT } from '~/i18n/use-t.js'
import { RequiredMark } from './form.js'

export interface RegionOption {
  code: string
  name: string
}

/** What the server gives the picker (reference.server.ts `regionPickerData`). */
export interface RegionPickerData {
  provinces: RegionOption[]
  /** The chosen region's lineage (province, city, county) with each level's options. */
  initial: { codes: string[]; cities: RegionOption[]; counties: RegionOption[] }
}

interface Props extends RegionPickerData {
  name: string
  error?: string
  required?: boolean
  /** The group's name; the organisation's region (所在地区) unless said. */
  legend?: string
}

/** The id of the picker's first select: where an error summary's link for `name` leads. */
export function regionPickerFieldId(name: string): string {
  return `${name}-province`
}

type Children = { parent: string; regions: RegionOption[] }

/** Province → city → county selects; the form receives the most specific choice. */
export function RegionPicker({ name, provinces, initial, error, required, legend }: Props) {
  const t = useT()
  const message = useMessage()
  const locale = useLocale()
  // The answer is cached by its URL: the language is part of it.
  const childrenUrl = (parent: string) => `/api/regions?parent=${parent}&lang=${locale}`
  const [province, setProvince] = useState(initial.codes[0] ?? '')
  const [city, setCity] = useState(initial.codes[1] ?? '')
  const [county, setCounty] = useState(initial.codes[2] ?? '')
  const [cities, setCities] = useState(initial.cities)
  const [counties, setCounties] = useState(initial.counties)
  const cityFetcher = useFetcher<Children>()
  const countyFetcher = useFetcher<Children>()

  useEffect(() => {
    if (cityFetcher.data && cityFetcher.data.parent === province) setCities(cityFetcher.data.regions)
  }, [cityFetcher.data, province])
  useEffect(() => {
    if (countyFetcher.data && countyFetcher.data.parent === city) setCounties(countyFetcher.data.regions)
  }, [countyFetcher.data, city])

  const value = county || city || province
  const describedBy = error ? `${name}-error` : undefined
  const aria = error ? { 'aria-invalid': true as const, 'aria-describedby': describedBy } : {}
  // A province alone is not enough: the city is required too, the county is not.
  const ariaRequired = required ? { 'aria-required': true as const } : {}
  return (
    <fieldset className="field region-picker">
      <legend>
        {legend ?? t('org.field.region')}
        {required ? <RequiredMark /> : null}
      </legend>
      <input type="hidden" name={name} value={value} />
      <label htmlFor={regionPickerFieldId(name)} className="visually-hidden">
        {t('org.field.province')}
      </label>
      <select
        id={regionPickerFieldId(name)}
        value={province}
        {...aria}
        {...ariaRequired}
        onChange={(e) => {
          setProvince(e.target.value)
          setCity('')
          setCounty('')
          setCities([])
          setCounties([])
          if (e.target.value) cityFetcher.load(childrenUrl(e.target.value))
        }}
      >
        <option value="">{t('org.field.province')}</option>
        {provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${name}-city`} className="visually-hidden">
        {t('org.field.city')}
      </label>
      <select
        id={`${name}-city`}
        value={city}
        disabled={!province}
        {...aria}
        {...ariaRequired}
        onChange={(e) => {
          setCity(e.target.value)
          setCounty('')
          setCounties([])
          if (e.target.value) countyFetcher.load(childrenUrl(e.target.value))
        }}
      >
        <option value="">{t('org.field.city')}</option>
        {cities.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${name}-county`} className="visually-hidden">
        {t('org.field.county')}
      </label>
      <select
        id={`${name}-county`}
        value={county}
        disabled={!city || counties.length === 0}
        {...aria}
        onChange={(e) => setCounty(e.target.value)}
      >
        <option value="">{t('org.field.county')}</option>
        {counties.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      {error ? (
        <p id={describedBy} className="field-error" role="alert">
          {message(error)}
        </p>
      ) : null}
    </fieldset>
  )
}
