// Values injected by scripts/build.mjs at bundle time.
declare const __CLAW_VERSION__: string;
declare const __CLAW_COMMIT__: string;
