using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Hotspots.Components.Shared;

/// <summary>
/// A panel opened from the map sits below the filters: its title is brought to the top of the sidebar and focused,
/// so it is in sight and a screen reader says what opened (wwwroot/panel.js).
/// </summary>
internal static class PanelTitle
{
    public static async Task RevealAsync(this IJSRuntime js, ElementReference title)
    {
        await using var panel = await js.InvokeAsync<IJSObjectReference>("import", "/panel.js");
        await panel.InvokeVoidAsync("reveal", title);
    }
}
