namespace Hotspots.Http;

/// <summary>The language an API answer's messages are written in: English when the caller asks (Accept-Language or ?lang=en), else Vietnamese.</summary>
public static class RequestLanguage
{
    public static bool IsEnglish(HttpContext http) =>
        http.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) || http.Request.Query["lang"] == "en";
}
