"use client";
// The PromQL editor: CodeMirror with Prometheus' own PromQL language support (highlighting, syntax and type errors
// marked inline, completion of metric names, labels and values through apiscope's allow-listed endpoints). Loaded
// only by the alerts pages.
import { useEffect, useRef } from "react";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { Annotation, EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import { PromQLExtension, type PrometheusClient } from "@prometheus-io/codemirror-promql";

/** Mid-tone colours that keep their contrast on the light and the dark theme alike. */
const HIGHLIGHT = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: "#3b82f6" },
  { tag: [tags.function(tags.variableName), tags.function(tags.name)], color: "#0ea5e9" },
  { tag: [tags.string, tags.special(tags.string)], color: "#10b981" },
  { tag: [tags.number, tags.unit], color: "#d97706" },
  { tag: [tags.labelName, tags.attributeName], color: "#a855f7" },
  { tag: tags.comment, color: "#94a3b8", fontStyle: "italic" },
  { tag: tags.invalid, color: "#ef4444" },
]);

/** Marks a change that came from `value`, which must not be reported back as an edit. */
const fromProps = Annotation.define<boolean>();

const THEME = EditorView.theme({
  "&": { fontSize: "12px", backgroundColor: "transparent" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", minHeight: "3.5rem" },
  "&.cm-focused": { outline: "none" },
  ".cm-tooltip-autocomplete": { fontSize: "12px" },
});

export function PromqlEditor({ value, onChange, completion, label, testId }: {
  value: string;
  onChange: (next: string) => void;
  completion: PrometheusClient;
  label: string;
  testId: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const promql = new PromQLExtension().setComplete({ remote: completion, maxMetricsMetadata: 1000 });
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          syntaxHighlighting(HIGHLIGHT),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
          placeholder("PromQL expression, e.g. sum(rate(apiserver_request_total[5m])) > 100"),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": label }),
          THEME,
          promql.asExtension(),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((tr) => tr.annotation(fromProps))) latest.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once per completion source; its text follows `value` below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [completion, label]);

  // A change from outside (a parameter rebuilt the expression) replaces the text. Not while the editor has the
  // focus: then `value` is an echo of the user's own typing through the URL, possibly a keystroke behind.
  useEffect(() => {
    const editor = view.current;
    if (editor && !editor.hasFocus && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value }, annotations: fromProps.of(true) });
    }
  }, [value]);

  return <div ref={host} data-testid={testId} className="rounded border border-slate-300 px-1 py-0.5 dark:border-slate-700" />;
}
