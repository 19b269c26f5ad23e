import { describe, expect, it } from 'vitest'
import { parseSeedArgs, UsageError } from '../../seed/cli'

describe('parseSeedArgs', () => {
  it('reads every flag, with both "--flag value" and "--flag=value"', () => {
    expect(
      parseSeedArgs([
        '--needs',
        '100000',
        '--providers=10000',
        '--seed=7',
        '--db',
        '/tmp/x.db',
        '--reset',
        '--now',
        '2026-05-01',
      ]),
    ).toEqual({
      needs: 100_000,
      providers: 10_000,
      seed: 7,
      db: '/tmp/x.db',
      reset: true,
      now: new Date('2026-05-01T00:00:00.000Z'),
      help: false,
    })
  })

  it('defaults: seed 42, needs from the environment, no reset', () => {
    expect(parseSeedArgs([])).toEqual({
      needs: undefined,
      providers: undefined,
      seed: 42,
      db: undefined,
      reset: false,
      now: undefined,
      help: false,
    })
    expect(parseSeedArgs(['--help']).help).toBe(true)
  })

  it.each([
    [['--needs'], '--needs 缺少参数值'],
    [['--needs', '--reset'], '--needs 缺少参数值'],
    [['--needs', 'abc'], '--needs 需要一个整数'],
    [['--needs', '1.5'], '--needs 需要一个整数'],
    [['--needs', '-1'], '--needs 必须在 0 到 1000000 之间'],
    [['--needs', '1000001'], '--needs 必须在 0 到 1000000 之间'],
    [['--providers', '-5'], '--providers 必须在 0 到 1000000 之间'],
    [['--providers', 'many'], '--providers 需要一个整数'],
    [['--seed', 'x'], '--seed 需要一个整数'],
    [['--db', ''], '--db 路径不能为空'],
    [['--now', '2026-02-30'], '--now 需要 YYYY-MM-DD'],
    [['--now', 'tomorrow'], '--now 需要 YYYY-MM-DD'],
    [['--reset=yes'], '--reset 不接受参数值'],
    [['--needs', '1', '--needs', '2'], '参数 --needs 重复'],
    [['--verbose'], '未知参数：--verbose'],
    [['100'], '多余的参数：100'],
  ])('rejects %j with a Chinese message', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(UsageError)
    expect(() => parseSeedArgs(argv)).toThrow(message)
  })
})
