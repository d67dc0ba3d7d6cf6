export { DebouncedButton, ButtonEvent, type DebouncedButtonOptions } from "./button.js";
