// bench/peer/cucumber-pickles.mjs DIR - the peer of `specgate validate`:
// parse every .feature under DIR to pickles with Cucumber's own parser
// (@cucumber/gherkin) and print the file, pickle and error counts.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin'
import { IdGenerator } from '@cucumber/messages'

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) yield* walk(p)
    else if (e.isFile() && e.name.endsWith('.feature')) yield p
  }
}

const newId = IdGenerator.incrementing()
let files = 0, pickles = 0, errors = 0
for (const path of walk(process.argv[2])) {
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher())
  files++
  try {
    const doc = parser.parse(readFileSync(path, 'utf8'))
    pickles += compile({ ...doc, uri: path }, path, newId).length
  } catch (e) {
    errors++
  }
}
console.log(`${files} files, ${pickles} pickles, ${errors} with errors`)
