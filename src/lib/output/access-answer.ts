// The answer line of kubectl auth can-i, printed the same way for a live review and for an offline decision.
import {escapeControls} from '../go/quote.js'
import {plainStyle, type Style} from './color.js'

/** kubectl's answer line: `yes`, or `no[ - reason][ - evaluationError]`. */
export function answerLine(result: {allowed: boolean; reason?: string; evaluationError?: string}, style: Style = plainStyle): string {
  if (result.allowed) return `${style.good('yes')}\n`
  // The reason is the server's (or the webhook's) text: control characters escaped.
  return style.bad('no') + escapeControls(`${result.reason ? ` - ${result.reason}` : ''}${result.evaluationError ? ` - ${result.evaluationError}` : ''}`) + '\n'
}
