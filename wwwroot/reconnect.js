// Starts Blazor (App.razor loads it with autostart="false") so that a page whose server went away — a node taken out
// of the balancer, restarted, upgraded — loads again by itself as soon as reconnecting fails or the server no longer
// knows its circuit. Every view of the dashboard is in its address, so the reload brings it back, on whichever node
// the balancer sends it to now. A few quick retries first ride out a blip of the network.
(() => {
  const banner = document.getElementById('components-reconnect-modal');
  if (banner) {
    // Blazor marks the element with a class per state (components-reconnect-show, -retrying, -failed, -rejected…).
    const reloadOn = ['components-reconnect-failed', 'components-reconnect-rejected', 'components-reconnect-resume-failed'];
    new MutationObserver(() => {
      if (reloadOn.some(c => banner.classList.contains(c))) {
        location.reload();
      }
    }).observe(banner, { attributes: true, attributeFilter: ['class'] });
  }
  Blazor.start({ circuit: { reconnectionOptions: { maxRetries: 8, retryIntervalMilliseconds: 1000 } } });
})();
