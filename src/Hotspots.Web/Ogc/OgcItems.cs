using System.Globalization;
using System.Text.Json;
using Hotspots.Map;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.Ogc;

/// <summary>
/// The rows of one collection as features: the map API's own queries (Map/FeaturesApi) for the layers — the same
/// columns, filters and privacy — ordered by id and paged by the last id seen, so that a client walking a layer of
/// a million records pays the same for its last page as for its first; the ward boundaries from current_wards.
/// </summary>
public static class OgcItems
{
    /// <summary>A datetime interval on when a record was reported ("a/b", "../b", "a/..", or an instant).</summary>
    public sealed record Interval(DateTimeOffset? From, DateTimeOffset? To);

    public static bool TryParseDatetime(string? text, out Interval? interval)
    {
        interval = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var parts = text.Split('/');
        if (parts.Length == 1)
        {
            if (!TryBound(parts[0], out var at) || at is null)
            {
                return false;
            }
            interval = new Interval(at, at);
            return true;
        }
        if (parts.Length != 2 || !TryBound(parts[0], out var from) || !TryBound(parts[1], out var to) || from > to)
        {
            return false;
        }
        interval = new Interval(from, to);
        return true;
    }

    // One end of an interval: ".." or empty for open, else an RFC 3339 time (UTC when it names no offset), 1900–2200.
    private static bool TryBound(string text, out DateTimeOffset? bound)
    {
        bound = null;
        if (text is ".." or "")
        {
            return true;
        }
        if (Calendar.InstantText.TryParse(text, out var t))
        {
            bound = t;
            return true;
        }
        return false;
    }

    /// <summary>SELECT … WHERE … of the collection (no order or limit), its id column, and how to write a row.</summary>
    public static (string Select, string IdColumn, Action<Utf8JsonWriter, NpgsqlDataReader> Write, Func<NpgsqlDataReader, string> IdOf) Query(
        OgcCollection c, bool publicModel, HotspotFilter filter, Interval? datetime, NpgsqlCommand cmd)
    {
        if (c.IsWards)
        {
            return (WardsSql(filter, cmd), "w.code", WriteWard, r => r.GetString(0));
        }
        if (c.Layer!.Category is null)
        {
            return (FeaturesApi.ProjectsSql(filter, cmd), "p.id", FeaturesApi.WriteProject, r => r.GetString(1));
        }
        var sql = publicModel ? FeaturesApi.PublicHotspotsSql(c.Layer, filter, cmd) : FeaturesApi.HotspotsSql(c.Layer, filter, details: false, cmd);
        if (datetime?.From is { } from)
        {
            sql += " AND h.reported_at >= @dt_from";
            cmd.Parameters.AddWithValue("dt_from", from);
        }
        if (datetime?.To is { } to)
        {
            sql += " AND h.reported_at <= @dt_to";
            cmd.Parameters.AddWithValue("dt_to", to);
        }
        return (sql, "h.id", publicModel ? FeaturesApi.WritePublicHotspot : FeaturesApi.WriteHotspot,
            r => r.GetInt64(0).ToString(CultureInfo.InvariantCulture));
    }

    private static string WardsSql(HotspotFilter filter, NpgsqlCommand cmd)
    {
        var sql = """
            SELECT w.code, ST_AsGeoJSON(ST_ForcePolygonCCW(w.geom), 6), w.name, w.full_name, w.name_en, w.full_name_en, w.kind, w.area_km2, w.population
            FROM current_wards w WHERE true
            """;
        if (filter.Bbox is { } b)
        {
            sql += " AND w.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326)";
            cmd.Parameters.AddWithValue("minx", b[0]);
            cmd.Parameters.AddWithValue("miny", b[1]);
            cmd.Parameters.AddWithValue("maxx", b[2]);
            cmd.Parameters.AddWithValue("maxy", b[3]);
        }
        if (filter.Wards is not null)
        {
            sql += " AND w.code = ANY(@wards)";
            cmd.Parameters.AddWithValue("wards", filter.Wards);
        }
        return sql;
    }

    private static void WriteWard(Utf8JsonWriter json, NpgsqlDataReader r)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteString("id", r.GetString(0));
        json.WritePropertyName("geometry");
        json.WriteRawValue(r.GetString(1), skipInputValidation: true);
        json.WriteStartObject("properties");
        json.WriteString("code", r.GetString(0));
        json.WriteString("name", r.GetString(2));
        json.WriteString("fullName", r.GetString(3));
        json.WriteString("nameEn", r.GetString(4));
        json.WriteString("fullNameEn", r.GetString(5));
        json.WriteString("kind", r.GetString(6));
        json.WriteNumber("areaKm2", Math.Round(r.GetDouble(7), 3));
        if (r.IsDBNull(8)) json.WriteNull("population"); else json.WriteNumber("population", r.GetInt32(8));
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
