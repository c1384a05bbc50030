// Mermaid itself, run in Node under jsdom, to check that every chart the report writes is one mermaid accepts.
import {JSDOM} from 'jsdom'

type Mermaid = (typeof import('mermaid'))['default']

let loaded: Promise<Mermaid> | undefined

/** The mermaid module, imported once a DOM exists (it needs `window` and `document` as it loads). */
function mermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const {window} = new JSDOM('<!doctype html><html><body></body></html>', {pretendToBeVisual: true})
    Object.assign(globalThis, {window, document: window.document})
    const {default: instance} = await import('mermaid')
    instance.initialize({startOnLoad: false})
    return instance
  })()
  return loaded
}

/** The body of every ```mermaid fence in a markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
}

/** The diagram type mermaid finds in the text; throws mermaid's own parse error when it rejects it. */
export async function parseMermaid(text: string): Promise<string> {
  const result = await (await mermaid()).parse(text)
  if (!result) throw new Error('mermaid did not recognise the diagram')
  return result.diagramType
}
