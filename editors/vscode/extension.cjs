// The Guard extension: the grammar and language configuration are declared in package.json; this file adds
// document formatting with `guard fmt` (Format Document, and format on save when enabled).
"use strict";
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- VS Code loads extensions as CommonJS */
const vscode = require("vscode");
const { formatWithGuard } = require("./format.cjs");

/** @param {import("vscode").ExtensionContext} context */
function activate(context) {
  const output = vscode.window.createOutputChannel("Guard");
  const provider = {
    async provideDocumentFormattingEdits(document) {
      const config = vscode.workspace.getConfiguration("guard", document.uri);
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      const text = document.getText();
      const result = await formatWithGuard(text, {
        command: config.get("path", "guard"),
        fileName: document.fileName,
        cwd: folder ? folder.uri.fsPath : undefined,
        timeoutMs: config.get("formatTimeoutMs", 10000),
      });
      if (!result.ok) {
        output.appendLine(result.message);
        vscode.window.setStatusBarMessage("guard fmt: not formatted (see the Guard output)", 5000);
        return [];
      }
      if (result.formatted === text) return [];
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(text.length));
      return [vscode.TextEdit.replace(whole, result.formatted)];
    },
  };
  context.subscriptions.push(
    output,
    vscode.languages.registerDocumentFormattingEditProvider([{ language: "guard" }, { language: "rego" }], provider),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
