// The policy input's `llm` view of an Anthropic Messages API request: the parts policies ask about (model, system
// text, each message's text, tools, tool_use and tool_result blocks), flattened so rules need no deep walking.

export interface LlmView {
  model: string | null;
  max_tokens: number | null;
  stream: boolean;
  /** The system prompt's text (a string, or text blocks joined by new lines). */
  system: string;
  /** Each message's role and its text blocks joined by new lines. */
  messages: { role: string; text: string }[];
  /** Every text of the request (system, message texts, tool results), for rules that scan all of it. */
  texts: string[];
  tools: { name: string; description: string | null; type: string | null }[];
  /** tool_use blocks in the conversation (calls the model made earlier). */
  tool_uses: { id: string | null; name: string; input: unknown }[];
  /** tool_result blocks (what the agent's tools answered). */
  tool_results: { tool_use_id: string | null; text: string; is_error: boolean }[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Text of a content value: a string, or an array of blocks whose `text` blocks are joined by new lines. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((b): b is Json => isObject(b) && b.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join("\n");
}

/** The view of a parsed Messages API body; fields a body lacks are null, empty or false. */
export function llmView(body: unknown): LlmView {
  const b = isObject(body) ? body : {};
  const messages: LlmView["messages"] = [];
  const toolUses: LlmView["tool_uses"] = [];
  const toolResults: LlmView["tool_results"] = [];
  const system = textOf(b.system);
  const texts: string[] = system === "" ? [] : [system];
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    if (!isObject(m)) continue;
    const text = textOf(m.content);
    messages.push({ role: typeof m.role === "string" ? m.role : "", text });
    if (text !== "") texts.push(text);
    if (!Array.isArray(m.content)) continue;
    for (const block of m.content) {
      if (!isObject(block)) continue;
      if (block.type === "tool_use") {
        toolUses.push({ id: typeof block.id === "string" ? block.id : null, name: String(block.name ?? ""), input: block.input ?? null });
      } else if (block.type === "tool_result") {
        const t = textOf(block.content);
        toolResults.push({ tool_use_id: typeof block.tool_use_id === "string" ? block.tool_use_id : null, text: t, is_error: block.is_error === true });
        if (t !== "") texts.push(t);
      }
    }
  }
  const tools = (Array.isArray(b.tools) ? b.tools : []).filter(isObject).map((t) => ({
    name: String(t.name ?? ""),
    description: typeof t.description === "string" ? t.description : null,
    type: typeof t.type === "string" ? t.type : null,
  }));
  return {
    model: typeof b.model === "string" ? b.model : null,
    max_tokens: typeof b.max_tokens === "number" ? b.max_tokens : null,
    stream: b.stream === true,
    system,
    messages,
    texts,
    tools,
    tool_uses: toolUses,
    tool_results: toolResults,
  };
}
