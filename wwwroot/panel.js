// A panel opened from the map sits below the filters: bring its title to the top of the sidebar and focus it
// (a screen reader then says what opened) without a second scroll.
export function reveal(heading) {
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}
