using System.Text.Json;

namespace Hotspots.Ogc;

/// <summary>The API definition the landing page links to (service-desc): OpenAPI 3.0, the paths and parameters /ogc answers.</summary>
public static class OgcOpenApi
{
    private static object Parameter(string name, string @in, string description, object schema, bool required = false) =>
        new { name, @in, description, required, schema };

    public static string Document(string server, bool publicModel)
    {
        object Get(string summary, object[] parameters, string type) => new
        {
            get = new
            {
                summary,
                parameters,
                responses = new Dictionary<string, object>
                {
                    ["200"] = new { description = summary, content = new Dictionary<string, object> { [type] = new { } } },
                    ["400"] = new { description = "a parameter is invalid (problem details naming it)" },
                    ["404"] = new { description = "no such collection or feature" },
                },
            },
        };
        var collection = Parameter("collectionId", "path", "flooding, congestion, urban-order, environment, food-safety, projects or wards", new { type = "string" }, required: true);
        var filters = new[]
        {
            Parameter("bbox", "query", "minLon,minLat,maxLon,maxLat (CRS84)", new { type = "array", items = new { type = "number" }, minItems = 4, maxItems = 6 }),
            Parameter("datetime", "query", "when reported: an RFC 3339 time or an interval a/b, ../b, a/..", new { type = "string" }),
            Parameter("limit", "query", "features per page (at most 10000)", new { type = "integer", minimum = 1, maximum = 10000, @default = 1000 }),
            Parameter("after", "query", "the id after which the page starts (the next link sets it)", new { type = "string" }),
            Parameter("ward", "query", "ward or commune codes, comma-separated", new { type = "string" }),
            Parameter("status", "query", "open, all, or statuses comma-separated", new { type = "string" }),
            Parameter("severity", "query", "severities 1–5, comma-separated", new { type = "string" }),
            Parameter("subtype", "query", "the layer's kinds, comma-separated", new { type = "string" }),
            Parameter("sample", "query", "true: sample records only; false: real ones only", new { type = "boolean" }),
        };
        var document = new
        {
            openapi = "3.0.3",
            info = new { title = publicModel ? "Hotspots Hà Nội — public OGC API Features" : "Hotspots Hà Nội — OGC API Features", version = "1.0" },
            servers = new[] { new { url = server } },
            paths = new Dictionary<string, object>
            {
                ["/"] = Get("landing page", [], "application/json"),
                ["/conformance"] = Get("conformance classes", [], "application/json"),
                ["/collections"] = Get("collections", [], "application/json"),
                ["/collections/{collectionId}"] = Get("one collection", [collection], "application/json"),
                ["/collections/{collectionId}/items"] = Get("the collection's features", [collection, .. filters], "application/geo+json"),
                ["/collections/{collectionId}/items/{featureId}"] = Get("one feature",
                    [collection, Parameter("featureId", "path", "the feature's id", new { type = "string" }, required: true)], "application/geo+json"),
            },
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
