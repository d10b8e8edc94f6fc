// The REPL's root component: finished output in <Static> (terminal scrollback), below it the live region
// (streaming block, running tools, spinner), then the prompt or a dialog, then the footer. Routes keys.
import { Box, Static, Text } from "ink";
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from "react";
import type { PermissionAnswer } from "../../agent/permission-types.js";
import type { ReplController } from "../controller.js";
import * as ed from "../input/editor.js";
import type { InputModel } from "../input/input-model.js";
import { type RawKeyEvent, useRawKeys } from "./use-raw-keys.js";
import {
  CompletionMenu,
  DIALOG_CHOICES,
  Footer,
  PermissionDialogView,
  PickerView,
  PromptView,
  Spinner,
} from "./views.js";

export interface AppProps {
  controller: ReplController;
  input: InputModel;
  /** Saves a rule to .claude/settings.local.json (the "save" choice of the dialog). */
  saveRule: (rule: string) => Promise<string | undefined>;
}

const EXIT_WINDOW_MS = 2000;

export function App({ controller, input, saveRule }: AppProps) {
  const store = controller.store;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const style = controller.style;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [dialogIndex, setDialogIndex] = useState(0);
  const [denyMessage, setDenyMessage] = useState<string | undefined>(undefined);
  const [pickerIndex, setPickerIndex] = useState(0);
  const lastCtrlC = useRef(0);
  const hintTimer = useRef<NodeJS.Timeout | undefined>(undefined);

  useEffect(() => {
    if (state.restore) {
      input.setText(state.restore.text);
      redraw();
    }
  }, [state.restore, input]);

  // A new dialog or picker starts on its first choice.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is keyed on the dialog's identity
  useEffect(() => {
    setDialogIndex(0);
    setDenyMessage(undefined);
  }, [state.dialog]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reset is keyed on the picker's identity
  useEffect(() => setPickerIndex(0), [state.picker]);

  useEffect(() => {
    store.markPrinted(state.staticEpoch, state.staticItems.length);
  }, [store, state.staticEpoch, state.staticItems.length]);

  const showHint = (hint: string | undefined) => {
    if (hintTimer.current) clearTimeout(hintTimer.current);
    store.update({ hint }, true);
    if (hint) hintTimer.current = setTimeout(() => store.update({ hint: undefined }, true), EXIT_WINDOW_MS);
  };

  const answerDialog = (choice: (typeof DIALOG_CHOICES)[number], message?: string) => {
    const dialog = state.dialog;
    if (!dialog) return;
    const rule = dialog.question.suggestedRule ?? dialog.question.toolName;
    let answer: PermissionAnswer;
    if (choice === "once") answer = { behavior: "allow" };
    else if (choice === "session") answer = { behavior: "allow", remember: "session", rule };
    else if (choice === "project") {
      answer = { behavior: "allow", remember: "project", rule };
      void saveRule(rule).then((error) => {
        if (error) controller.notice("warning", error);
        else controller.notice("info", `Saved ${rule} to .claude/settings.local.json`);
      });
    } else answer = message ? { behavior: "deny", message } : { behavior: "deny" };
    dialog.answer(answer);
  };

  const onKey = (event: RawKeyEvent) => {
    // Ctrl+C: interrupt a turn, else clear the prompt, else exit when pressed twice within 2 s.
    if (event.type === "ctrl" && event.letter === "c") {
      if (state.picker) {
        state.picker.choose(undefined);
        return;
      }
      if (controller.interrupt()) return;
      if (input.text !== "") {
        input.clear();
        redraw();
        return;
      }
      const now = Date.now();
      if (now - lastCtrlC.current < EXIT_WINDOW_MS) {
        void controller.exit(0);
        return;
      }
      lastCtrlC.current = now;
      showHint("Press Ctrl+C again to exit");
      return;
    }

    if (state.dialog) {
      onDialogKey(event);
      return;
    }
    if (state.picker) {
      const picker = state.picker;
      if (event.type === "key" && event.name === "up")
        setPickerIndex((i) => (i - 1 + picker.options.length) % picker.options.length);
      else if (event.type === "key" && event.name === "down")
        setPickerIndex((i) => (i + 1) % picker.options.length);
      else if (event.type === "key" && event.name === "enter")
        picker.choose(picker.options[pickerIndex]?.value);
      else if (event.type === "key" && event.name === "escape") picker.choose(undefined);
      return;
    }

    if (event.type === "key" && event.name === "escape") {
      if (input.completion) {
        input.completion = undefined;
        redraw();
        return;
      }
      controller.interrupt();
      return;
    }
    if (event.type === "ctrl" && event.letter === "d" && input.text === "") {
      if (!controller.busy) void controller.exit(0);
      return;
    }
    if (event.type === "ctrl" && event.letter === "l") {
      redraw();
      return;
    }
    if (event.type === "paste") {
      input.paste(event.text);
      redraw();
      return;
    }
    if (event.type === "paste-start" || event.type === "paste-end") return;
    const action = input.handle(event);
    if (action.type === "submit") controller.submit(action.text);
    redraw();
  };

  const onDialogKey = (event: RawKeyEvent) => {
    if (denyMessage !== undefined) {
      if (event.type === "key" && event.name === "enter")
        answerDialog("deny", denyMessage.trim() || undefined);
      else if (event.type === "key" && event.name === "escape") answerDialog("deny");
      else if (event.type === "key" && event.name === "backspace")
        setDenyMessage((m) => ed.backspace(ed.fromText(m ?? "")).text);
      else if (event.type === "text" || event.type === "paste")
        setDenyMessage((m) => (m ?? "") + event.text.replace(/\s+/g, " "));
      return;
    }
    if (event.type === "key" && event.name === "escape") answerDialog("deny");
    else if (event.type === "key" && event.name === "up")
      setDialogIndex((i) => (i + DIALOG_CHOICES.length - 1) % DIALOG_CHOICES.length);
    else if (event.type === "key" && (event.name === "down" || event.name === "tab"))
      setDialogIndex((i) => (i + 1) % DIALOG_CHOICES.length);
    else if (event.type === "key" && event.name === "enter") choose(dialogIndex);
    else if (event.type === "text") {
      const key = event.text.toLowerCase();
      if (/^[1-4]$/.test(key)) choose(Number(key) - 1);
      else if (key === "y") choose(0);
      else if (key === "n") choose(3);
    }
  };

  const choose = (index: number) => {
    const choice = DIALOG_CHOICES[index] ?? "deny";
    if (choice === "deny") {
      setDialogIndex(3);
      setDenyMessage("");
      return;
    }
    answerDialog(choice);
  };

  useRawKeys(onKey);

  return (
    <Box flexDirection="column">
      <Static key={state.staticEpoch} items={state.staticItems}>
        {(item) => (
          <Box key={item.id} marginTop={1}>
            <Text>{item.text}</Text>
          </Box>
        )}
      </Static>
      {state.live ? (
        <Box marginTop={1}>
          <Text>{state.live}</Text>
        </Box>
      ) : null}
      {state.tools.map((tool) => (
        <Box key={tool.id} flexDirection="column" marginTop={1}>
          <Text>{tool.line}</Text>
          {tool.update ? <Text>{style.dim(`  ⎿ ${tool.update}`)}</Text> : null}
        </Box>
      ))}
      {state.busy && !state.dialog ? <Spinner busy={state.busy} style={style} /> : null}
      {state.queued.map((text, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: queued prompts may repeat
        <Text key={i}>{style.dim(`queued: ${text.split("\n")[0]}`)}</Text>
      ))}
      {state.dialog ? (
        <PermissionDialogView
          question={state.dialog.question}
          preview={state.dialog.preview}
          index={dialogIndex}
          denyMessage={denyMessage}
          style={style}
        />
      ) : state.picker ? (
        <PickerView picker={state.picker} index={pickerIndex} style={style} />
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <PromptView
            editor={input.editor}
            style={style}
            placeholder={state.ready ? undefined : "starting…"}
          />
          {input.completion ? <CompletionMenu completion={input.completion} style={style} /> : null}
        </Box>
      )}
      <Footer info={state.footer} hint={state.hint} style={style} />
    </Box>
  );
}
