// One question with a list of answers in the REPL's picker (↑/↓, Enter; Esc cancels): resolves with the chosen
// value, or undefined when cancelled.
import type { ReplController } from "./controller.js";

export interface PickOption {
  label: string;
  value: string;
}

export function pick(c: ReplController, title: string, options: PickOption[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    c.store.update(
      {
        picker: {
          title,
          options,
          choose: (value) => {
            c.store.update({ picker: undefined }, true);
            resolve(value);
          },
        },
      },
      true,
    );
  });
}
