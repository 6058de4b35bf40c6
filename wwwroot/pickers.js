// The calendar button beside a typed date opens the browser's own picker. A delegated handler here, not an inline
// onclick, so the dashboard's content policy can refuse every inline script.
document.addEventListener('click', e => {
    const button = e.target instanceof Element ? e.target.closest('.hs-date-button') : null;
    const picker = button?.previousElementSibling;
    if (picker && typeof picker.showPicker === 'function') {
        picker.showPicker();
    }
});
