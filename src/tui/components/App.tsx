// The REPL's root component: finished output in <Static> (terminal scrollback), below it the live region
// (streaming block, running tools, spinner), then the prompt or a dialog, then the footer. Routes keys.
import { Box, Static, Text, useStdout } from "ink";
import { useEffect, useReducer, useRef, useSyncExternalStore } from "react";
import type { PermissionAnswer } from "../../policy/permission-types.js";
import type { ReplController } from "../controller.js";
import { expandInPlace } from "../expand-output.js";
import { eraseFrame } from "../ink-internals.js";
import * as ed from "../input/editor.js";
import type { InputModel } from "../input/input-model.js";
import { modeMeaning } from "../modes.js";
import type { ReplState } from "../repl-state.js";
import { conversationPager, type TranscriptPager, transcriptRows } from "../transcript.js";
import { TranscriptView } from "./transcript-view.js";
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
/** The transcript is drawn on the alternate screen: the conversation's own screen and scrollback stay as they were. */
const ENTER_ALT_SCREEN = "\x1b[?1049h\x1b[H\x1b[2J";
const LEAVE_ALT_SCREEN = "\x1b[?1049l";
const DOUBLE_ESC_MS = 1000;

export function App({ controller, input, saveRule }: AppProps) {
  const store = controller.store;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const style = controller.style;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // Dialog and picker selection live in a ref, not React state: keys that arrive in one burst
  // ("4", a message, Enter) must each see the previous key's effect before the next render.
  const ui = useRef<UiState>({
    dialog: undefined,
    dialogIndex: 0,
    denyMessage: undefined,
    picker: undefined,
    pickerIndex: 0,
  }).current;
  syncUi(ui, state);
  const lastCtrlC = useRef(0);
  const lastCtrlD = useRef(0);
  const lastEsc = useRef(0);
  const hintTimer = useRef<NodeJS.Timeout | undefined>(undefined);

  useEffect(() => {
    if (state.restore) {
      // Anything typed while the turn ran stays, after the prompt that comes back.
      const typed = input.text;
      input.setText(typed.trim() ? `${state.restore.text}\n${typed}` : state.restore.text);
      redraw();
    }
  }, [state.restore, input]);

  // Widths are read while rendering (completion menu, footer): a resize renders again at the new width.
  const { stdout } = useStdout();
  useEffect(() => {
    const onResize = () => {
      transcript.current?.resize(transcriptRows(stdout));
      redraw();
    };
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);

  // While the transcript is up, new scrollback waits: printed then, it would land on the alternate screen.
  const transcript = useRef<TranscriptPager | undefined>(undefined);
  const held = useRef(0);
  /** Ctrl+O's transcript, or a pager a command asked for (store.pager: /diff). */
  const openTranscript = (pager?: TranscriptPager) => {
    eraseFrame(stdout);
    stdout.write(ENTER_ALT_SCREEN);
    held.current = store.getSnapshot().staticItems.length;
    transcript.current =
      pager ??
      conversationPager(
        () => controller.runtime,
        style,
        () => controller.width(),
        transcriptRows(stdout),
      );
    redraw();
  };
  /** Back to the conversation's screen; Ink draws the prompt again where it was. */
  const leaveTranscript = () => {
    const closing = transcript.current;
    if (!closing) return;
    eraseFrame(stdout);
    stdout.write(LEAVE_ALT_SCREEN);
    transcript.current = undefined;
    closing.onClose?.();
  };
  useEffect(() => {
    if (state.pager && transcript.current !== state.pager) {
      state.pager.relayout([], transcriptRows(stdout));
      openTranscript(state.pager);
    }
  });
  // A dialog, a picker or the end of the REPL needs the conversation's screen.
  if (transcript.current && (state.dialog || state.picker || state.closed)) leaveTranscript();
  const staticItems = transcript.current ? state.staticItems.slice(0, held.current) : state.staticItems;
  transcript.current?.refresh(); // a turn running on adds to the transcript

  useEffect(() => {
    store.markPrinted(state.staticEpoch, staticItems.length);
  }, [store, state.staticEpoch, staticItems.length]);

  const showHint = (hint: string | undefined) => {
    if (hintTimer.current) clearTimeout(hintTimer.current);
    store.update({ hint }, true);
    if (hint) hintTimer.current = setTimeout(() => store.update({ hint: undefined }, true), EXIT_WINDOW_MS);
  };

  const answerDialog = (choice: (typeof DIALOG_CHOICES)[number], message?: string) => {
    const dialog = store.getSnapshot().dialog;
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
    const state = store.getSnapshot();
    syncUi(ui, state);
    if (transcript.current) {
      if (transcript.current.handle(event) === "close") leaveTranscript();
      redraw();
      return;
    }
    if (input.search && !state.dialog && !state.picker) {
      // Ctrl+R's search takes every key (Esc and Ctrl+C close it) until it is accepted or cancelled.
      const action = input.handle(event.type === "paste" ? { type: "text", text: event.text } : event);
      if (action.type === "submit") controller.submit(action.text);
      redraw();
      return;
    }
    // Ctrl+C: interrupt a turn, else clear the prompt, else exit; a second press within 2 s always exits.
    if (event.type === "ctrl" && event.letter === "c") {
      if (state.picker) {
        state.picker.choose(undefined);
        return;
      }
      const now = Date.now();
      if (now - lastCtrlC.current < EXIT_WINDOW_MS) {
        void controller.exit(0);
        return;
      }
      lastCtrlC.current = now;
      if (controller.interrupt()) {
        showHint("Interrupted · press Ctrl+C again to exit");
        return;
      }
      if (input.text !== "") {
        // Clearing a draft is not the first half of "exit": the next press asks before leaving.
        lastCtrlC.current = 0;
        input.clear();
        redraw();
        return;
      }
      showHint("Press Ctrl+C again to exit");
      return;
    }

    if (state.dialog) {
      onDialogKey(event);
      redraw();
      return;
    }
    if (state.picker) {
      const picker = state.picker;
      if (event.type === "key" && event.name === "up")
        ui.pickerIndex = (ui.pickerIndex - 1 + picker.options.length) % picker.options.length;
      else if (event.type === "key" && event.name === "down")
        ui.pickerIndex = (ui.pickerIndex + 1) % picker.options.length;
      else if (event.type === "key" && event.name === "enter")
        picker.choose(picker.options[ui.pickerIndex]?.value);
      else if (event.type === "key" && event.name === "escape") picker.choose(undefined);
      redraw();
      return;
    }

    if (event.type === "key" && event.name === "escape") {
      if (input.completion) {
        input.completion = undefined;
        redraw();
        return;
      }
      if (controller.interrupt() || controller.busy || input.text !== "") return;
      // Esc twice on an empty prompt opens /rewind.
      const now = Date.now();
      if (now - lastEsc.current < DOUBLE_ESC_MS) {
        lastEsc.current = 0;
        controller.submit("/rewind");
      } else {
        lastEsc.current = now;
        showHint("Press Esc again to rewind");
      }
      return;
    }
    if (event.type === "ctrl" && event.letter === "d" && input.text === "") {
      // Twice, like Ctrl+C: one stray press on an empty prompt does not end the session.
      const now = Date.now();
      if (now - lastCtrlD.current < EXIT_WINDOW_MS && !controller.busy) {
        void controller.exit(0);
        return;
      }
      lastCtrlD.current = now;
      showHint("Press Ctrl+D again to exit");
      return;
    }
    if (event.type === "key" && event.name === "shift-tab") {
      const mode = controller.cycleMode();
      showHint(`${mode}: ${modeMeaning(mode)} · shift+tab to change`);
      return;
    }
    if (event.type === "ctrl" && event.letter === "o") {
      // The last collapsed tool output opens where it is, while it is on screen; else (and next) the transcript.
      const target = controller.expandable;
      if (target && !controller.busy && expandInPlace(stdout, store, target)) {
        controller.expandable = undefined;
        showHint("Expanded · ctrl+o again: transcript");
        return;
      }
      openTranscript();
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
    // Typing that was meant for the prompt ("yes, and…", Enter) must not approve a dialog that just opened.
    // Esc always works: denying is safe.
    const openedAt = store.getSnapshot().dialog?.openedAt ?? 0;
    const isEscape = event.type === "key" && event.name === "escape";
    if (!isEscape && Date.now() - openedAt < dialogGuardMs()) return;
    const denyMessage = ui.denyMessage;
    if (denyMessage !== undefined) {
      if (event.type === "key" && event.name === "enter")
        answerDialog("deny", denyMessage.trim() || undefined);
      else if (event.type === "key" && event.name === "escape") answerDialog("deny");
      else if (event.type === "key" && event.name === "backspace")
        ui.denyMessage = ed.backspace(ed.fromText(denyMessage)).text;
      else if (event.type === "text" || event.type === "paste")
        ui.denyMessage = denyMessage + event.text.replace(/\s+/g, " ");
      return;
    }
    if (event.type === "key" && event.name === "escape") answerDialog("deny");
    else if (event.type === "key" && event.name === "up")
      ui.dialogIndex = (ui.dialogIndex + DIALOG_CHOICES.length - 1) % DIALOG_CHOICES.length;
    else if (event.type === "key" && (event.name === "down" || event.name === "tab"))
      ui.dialogIndex = (ui.dialogIndex + 1) % DIALOG_CHOICES.length;
    else if (event.type === "key" && event.name === "enter") choose(ui.dialogIndex);
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
      ui.dialogIndex = 3;
      ui.denyMessage = "";
      return;
    }
    answerDialog(choice);
  };

  useRawKeys(onKey);

  const scrollback = (
    <Static key={state.staticEpoch} items={staticItems}>
      {(item) => (
        <Box key={item.id} marginTop={item.continues ? 0 : 1}>
          <Text>{item.text}</Text>
        </Box>
      )}
    </Static>
  );
  if (state.closed) return <Box flexDirection="column">{scrollback}</Box>;
  if (transcript.current)
    return (
      <Box flexDirection="column">
        {scrollback}
        <TranscriptView pager={transcript.current} style={style} />
      </Box>
    );

  return (
    <Box flexDirection="column">
      {scrollback}
      {state.live ? (
        <Box marginTop={state.liveContinues ? 0 : 1}>
          <Text>{state.live}</Text>
        </Box>
      ) : null}
      {state.tools.map((tool) => (
        <Box key={tool.id} flexDirection="column" marginTop={1}>
          <Text>{tool.line}</Text>
          {tool.update ? <Text wrap="truncate-end">{style.dim(`  ⎿ ${tool.update}`)}</Text> : null}
        </Box>
      ))}
      {state.busy && !state.dialog ? <Spinner busy={state.busy} retry={state.retry} style={style} /> : null}
      {state.queued.map((text, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: queued prompts may repeat
        <Text key={i}>{style.dim(`queued: ${text.split("\n")[0]}`)}</Text>
      ))}
      {state.dialog ? (
        <PermissionDialogView
          question={state.dialog.question}
          preview={state.dialog.preview}
          index={ui.dialogIndex}
          denyMessage={ui.denyMessage}
          style={style}
        />
      ) : state.picker ? (
        <PickerView picker={state.picker} index={ui.pickerIndex} style={style} />
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <PromptView
            editor={input.editor}
            style={style}
            placeholder={state.ready ? undefined : "starting…"}
            search={input.search?.state}
          />
          {input.completion ? (
            <CompletionMenu completion={input.completion} style={style} width={controller.width()} />
          ) : null}
        </Box>
      )}
      <Footer info={state.footer} hint={state.hint} style={style} width={controller.width()} />
    </Box>
  );
}

interface UiState {
  dialog: unknown;
  dialogIndex: number;
  denyMessage: string | undefined;
  picker: unknown;
  pickerIndex: number;
}

/** A new dialog or picker starts on its first choice. */
function syncUi(ui: UiState, state: ReplState): void {
  if (ui.dialog !== state.dialog) {
    ui.dialog = state.dialog;
    ui.dialogIndex = 0;
    ui.denyMessage = undefined;
  }
  if (ui.picker !== state.picker) {
    ui.picker = state.picker;
    ui.pickerIndex = 0;
  }
}

/** How long a new permission dialog ignores keys (CLAW_DIALOG_GUARD_MS; tests set 0). */
function dialogGuardMs(): number {
  const value = Number(process.env.CLAW_DIALOG_GUARD_MS);
  return Number.isFinite(value) && value >= 0 ? value : 400;
}
