import {SurveyCommand} from '../base-command.js'
import Table from 'cli-table3'
import {allRows} from '../mechanisms/index.js'
import {palette, useColor} from '../render/style.js'

export interface ListedMechanism {
  id: string
  family: string
  title: string
  supported: boolean
  reason?: string
}

export default class List extends SurveyCommand {
  static override description = 'List every mechanism and floor, and whether it can run on this machine (and if not, why).'
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --json']
  async run(): Promise<{mechanisms: ListedMechanism[]}> {
    await this.parse(List)
    const listed: ListedMechanism[] = []
    for (const m of allRows) {
      const support = await m.detect()
      listed.push({id: m.id, family: m.family, title: m.title, supported: support.supported, ...(support.supported ? {} : {reason: support.reason})})
    }
    if (!this.jsonEnabled()) {
      const c = palette(useColor())
      const table = new Table({head: ['id', 'family', 'what it is', 'runs here'], style: {head: [], border: []}})
      for (const m of listed) table.push([m.id, m.family, m.title, m.supported ? c.green('yes') : c.yellow(`no: ${m.reason}`)])
      this.log(table.toString())
    }
    return {mechanisms: listed}
  }
}
