// kubectl's -o for commands whose output is a document besides the human text. One definition: oclif checks the
// value, so an unknown format is a usage error (exit 2) that names the allowed ones.
import {Flags} from '@oclif/core'

/** `-o FORMAT` limited to `formats` (the human text stays the default when -o is not given). */
export const outputFlag = (formats: string[] = ['text', 'json', 'yaml']) =>
  Flags.string({char: 'o', description: `output format: ${formats.join(', ')}`, options: formats})

/** -o json|yaml on listing and answer commands: the --json document, as JSON or YAML, instead of the table. */
export const documentOutputFlag = Flags.string({
  char: 'o',
  description: 'print the result as a json or yaml document (the one --json prints) instead of the table or text',
  options: ['json', 'yaml'],
})
