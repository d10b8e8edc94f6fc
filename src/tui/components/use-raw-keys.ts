// Subscribes to Ink's raw input events and turns them into our key events; collects bracketed pastes
// (and unbracketed multi-line chunks) into one paste event so newlines inside a paste never submit.
import { useStdin } from "ink";
import { useEffect, useRef } from "react";
import { type KeyEvent, parseInput } from "../input/keys.js";

export type RawKeyEvent = KeyEvent | { type: "paste"; text: string };

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

export function useRawKeys(handler: (event: RawKeyEvent) => void): void {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;

  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    let pasting: string | undefined;
    const onInput = (raw: string) => {
      const emit = (event: RawKeyEvent) => handlerRef.current(event);
      if (pasting !== undefined) {
        const end = raw.indexOf(PASTE_END);
        if (end === -1) {
          pasting += raw;
          return;
        }
        const text = pasting + raw.slice(0, end);
        pasting = undefined;
        emit({ type: "paste", text });
        return;
      }
      if (raw.startsWith(PASTE_START)) {
        pasting = raw.slice(PASTE_START.length);
        return;
      }
      // A terminal without bracketed paste delivers a pasted block as one chunk with newlines inside.
      // Short chunks are keys typed (or sent by tmux) in quick succession, so only a long run of plain text counts.
      if (raw.length >= 32 && /[\r\n][^\r\n]/.test(raw) && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(raw)) {
        emit({ type: "paste", text: raw.replace(/[\r\n]+$/, "") });
        return;
      }
      for (const event of parseInput(raw)) emit(event);
    };
    emitter.on("input", onInput);
    return () => {
      emitter.off("input", onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
}
