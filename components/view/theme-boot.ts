// Shared by the server layout (which inlines the script) and the client hook (which writes the choice).
export const THEME_STORAGE_KEY = "apiscope-theme";

/** Runs before first paint (inlined in <head>) so a light-theme user never sees a dark flash. */
export const THEME_BOOT_SCRIPT = `try{if(localStorage.getItem("${THEME_STORAGE_KEY}")==="light")document.documentElement.classList.remove("dark")}catch(e){}`;
