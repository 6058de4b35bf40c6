using System.Globalization;
using System.Text;
using System.Xml;

namespace Hotspots.FieldReports.Open311;

/// <summary>Open311 GeoReport v2 documents in JSON or XML, as the specification lays them out.</summary>
public static class Open311Output
{
    public static IResult Services(string format) => Write(format, "services", "service", Open311Services.All.Select(s => new (string, object?)[]
    {
        ("service_code", s.Code), ("service_name", s.NameVi),
        ("description", $"{s.NameVi} ({s.NameEn}) — {s.Layer.NameVi} / {s.Layer.NameEn}"),
        ("metadata", false), ("type", "realtime"), ("keywords", $"{s.Layer.Id},{s.NameEn}"), ("group", s.Layer.NameVi),
    }));

    public static IResult Created(string format, long id) => Write(format, "service_requests", "request", [
    [
        ("service_request_id", id.ToString(CultureInfo.InvariantCulture)),
        ("service_notice", "Đã tiếp nhận; phường, xã sẽ xem xét. Received; the ward will review it."), ("account_id", null),
    ]]);

    public static IResult Requests(string format, IEnumerable<Open311View> views) => Write(format, "service_requests", "request", views.Select(v => new (string, object?)[]
    {
        ("service_request_id", v.Id.ToString(CultureInfo.InvariantCulture)), ("status", v.Status), ("status_notes", v.StatusNotes),
        ("service_name", v.Service.NameVi), ("service_code", v.Service.Code), ("description", v.Description),
        ("agency_responsible", v.Agency), ("service_notice", null),
        ("requested_datetime", v.RequestedAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)),
        ("updated_datetime", v.RequestedAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)),
        ("expected_datetime", null), ("address", v.Address), ("address_id", null), ("zipcode", null),
        ("lat", Math.Round(v.Lat, 6)), ("long", Math.Round(v.Lon, 6)), ("media_url", null),
    }));

    public static IResult Error(string format, int status, string description) =>
        Write(format, "errors", "error", [[("code", status), ("description", description)]], status);

    // A list of flat records: a JSON array of objects, or <root><item>…</item></root>.
    private static IResult Write(string format, string root, string item, IEnumerable<(string Name, object? Value)[]> records, int status = 200)
    {
        if (format == "xml")
        {
            var text = new StringBuilder();
            using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = false, OmitXmlDeclaration = false }))
            {
                xml.WriteStartElement(root);
                foreach (var record in records)
                {
                    xml.WriteStartElement(item);
                    foreach (var (name, value) in record)
                    {
                        xml.WriteElementString(name, value switch
                        {
                            null => "",
                            bool b => b ? "true" : "false",
                            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                            _ => value.ToString(),
                        });
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            return Results.Text(text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal), "text/xml; charset=utf-8",
                Encoding.UTF8, status);
        }
        return Results.Json(records.Select(r => r.ToDictionary(p => p.Name, p => p.Value)).ToList(), statusCode: status);
    }
}
