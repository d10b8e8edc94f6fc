// How to start this claw again as a child (`/login` runs `claw login`): `node <script>` for the npm package, or
// the executable alone for the native build, whose script lives inside the binary (Bun's /$bunfs/, B:\~BUN\).

/** argv of this claw without its arguments, or undefined when there is no script to run (claw was imported). */
export function selfCommand(): string[] | undefined {
  const script = process.argv[1];
  if (!script) return undefined;
  if (/^(\/\$bunfs\/|[A-Za-z]:[\\/]~BUN[\\/])/.test(script)) return [process.execPath];
  return [process.execPath, script];
}
