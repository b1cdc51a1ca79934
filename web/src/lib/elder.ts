// 长辈版 (elder mode): larger type, higher contrast, simpler navigation; remembered per
// browser. It sets `elder` on <html>; src/lib/theme.css holds what that changes.
import { defineStore } from "pinia";
import { ref, watch } from "vue";

const STORAGE_KEY = "onewindow.elder";

export const useElderMode = defineStore("elder", () => {
  const on = ref(window.localStorage.getItem(STORAGE_KEY) === "1");
  const apply = (value: boolean) => {
    document.documentElement.classList.toggle("elder", value);
    window.localStorage.setItem(STORAGE_KEY, value ? "1" : "0");
  };
  apply(on.value);
  watch(on, apply);
  return { on, toggle: () => { on.value = !on.value; } };
});
