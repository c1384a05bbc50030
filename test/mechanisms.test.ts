import {describe, expect, it} from 'vitest'
import {mechanisms} from '../src/mechanisms/index.js'
import {isLoadable} from '../src/mechanisms/row.js'
import {expectedMessage} from '../src/sample/contract.js'
import {distPath} from '../src/paths.js'

describe.each(mechanisms.filter((m) => m.family === 'node').filter(isLoadable).map((m) => [m.id, m] as const))('%s', (_id, mechanism) => {
  it('returns the exact sample answer and echoes a payload intact', async () => {
    const plugin = await mechanism.load({})
    try {
      expect(await plugin.call({number: 7})).toEqual({message: 'My custom code prints PluginInputNumber: 7'})
      const payload = 'é'.repeat(70_000)
      expect(await plugin.call({number: 42, payload})).toEqual({message: expectedMessage(42), payload})
    } finally {
      await plugin.dispose()
      await plugin.dispose()
    }
  })

  it('fails to load a plugin missing its exports with PLUGIN_LOOKUP naming what is missing', async () => {
    if (!mechanism.takesPluginPath) return
    const error = await mechanism.load({pluginPath: distPath('fixtures', 'node', 'missing-exports-plugin.js')}).then(
      (p) => p.dispose().then(() => undefined),
      (e: unknown) => e,
    )
    expect(error).toMatchObject({code: 'PLUGIN_LOOKUP'})
    expect((error as Error).message).toContain('KnownPluginFunction is missing')
    expect((error as Error).message).toContain('SomeOtherFunction')
  })
})
