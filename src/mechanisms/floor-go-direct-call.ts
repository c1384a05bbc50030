// The Go floor: the sample's own work as a plain Go function call, timed by the same Go harness as the go-*
// rows in the same run, so their per-call overhead is a ratio against Go rather than against Node.
import {goFloor} from './go-floor.js'

export const floorGoDirectCall = goFloor({
  id: 'floor-go-direct-call',
  title: 'a plain function call in a Go host',
  where: 'same-thread',
  pkg: './floor/directcall',
  output: 'floor-go-direct-call',
  scale: {
    instances: {supported: false, reason: 'a plain Go function in the host: there is nothing to load'},
    calls: {supported: true},
  },
})
