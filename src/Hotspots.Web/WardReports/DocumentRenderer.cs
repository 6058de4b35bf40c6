using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Hotspots.WardReports;

/// <summary>Renders a printable document component to an HTML string (Blazor's HtmlRenderer), for the page and for the PDF alike.</summary>
public sealed class DocumentRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    /// <summary>Documents carry their own style and no script; nothing else may load.</summary>
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The policy of a printed page whose map shows a raster base map's tiles from <paramref name="imageOrigin"/>.</summary>
    public static string PolicyWith(string? imageOrigin) =>
        imageOrigin is null ? Policy : Policy.Replace("img-src data:", $"img-src data: {imageOrigin}", StringComparison.Ordinal);

    public async Task<string> RenderAsync<T>(IDictionary<string, object?> parameters) where T : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
