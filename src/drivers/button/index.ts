export { DebouncedButton, ButtonEvent, ButtonSample, type DebouncedButtonOptions } from "./button.js";
