import { useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useMessage, useT } from '~/i18n/use-t.js'

export interface RegionOption {
  code: string
  name: string
}

interface Props {
  name: string
  provinces: RegionOption[]
  /** The chosen region's lineage (province, city, county) with each level's options. */
  initial: { codes: string[]; cities: RegionOption[]; counties: RegionOption[] }
  error?: string
}

type Children = { parent: string; regions: RegionOption[] }

/** Province → city → county selects; the form receives the most specific choice. */
export function RegionPicker({ name, provinces, initial, error }: Props) {
  const t = useT()
  const message = useMessage()
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
  return (
    <fieldset className="field region-picker">
      <legend>{t('org.field.region')}</legend>
      <input type="hidden" name={name} value={value} />
      <label htmlFor={`${name}-province`} className="visually-hidden">
        {t('org.field.province')}
      </label>
      <select
        id={`${name}-province`}
        value={province}
        {...aria}
        onChange={(e) => {
          setProvince(e.target.value)
          setCity('')
          setCounty('')
          setCities([])
          setCounties([])
          if (e.target.value) cityFetcher.load(`/api/regions?parent=${e.target.value}`)
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
        onChange={(e) => {
          setCity(e.target.value)
          setCounty('')
          setCounties([])
          if (e.target.value) countyFetcher.load(`/api/regions?parent=${e.target.value}`)
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
