//! Attribute and event names of the OpenTelemetry GenAI semantic conventions (development
//! status), and llmops's own under `llmops.*`. The upstream Rust constants are deprecated, so
//! the names live here, once.

pub const OPERATION_NAME: &str = "gen_ai.operation.name";
/// OpenInference's span kind, beside the GenAI attributes, so Phoenix shows each span as what
/// it is (an LLM call, a tool, an evaluator).
pub const OPENINFERENCE_KIND: &str = "openinference.span.kind";

/// The OpenInference kind of a span named `name` with `gen_ai.operation.name` `operation`.
pub fn openinference_kind(name: &str, operation: Option<&str>) -> Option<&'static str> {
    match operation {
        Some("chat") => Some("LLM"),
        Some("embeddings") => Some("EMBEDDING"),
        Some("retrieval") => Some("RETRIEVER"),
        Some("execute_tool") => Some("TOOL"),
        Some("invoke_agent") => Some("AGENT"),
        _ if name.starts_with("eval ") => Some("EVALUATOR"),
        _ if name.starts_with("sample ") || name.starts_with("run ") || name.starts_with("llmops ") => Some("CHAIN"),
        _ => None,
    }
}
pub const PROVIDER_NAME: &str = "gen_ai.provider.name";
pub const REQUEST_MODEL: &str = "gen_ai.request.model";
pub const REQUEST_TEMPERATURE: &str = "gen_ai.request.temperature";
pub const REQUEST_TOP_P: &str = "gen_ai.request.top_p";
pub const REQUEST_TOP_K: &str = "gen_ai.request.top_k";
pub const REQUEST_MAX_TOKENS: &str = "gen_ai.request.max_tokens";
pub const REQUEST_SEED: &str = "gen_ai.request.seed";
pub const REQUEST_STOP_SEQUENCES: &str = "gen_ai.request.stop_sequences";
pub const RESPONSE_MODEL: &str = "gen_ai.response.model";
pub const RESPONSE_FINISH_REASONS: &str = "gen_ai.response.finish_reasons";
pub const USAGE_INPUT_TOKENS: &str = "gen_ai.usage.input_tokens";
pub const USAGE_OUTPUT_TOKENS: &str = "gen_ai.usage.output_tokens";
pub const OUTPUT_TYPE: &str = "gen_ai.output.type";
pub const INPUT_MESSAGES: &str = "gen_ai.input.messages";
pub const OUTPUT_MESSAGES: &str = "gen_ai.output.messages";
pub const TOOL_NAME: &str = "gen_ai.tool.name";
pub const TOOL_CALL_ID: &str = "gen_ai.tool.call.id";
pub const TOOL_CALL_ARGUMENTS: &str = "gen_ai.tool.call.arguments";
pub const TOOL_CALL_RESULT: &str = "gen_ai.tool.call.result";
pub const AGENT_NAME: &str = "gen_ai.agent.name";
/// Why an agent loop ended: `answer`, `max_steps`, `max_tool_calls`, `timeout`, `error`.
pub const AGENT_FINISH: &str = "llmops.agent.finish";
pub const AGENT_STEPS: &str = "llmops.agent.steps";
/// How many texts one embeddings request carried.
pub const EMBEDDINGS_INPUTS: &str = "llmops.embeddings.inputs";
pub const ERROR_TYPE: &str = "error.type";

pub const EVALUATION_RESULT: &str = "gen_ai.evaluation.result";
pub const EVALUATION_NAME: &str = "gen_ai.evaluation.name";
pub const EVALUATION_SCORE_VALUE: &str = "gen_ai.evaluation.score.value";
pub const EVALUATION_SCORE_LABEL: &str = "gen_ai.evaluation.score.label";
pub const EVALUATION_EXPLANATION: &str = "gen_ai.evaluation.explanation";

/// Operation names.
pub const CHAT: &str = "chat";
pub const EMBEDDINGS: &str = "embeddings";
pub const EXECUTE_TOOL: &str = "execute_tool";
pub const INVOKE_AGENT: &str = "invoke_agent";
/// A search of a retrieval index (the GenAI conventions' data source).
pub const RETRIEVAL: &str = "retrieval";
pub const DATA_SOURCE_ID: &str = "gen_ai.data_source.id";
pub const RETRIEVAL_MODE: &str = "llmops.retrieval.mode";
pub const RETRIEVAL_TOP_K: &str = "llmops.retrieval.top_k";
pub const RETRIEVAL_QUERY: &str = "llmops.retrieval.query";
pub const RETRIEVAL_RESULTS: &str = "llmops.retrieval.results";
pub const RETRIEVAL_IDS: &str = "llmops.retrieval.ids";

/// Time from submission to the first token, in seconds (no registered name yet).
pub const TIME_TO_FIRST_TOKEN: &str = "llmops.response.time_to_first_token";
pub const RESPONSE_CACHED: &str = "llmops.response.cached";
pub const COMMAND: &str = "llmops.command";
pub const EVAL_NAME: &str = "llmops.eval.name";
pub const EVAL_VERSION: &str = "llmops.eval.version";
pub const PROMPT_NAME: &str = "llmops.prompt.name";
pub const PROMPT_VERSION: &str = "llmops.prompt.version";
pub const DATASET_NAME: &str = "llmops.dataset.name";
pub const DATASET_VERSION: &str = "llmops.dataset.version";
pub const SAMPLE_ID: &str = "llmops.sample.id";
pub const SAMPLE_REPEAT: &str = "llmops.sample.repeat";
pub const SAMPLE_SCORE: &str = "llmops.sample.score";
pub const SAMPLE_PASS: &str = "llmops.sample.pass";
pub const RUN_SCORE: &str = "llmops.run.score";
pub const RUN_PASS: &str = "llmops.run.pass";
