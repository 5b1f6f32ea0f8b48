"use client";
// A text field of the draft. The draft lives in the URL, which updates a moment after each keystroke: a field bound
// to it directly would show an older value mid-typing and drop keystrokes. While it has the focus the field shows
// what was typed; otherwise what the draft holds.
import { useState, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";

type Common = { value: string; onValue: (next: string) => void };

function useTyped(value: string, onValue: (next: string) => void) {
  const [typed, setTyped] = useState<string | null>(null);
  return {
    value: typed ?? value,
    onFocus: () => setTyped(value),
    onBlur: () => setTyped(null),
    onChange: (e: { target: { value: string } }) => {
      setTyped(e.target.value);
      onValue(e.target.value);
    },
  };
}

export function DraftInput({ value, onValue, ...rest }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onFocus" | "onBlur">) {
  return <input {...rest} {...useTyped(value, onValue)} />;
}

export function DraftTextarea({ value, onValue, ...rest }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange" | "onFocus" | "onBlur">) {
  return <textarea {...rest} {...useTyped(value, onValue)} />;
}
