// The scripts `authctl completion <shell>` prints. Each asks the hidden `authctl __complete <words…>` for the
// candidates at the cursor (the words after the program name, the last one being the word under the cursor, '' after
// a space). Its answer is one candidate per line, then a directive line: `:4` means offer nothing else, `:0` means
// the shell may offer file names when there is no candidate (the numbers are cobra's, so the protocol reads alike).

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const
export type Shell = (typeof SHELLS)[number]

export const COMPLETE_COMMAND = '__complete'

/** The answer `__complete` prints for `candidates`. */
export function completionAnswer(candidates: string[], files: boolean): string {
  return candidates.map((c) => `${c}\n`).join('') + `:${files ? 0 : 4}\n`
}

// Words come from the line up to the cursor, split on blanks, so `--kubeconfig=x` and names with ':' reach authctl
// whole; the part of the word before bash's last word break (= or :) is then taken off each reply.
const bash = (bin: string) => `# bash completion for ${bin}; load with: source <(${bin} completion bash)
_${bin}_complete() {
  local line=\${COMP_LINE:0:COMP_POINT} out directive cur prefix
  local -a words replies
  read -ra words <<<"$line"
  [[ $line =~ [[:space:]]$ ]] && words+=("")
  cur=\${words[\${#words[@]}-1]}
  out=$("\${words[0]}" ${COMPLETE_COMMAND} "\${words[@]:1}" 2>/dev/null) || return 0
  directive=\${out##*:}
  out=\${out%:*}
  mapfile -t replies <<<"\${out%$'\\n'}"
  [[ -z $out ]] && replies=()
  if [[ \${#replies[@]} -eq 0 ]]; then
    [[ $directive == 0 ]] && compopt -o default
    COMPREPLY=()
    return 0
  fi
  prefix=\${cur%"\${cur##*[=:]}"}
  COMPREPLY=("\${replies[@]#"$prefix"}")
}
complete -F _${bin}_complete ${bin}
`

const zsh = (bin: string) => `#compdef ${bin}
# zsh completion for ${bin}; load with: source <(${bin} completion zsh) (after compinit)
_${bin}() {
  local out directive
  local -a replies
  out=$(\${words[1]} ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  replies=("\${(@f)out}")
  directive=\${replies[-1]#:}
  replies=("\${(@)replies[1,-2]}")
  if (( \${#replies} )); then
    compadd -Q -- "\${(@)replies}"
  elif [[ $directive == 0 ]]; then
    _files
  else
    return 1
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _${bin} "$@"; else compdef _${bin} ${bin}; fi
`

const fish = (bin: string) => `# fish completion for ${bin}; load with: ${bin} completion fish | source
function __${bin}_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] ${COMPLETE_COMMAND} $words[2..-1] 2>/dev/null)
    or return
    set -l directive (string replace ':' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -gt 0
        printf '%s\\n' $out
    else if test "$directive" = 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c ${bin} -f -a '(__${bin}_complete)'
`

const powershell = (bin: string) => `# PowerShell completion for ${bin}; load with: ${bin} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName '${bin}' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -eq '') { $words += '""' }
    $program = $words[0]
    $out = @(& $program ${COMPLETE_COMMAND} @($words | Select-Object -Skip 1) 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = $out[-1].TrimStart(':')
    $replies = @($out | Select-Object -SkipLast 1)
    if ($replies.Count -eq 0 -and $directive -eq '0') { return }
    foreach ($reply in $replies) {
        [System.Management.Automation.CompletionResult]::new($reply, $reply, 'ParameterValue', $reply)
    }
}
`

/** The completion script for `shell`, for a program installed as `bin`. */
export function completionScript(shell: Shell, bin: string): string {
  return {bash, fish, powershell, zsh}[shell](bin)
}
