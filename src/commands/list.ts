import {SurveyCommand} from '../base-command.js'
import {renderList} from '../render/list-table.js'
import {useColor} from '../render/style.js'
import {listMechanisms, type ListedMechanism} from '../report/list.js'

export default class List extends SurveyCommand {
  static override description = 'List every mechanism and floor, and whether it can run on this machine (and if not, why).'
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --json']
  async run(): Promise<{mechanisms: ListedMechanism[]}> {
    await this.parse(List)
    const listed = await listMechanisms()
    if (!this.jsonEnabled()) this.log(renderList(listed, useColor()))
    return {mechanisms: listed}
  }
}
