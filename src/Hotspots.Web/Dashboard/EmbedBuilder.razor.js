// Copies the embed snippet; falls back to selecting it where the clipboard API is not allowed (plain http).
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.getElementById('embed-snippet');
    if (area) { area.focus(); area.select(); }
  }
}
