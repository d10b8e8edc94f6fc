// HTML → markdown for WebFetch, with turndown loaded lazily (it brings a DOM implementation with it).
import type TurndownService from "turndown";

let service: Promise<TurndownService> | undefined;

async function turndown(): Promise<TurndownService> {
  service ??= (async () => {
    const { default: Turndown } = await import("turndown");
    const instance = new Turndown({
      headingStyle: "atx",
      codeBlockStyle: "fenced",
      bulletListMarker: "-",
      emDelimiter: "*",
    });
    // Page furniture that carries no readable content.
    instance.remove(["head", "script", "style", "noscript", "template", "iframe", "canvas", "form"]);
    instance.remove((node) => ["svg", "title"].includes(node.nodeName.toLowerCase()));
    // turndown pads list markers to four columns ("-   item"); one space reads the same and costs fewer tokens.
    instance.addRule("compactListItem", {
      filter: "li",
      replacement(content, node, options) {
        const body = content.replace(/^\n+/, "").replace(/\n+$/, "\n").replace(/\n/gm, "\n   ");
        const parent = node.parentNode as HTMLElement | null;
        let prefix = `${options.bulletListMarker ?? "-"} `;
        if (parent?.nodeName === "OL") {
          const start = Number(parent.getAttribute("start") ?? "1") || 1;
          prefix = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
        }
        return prefix + body + (node.nextSibling && !body.endsWith("\n") ? "\n" : "");
      },
    });
    return instance;
  })();
  return service;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The page's <title>, decoded, or undefined. */
function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = match?.[1]
    ?.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, " ")
    .trim();
  return title || undefined;
}

/** Converts an HTML document to markdown; the title (if any) becomes a first-level heading. */
export async function htmlToMarkdown(html: string): Promise<string> {
  const converter = await turndown();
  const body = converter
    .turndown(html)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const title = htmlTitle(html);
  return title && !body.startsWith(`# ${title}`) ? `# ${title}\n\n${body}` : body;
}
