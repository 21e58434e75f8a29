// The shell scripts of `kubectl completion SHELL`: each hands the words typed so far to the hidden
// `__complete` command and reads back candidates and cobra's directive line (`:4`).
// Directive bits: 1 error, 2 no space after the word, 4 no file completion.

function bash(prog: string): string {
  const fn = `__start_${prog}`;
  return `# bash completion for ${prog} (kubesim)                  -*- shell-script -*-
#
# Load it in the current shell:   source <(${prog} completion bash)
# With a short alias:             alias k=${prog}; complete -o default -F ${fn} k

__${prog}_debug()
{
    if [[ -n \${BASH_COMP_DEBUG_FILE-} ]]; then
        echo "$*" >> "\${BASH_COMP_DEBUG_FILE}"
    fi
}

${fn}()
{
    local cur words cword
    COMPREPLY=()
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur words cword
    else
        # without bash-completion: the words of the line up to the cursor, '=' and ':' kept inside
        local line="\${COMP_LINE:0:COMP_POINT}"
        read -ra words <<< "$line"
        [[ -z $line || $line =~ [[:space:]]$ ]] && words+=("")
        cword=$(( \${#words[@]} - 1 ))
        cur="\${words[cword]}"
    fi

    # ask the program (the alias, if one was typed, expands inside eval)
    local args=("\${words[@]:1:cword-1}")
    local request="\${words[0]} __completeNoDesc"
    local a
    for a in "\${args[@]}"; do request+=" $(printf '%q' "$a")"; done
    if [[ -z $cur ]]; then request+=" ''"; else request+=" $(printf '%q' "$cur")"; fi
    __${prog}_debug "request: \${request}"
    local out
    out=$(eval "\${request}" 2>/dev/null)

    local directive=0
    local -a candidates=()
    local line
    while IFS='' read -r line; do
        if [[ $line == :* ]]; then directive=\${line#:}; else [[ -n $line ]] && candidates+=("$line"); fi
    done <<< "$out"
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    __${prog}_debug "directive: \${directive}, \${#candidates[@]} candidates"

    if (( directive & 1 )); then
        return
    fi
    if (( directive & 2 )); then
        compopt -o nospace 2>/dev/null
    fi
    if (( directive & 4 )); then
        compopt +o default 2>/dev/null
    fi
    local c
    for c in "\${candidates[@]}"; do
        [[ $c == "$cur"* ]] && COMPREPLY+=("$c")
    done
    # bash replaces only what follows the word's last '=' or ':' (both in COMP_WORDBREAKS)
    local seps="\${COMP_WORDBREAKS//[^=:]/}"
    if [[ -n $seps && $cur == *["$seps"]* ]]; then
        local prefix="\${cur%"\${cur##*["$seps"]}"}"
        COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
    fi
}

if [[ $(type -t compopt) = "builtin" ]]; then
    complete -o default -F ${fn} ${prog}
else
    complete -o default -o nospace -F ${fn} ${prog}
fi

# ex: ts=4 sw=4 et filetype=sh
`;
}

function zsh(prog: string): string {
  return `#compdef ${prog}
compdef _${prog} ${prog}

# zsh completion for ${prog} (kubesim): load it with  source <(${prog} completion zsh)

_${prog}()
{
    local -a words_before completions
    local out directive line
    words_before=("\${(@)words[2,CURRENT-1]}")
    out=$(\${words[1]} __complete "\${words_before[@]}" "\${words[CURRENT]}" 2>/dev/null)
    directive=0
    for line in "\${(@f)out}"; do
        if [[ $line == :* ]]; then
            directive=\${line#:}
        elif [[ -n $line ]]; then
            completions+=("\${line//:/\\\\:}")
        fi
    done
    if (( directive & 1 )); then
        return 1
    fi
    completions=("\${(@)completions//$'\\t'/:}")
    if (( \${#completions} > 0 )); then
        if (( directive & 2 )); then
            _describe 'completions' completions -S ''
        else
            _describe 'completions' completions
        fi
    elif (( ! (directive & 4) )); then
        _files
    fi
}

if [ "$funcstack[1]" = "_${prog}" ]; then
    _${prog} "$@"
fi
`;
}

function fish(prog: string): string {
  return `# fish completion for ${prog} (kubesim): load it with  ${prog} completion fish | source

function __${prog}_perform_completion
    set -l args (commandline -opc)
    set -e args[1]
    set -l last (commandline -ct)
    set -l out (${prog} __complete $args "$last" 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    for line in $out
        printf '%s\\n' $line
    end
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$last"
    end
end

complete -c ${prog} -e
complete -c ${prog} -f -a '(__${prog}_perform_completion)'
`;
}

function powershell(prog: string): string {
  return `# powershell completion for ${prog} (kubesim): ${prog} completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -CommandName '${prog}' -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $words = $CommandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }
    if ($WordToComplete -ne '' -and $words.Count -gt 0) { $words = $words[0..($words.Count - 2)] }
    $out = & '${prog}' __complete @words "$WordToComplete" 2>$null
    $directive = 0
    if ($out.Count -gt 0 -and $out[-1] -like ':*') { $directive = [int]($out[-1].Substring(1)); $out = $out[0..($out.Count - 2)] }
    if ($directive -band 1) { return }
    foreach ($line in $out) {
        $parts = $line -split "\`t", 2
        $desc = if ($parts.Count -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $desc)
    }
}
`;
}

export function completionScript(shell: string, prog: string): string | undefined {
  switch (shell) {
    case 'bash':
      return bash(prog);
    case 'zsh':
      return zsh(prog);
    case 'fish':
      return fish(prog);
    case 'powershell':
      return powershell(prog);
    default:
      return undefined;
  }
}
