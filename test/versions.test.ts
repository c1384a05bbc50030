import {readFileSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {detectGo, goModuleDir} from '../src/go/toolchain.js'
import {packageRoot} from '../src/paths.js'
import {hostInfo} from '../src/report/host.js'
import {requiredVersion} from '../src/report/versions.js'

const GOMOD = `module example

go 1.26.0

require github.com/tetratelabs/wazero v1.12.0

require (
	github.com/hashicorp/go-plugin v1.8.0
	google.golang.org/grpc v1.85.0
	google.golang.org/grpc/cmd/protoc-gen-go-grpc v1.5.1 // indirect
)
`

describe('the versions a report names', () => {
  it("reads a module's version from a require line or block, and not from a longer module path", () => {
    expect(requiredVersion(GOMOD, 'github.com/tetratelabs/wazero')).toBe('v1.12.0')
    expect(requiredVersion(GOMOD, 'github.com/hashicorp/go-plugin')).toBe('v1.8.0')
    expect(requiredVersion(GOMOD, 'google.golang.org/grpc')).toBe('v1.85.0')
    expect(requiredVersion(GOMOD, 'github.com/hashicorp/go-hclog')).toBeNull()
    expect(requiredVersion(GOMOD.replaceAll('.', 'x'), 'google.golang.org/grpc')).toBeNull()
  })

  it('names the grpc-js npm installed, as package-lock.json pins it', () => {
    const lock = JSON.parse(readFileSync(path.join(packageRoot, 'package-lock.json'), 'utf8'))
    expect(hostInfo().versions?.grpcJs).toBe(lock.packages['node_modules/@grpc/grpc-js'].version)
  })

  it.skipIf(!detectGo().supported)('names the Go modules the go command selects for fixtures/go', async () => {
    const paths = ['github.com/hashicorp/go-plugin', 'google.golang.org/grpc', 'github.com/tetratelabs/wazero']
    const {stdout} = await execa('go', ['list', '-m', '-f', '{{.Version}}', ...paths], {cwd: goModuleDir})
    const [goPlugin, grpcGo, wazero] = stdout.trim().split('\n')
    expect(hostInfo().versions).toMatchObject({goPlugin, grpcGo, wazero})
    expect(goPlugin).toBe('v1.8.0')
  })
})
