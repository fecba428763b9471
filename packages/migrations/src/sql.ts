/**
 * The checks the Migrations preview makes on a migration's SQL: what goose would send to the
 * server as SQL but psql would not (meta-commands), and what would break the one transaction a
 * migration runs in. scripts/apply-migrations.sh splits statements the same way and refuses the
 * same transaction control and COPY FROM STDIN when it runs.
 */

/** One statement of a migration's Up section, split as psql splits a script. */
export interface SqlStatement {
  /** The file's line (1-based) its first token is on. */
  line: number;
  text: string;
  /** Its first four words (keywords or identifiers), lower-case. */
  words: string[];
  /** A COPY with the word STDIN (outside strings and comments). */
  copyFromStdin: boolean;
}

/** A backslash outside strings, quoted identifiers and comments: to psql, a meta-command. */
export interface Backslash {
  line: number;
  /** The rest of the line from the backslash, e.g. "\\! id". */
  text: string;
}

const UP = /^[ \t]*--[ \t]*\+goose[ \t]+Up([ \t]|$)/;
const DOWN = /^[ \t]*--[ \t]*\+goose[ \t]+Down([ \t]|$)/;
const ANNOTATION = /^[ \t]*--[ \t]*\+goose[ \t]/;
// Anywhere in the file, line by line (as grep finds them): [^\S\n] is a space that is not a newline.
const HAS_UP = /^[^\S\n]*--[^\S\n]*\+goose[^\S\n]+Up([^\S\n]|$)/m;
const NO_TRANSACTION = /^[^\S\n]*--[^\S\n]*\+goose[^\S\n]+NO[^\S\n]+TRANSACTION/m;

/**
 * The lines that run (the `-- +goose Up` section, or the whole file without one; annotations and
 * everything else become empty lines, so line numbers stay the file's), and whether the file is
 * `-- +goose NO TRANSACTION`. As the apply script selects them.
 */
export function upSection(content: string): { lines: string[]; noTransaction: boolean } {
  let up = !HAS_UP.test(content);
  const lines = content.split("\n").map((raw) => {
    const line = raw.replace(/\r$/, "");
    if (UP.test(line)) {
      up = true;
      return "";
    }
    if (DOWN.test(line)) {
      up = false;
      return "";
    }
    return ANNOTATION.test(line) || !up ? "" : line;
  });
  return { lines, noTransaction: NO_TRANSACTION.test(content) };
}

const identStart = (c: string) => /[A-Za-z_\u0080-\uffff]/.test(c);
const identCont = (c: string) => /[A-Za-z_0-9$\u0080-\uffff]/.test(c);
const dollarTagCont = (c: string) => /[A-Za-z_0-9\u0080-\uffff]/.test(c);

/**
 * Splits SQL into statements as psql's lexer does: at semicolons outside strings ('…', E'…'),
 * quoted identifiers, dollar quotes, comments (nested /* *\/ and --), parentheses, and the
 * BEGIN … END body of CREATE [OR REPLACE] FUNCTION|PROCEDURE. Also lists backslashes outside
 * all of these: psql would run them as meta-commands.
 */
