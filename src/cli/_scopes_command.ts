/**
 * `--for`: the scope advisor on the command line. `scopes --for NEEDS`
 * prints the minimal scopes and the `-s` to use, `token`/`device --for`
 * ask for them, `validate --for` shows which needs a token covers.
 *
 * @module
 */

import {
  type NeedAdvice,
  scopeCoverage,
  scopesFor,
} from "../web/scope_advisor.ts";
import { scopeTasks } from "../web/scope_requirements.ts";
import type { TokenValidation } from "../web/validate_token.ts";
import { EXIT_FAILED, EXIT_OK } from "./_exit_codes.ts";
import { PROGRAM } from "./_help.ts";
import type { CliOptions } from "./_options.ts";
import { formatValidation } from "./_output.ts";
import { type CliContext, emit } from "./_run.ts";

/** `--for tasks`: list the tasks instead of advising. */
const LIST_TASKS = "tasks";

/**
 * The options with `--for`'s minimal scopes added to `-s`'s, for token and
 * device.
 *
 * @param options The parsed options.
 * @returns The same options, `scopes` extended.
 */
export async function withNeededScopes(
  options: CliOptions,
): Promise<CliOptions> {
  const advice = await scopesFor(options.forNeeds);
  return {
    ...options,
    scopes: [...new Set([...options.scopes, ...advice.scopes])],
  };
}

/**
 * `scopes --for NEEDS`: the minimal scopes, why each is there, the token
 * each need takes, and the `-s` to pass.
 *
 * @param cli The command at work.
 * @returns The exit code.
 */
export async function runScopesFor(cli: CliContext): Promise<number> {
  const { options } = cli;
  if (options.forNeeds.length === 1 && options.forNeeds[0] === LIST_TASKS) {
    await emit(cli, await formatTasks(options.format));
    return EXIT_OK;
  }
  const advice = await scopesFor(options.forNeeds);
  const flag = `-s "${advice.scopes.join(" ")}"`;
  if (options.format === "json") {
    await emit(
      cli,
      `${
        JSON.stringify(
          {
            scopes: advice.scopes,
            flag,
            needs: advice.needs.map((need) => ({
              need: need.need,
              ...(need.task ? { task: need.task } : {}),
              token: need.token,
              scopes: need.scopes,
              sources: need.requirements.map((entry) => entry.source),
            })),
          },
          null,
          2,
        )
      }\n`,
    );
    return EXIT_OK;
  }
  const lines = [
    advice.scopes.length > 0
      ? `Scopes: ${advice.scopes.join(" ")}`
      : "Scopes: none (a user token with no scope does)",
    "",
    ...advice.needs.flatMap(describeNeed),
    `Use: ${PROGRAM} ${flag}   (or: ${PROGRAM} ${
      options.forNeeds.map((need) => `--for "${need}"`).join(" ")
    })`,
  ];
  await emit(cli, `${lines.join("\n")}\n`);
  return EXIT_OK;
}

function describeNeed(need: NeedAdvice): string[] {
  const ids = need.requirements.map((entry) => entry.id).join(", ");
  const head = `${need.need} (${need.token} token; ${ids})`;
  const notes = need.requirements.flatMap((entry) =>
    entry.note ? [`    note: ${entry.name}: ${entry.note}`] : []
  );
  return [
    head,
    ...(need.scopes.length === 0
      ? ["    no scope"]
      : need.scopes.map((reason) => `    ${reason.scope}: ${reason.why}`)),
    ...notes,
    "",
  ];
}

async function formatTasks(format: CliOptions["format"]): Promise<string> {
  const tasks = await scopeTasks();
  const rows = await Promise.all(tasks.map(async (task) => ({
    task: task.name,
    description: task.description,
    scopes: (await scopesFor(task.name)).scopes,
  })));
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  return rows.map((row) =>
    `${row.task}: ${
      row.scopes.join(" ") || "(no scope)"
    }\n    ${row.description}\n`
  ).join("");
}

/**
 * `validate TOKEN --for NEEDS`: the validation, then which needs the
 * token's scopes cover and which scopes each lacks.
 *
 * @param cli The command at work.
 * @param validation What Twitch answered for the token.
 * @returns `EXIT_OK` when every need is covered, `EXIT_FAILED` otherwise.
 */
export async function runValidateFor(
  cli: CliContext,
  validation: TokenValidation,
): Promise<number> {
  const { options } = cli;
  const coverage = await scopeCoverage(validation.scopes, options.forNeeds);
  const missing = [...new Set(coverage.flatMap((need) => need.missing))];
  if (options.format === "json") {
    await emit(
      cli,
      `${
        JSON.stringify({ ...validation, needs: coverage, missing }, null, 2)
      }\n`,
    );
  } else {
    const lines = coverage.map((need) =>
      need.covered
        ? `  covered  ${need.need}`
        : `  MISSING  ${need.need}: add ${need.missing.join(" ")}`
    );
    await emit(
      cli,
      `${formatValidation(validation, "text")}\nNeeds:\n${lines.join("\n")}\n${
        missing.length > 0
          ? `Sign in again with -s "${
            [...new Set([...validation.scopes, ...missing])].join(" ")
          }" to cover them all.\n`
          : ""
      }`,
    );
  }
  if (missing.length === 0) return EXIT_OK;
  cli.io.writeErr(
    `${PROGRAM}: the token lacks ${missing.join(", ")} for ${
      coverage.filter((need) => !need.covered).map((need) => need.need).join(
        ", ",
      )
    }\n`,
  );
  return EXIT_FAILED;
}
