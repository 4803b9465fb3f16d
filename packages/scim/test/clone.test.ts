import { describe, expect, it } from 'vitest'
import { cloneJson } from '../src/index.js'

describe('cloneJson', () => {
  it('copies JSON-shaped data deeply: equal, and nothing shared', () => {
    const user = JSON.parse(
      '{"userName":"a@b.test","active":true,"n":1.5,"none":null,"emails":[{"value":"a@b.test","primary":true}],"x":{"y":[[1],{"z":"w"}]}}',
    )
    const copy = cloneJson(user)
    expect(copy).toEqual(user)
    copy.emails[0].value = 'changed'
    copy.x.y[1].z = 'changed'
    copy.x.y[0].push(2)
    expect(user.emails[0].value).toBe('a@b.test')
    expect(user.x.y).toEqual([[1], { z: 'w' }])
    expect(cloneJson(null)).toBeNull()
    expect(cloneJson('text')).toBe('text')
  })

  it('a "__proto__" key from a JSON body stays data: the copy keeps it and its prototype', () => {
    const body = JSON.parse('{"__proto__":{"admin":true},"name":"x"}')
    const copy = cloneJson(body)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect((copy as { admin?: boolean }).admin).toBeUndefined()
    expect(Object.keys(copy)).toEqual(['__proto__', 'name'])
    expect(JSON.stringify(copy)).toBe(JSON.stringify(body))
  })
})