export function splitStatements(lines: readonly string[]): { statements: SqlStatement[]; backslashes: Backslash[] } {
  const statements: SqlStatement[] = [];
  const backslashes: Backslash[] = [];
  let mode: "" | "quote" | "escape" | "identifier" | "dollar" | "comment" = "";
  let tag = "";
  let depth = 0;
  let current: SqlStatement | undefined;
  // Inside the current statement: open parentheses, and BEGIN … END depth in a routine's body.
  let paren = 0;
  let begin = 0;

  const word = (raw: string) => {
    const statement = current!;
    const w = raw.toLowerCase();
    if (statement.words.length < 4) statement.words.push(w);
    const [w1, w2, w3, w4] = statement.words;
    if (w1 === "copy" && w === "stdin") statement.copyFromStdin = true;
    const createsRoutine =
      w1 === "create" &&
      (w2 === "function" || w2 === "procedure" || (w2 === "or" && w3 === "replace" && (w4 === "function" || w4 === "procedure")));
    if (createsRoutine && paren === 0) {
      if (w === "begin") begin++;
      else if (w === "case" && begin >= 1) begin++;
      else if (w === "end" && begin > 0) begin--;
    }
  };

  lines.forEach((s, index) => {
    const lineNumber = index + 1;
    let segment = current === undefined ? -1 : 0;
    const start = (i: number) => {
      if (current === undefined) {
        current = { line: lineNumber, text: "", words: [], copyFromStdin: false };
        paren = 0;
        begin = 0;
        segment = i;
      }
    };
    let i = 0;
    scan: while (i < s.length) {
      const c = s[i]!;
      switch (mode) {
        case "quote":
          if (c === "'") {
            if (s[i + 1] === "'") i++;
            else mode = "";
          }
          i++;
          continue;
        case "escape":
          if (c === "\\") i++;
          else if (c === "'") {
            if (s[i + 1] === "'") i++;
            else mode = "";
          }
          i++;
          continue;
        case "identifier":
          if (c === '"') {
            if (s[i + 1] === '"') i++;
            else mode = "";
          }
          i++;
          continue;
        case "dollar": {
          const end = s.indexOf(tag, i);
          if (end < 0) break scan;
          i = end + tag.length;
          mode = "";
          continue;
        }
        case "comment": {
          const two = s.slice(i, i + 2);
          if (two === "*/") {
            i += 2;
            if (--depth === 0) mode = "";
          } else if (two === "/*") {
            i += 2;
            depth++;
          } else i++;
          continue;
        }
        case "":
          break;
      }
      if (/[ \t\r\f\v]/.test(c)) {
        i++;
        continue;
      }
      const two = s.slice(i, i + 2);
      if (two === "--") break;
      if (two === "/*") {
        mode = "comment";
        depth = 1;
        i += 2;
        continue;
      }
      if (c === ";" && current === undefined) {
        i++;
        continue;
      }
      start(i);
      const statement = current!;
      if (c === "'") {
        mode = "quote";
        i++;
      } else if (c === '"') {
        mode = "identifier";
        i++;
      } else if (c === "$") {
        let j = i + 1;
        if (identStart(s[j] ?? "")) {
          j++;
          while (j < s.length && dollarTagCont(s[j]!)) j++;
        }
        if (s[j] === "$") {
          tag = s.slice(i, j + 1);
          mode = "dollar";
          i = j + 1;
        } else i++;
      } else if (identStart(c)) {
        if ((c === "e" || c === "E") && s[i + 1] === "'") {
          mode = "escape";
          i += 2;
          continue;
        }
        let j = i + 1;
        while (j < s.length && identCont(s[j]!)) j++;
        word(s.slice(i, j));
        i = j;
      } else if (c === ";" && paren === 0 && begin === 0) {
        statements.push({ ...statement, text: statement.text + s.slice(segment, i + 1) });
        current = undefined;
        segment = -1;
        i++;
      } else {
        if (c === "(") paren++;
        else if (c === ")" && paren > 0) paren--;
        else if (c === "\\") backslashes.push({ line: lineNumber, text: s.slice(i).trim() });
        i++;
      }
    }
    if (current !== undefined) current.text += s.slice(segment) + "\n";
  });
  if (current !== undefined) statements.push(current);
  return { statements, backslashes };
}

/** The transaction-control statement `words` start, e.g. "COMMIT"; undefined for others (ROLLBACK TO a savepoint included). */
export function transactionControl(words: readonly string[]): string | undefined {
  const [w1, w2, w3] = words;
  if (w1 === "begin" || w1 === "commit" || w1 === "end" || w1 === "abort") return w1.toUpperCase();
  if ((w1 === "start" || w1 === "prepare") && w2 === "transaction") return `${w1.toUpperCase()} TRANSACTION`;
  if (w1 === "rollback" && w2 !== "to" && !((w2 === "work" || w2 === "transaction") && w3 === "to")) return "ROLLBACK";
  return undefined;
}

/**
 * What in a migration's Up section goose and this Job would not run as written ([] when
 * nothing): psql meta-commands, COPY … FROM STDIN. Each names its line. (A file with its own
 * BEGIN/COMMIT/ROLLBACK… is fine: the apply script runs it without a wrapping transaction.)
 */
export function migrationSqlProblems(content: string): string[] {
  const { lines } = upSection(content);
  const { statements, backslashes } = splitStatements(lines);
  const problems: string[] = [];
  for (const backslash of backslashes) {
    const shown = backslash.text.length > 40 ? `${backslash.text.slice(0, 40)}…` : backslash.text;
    problems.push(
      `line ${backslash.line}: ${JSON.stringify(shown)} is a psql meta-command (a backslash outside a string or comment): ` +
        "goose sends SQL to the server, which runs no meta-commands, and neither does this Job (\\! would run a shell in it); remove it",
    );
  }
  for (const statement of statements) {
    if (statement.copyFromStdin) {
      problems.push(
        `line ${statement.line}: COPY ... FROM STDIN reads its rows from the client, which neither goose nor this Job sends: use INSERT`,
      );
    }
  }
  return problems.sort((a, b) => Number(/^line (\d+)/.exec(a)![1]) - Number(/^line (\d+)/.exec(b)![1]));
}
