// The Go gRPC floor: a bare grpc-go unary call between two Go processes over a unix socket, without any of
// go-plugin, timed by the same Go harness as go-hashicorp, so that row's overhead over its transport is a ratio.
import {goFloor} from './go-floor.js'
import {SCALES_BOTH} from './scale-facts.js'

export const floorGoGrpc = goFloor({
  id: 'floor-go-grpc',
  title: 'a bare grpc-go unary call between two Go processes over a unix socket (no go-plugin)',
  where: 'other-process',
  pkg: './floor/grpc',
  output: 'floor-go-grpc',
  scale: SCALES_BOTH,
})
