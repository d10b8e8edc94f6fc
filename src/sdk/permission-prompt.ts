// `--permission-prompt-tool stdio`: wherever claw would ask its user, it sends the host a can_use_tool
// request instead and applies the answer (allow, possibly with a rewritten input, or deny with a message).
import type { AskPermission, PermissionAnswer } from "../policy/permission-types.js";
import { isRecord } from "../util/is-record.js";
import type { ControlChannel } from "./control-channel.js";

export interface SdkPermissionPromptOptions {
  channel: ControlChannel;
  /** A deny answer with `interrupt: true` stops the whole turn, as the host's user asked. */
  interruptTurn: () => void;
}

export function createSdkPermissionPrompt(options: SdkPermissionPromptOptions): AskPermission {
  return async (question, signal) => {
    const description = describeInput(question.input);
    let response: Record<string, unknown>;
    try {
      response = await options.channel.request(
        {
          subtype: "can_use_tool",
          tool_name: question.toolName,
          display_name: question.toolName,
          input: isRecord(question.input) ? question.input : {},
          ...(description ? { description } : {}),
          decision_reason: question.reason,
          decision_reason_type: "rule",
          tool_use_id: question.toolUseId,
          ...(question.suggestedRule ? { permission_suggestions: [suggestion(question.suggestedRule)] } : {}),
        },
        signal,
      );
    } catch (error) {
      return { behavior: "deny", message: error instanceof Error ? error.message : String(error) };
    }
    return readAnswer(response, options.interruptTurn);
  };
}

/** The host's answer, as the SDK's PermissionResult type spells it. */
export function readAnswer(response: Record<string, unknown>, interruptTurn: () => void): PermissionAnswer {
  if (response.behavior === "allow") {
    const answer: PermissionAnswer = { behavior: "allow" };
    if (isRecord(response.updatedInput)) answer.updatedInput = response.updatedInput;
    const rule = firstAllowRule(response.updatedPermissions);
    if (rule) Object.assign(answer, { remember: "session", rule });
    return answer;
  }
  if (response.interrupt === true) interruptTurn();
  const message = typeof response.message === "string" && response.message ? response.message : undefined;
  return message ? { behavior: "deny", message } : { behavior: "deny" };
}

function describeInput(input: unknown): string | undefined {
  return isRecord(input) && typeof input.description === "string" ? input.description : undefined;
}

/** "Bash(npm test:*)" as the SDK's PermissionUpdate, so the host can offer "always allow". */
function suggestion(rule: string): Record<string, unknown> {
  const match = /^([^(]+)(?:\((.*)\))?$/.exec(rule);
  const toolName = match?.[1] ?? rule;
  const ruleContent = match?.[2];
  return {
    type: "addRules",
    rules: [{ toolName, ...(ruleContent !== undefined ? { ruleContent } : {}) }],
    behavior: "allow",
    destination: "session",
  };
}

/** updatedPermissions: [{type: "addRules", behavior: "allow", rules: [{toolName, ruleContent?}]}] → "Tool(content)". */
function firstAllowRule(updates: unknown): string | undefined {
  if (!Array.isArray(updates)) return undefined;
  for (const update of updates) {
    if (!isRecord(update) || update.type !== "addRules" || update.behavior !== "allow") continue;
    const rule = Array.isArray(update.rules) ? update.rules[0] : undefined;
    if (!isRecord(rule) || typeof rule.toolName !== "string") continue;
    return typeof rule.ruleContent === "string" ? `${rule.toolName}(${rule.ruleContent})` : rule.toolName;
  }
  return undefined;
}
