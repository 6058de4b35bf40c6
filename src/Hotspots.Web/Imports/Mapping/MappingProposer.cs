using System.Globalization;
using Hotspots.Imports.Reading;
using Hotspots.Layers;
using Hotspots.Text;

namespace Hotspots.Imports.Mapping;

/// <summary>
/// Proposes, for every field a layer understands, the column of a file that fills it — by the column's name
/// (Vietnamese or English, any case or diacritics, camelCase, abbreviations; a name that contains a known one)
/// and by what its first rows hold (Hanoi's latitudes and longitudes, VN-2000 metres, dates, the official ward
/// codes and the names of the 126 current or 526 pre-2025 units, statuses, the layer's kinds, addresses) — with a
/// confidence and the reason. Each column fills one field at most; surer proposals choose first.
/// </summary>
public static class MappingProposer
{
    /// <summary>How many rows the content is judged on.</summary>
    public const int SampleRows = 200;

    private sealed record Candidate(string Field, string Column, int Index, Confidence Confidence, int Name, double Share, string ReasonVi, string ReasonEn);

    public static MappingProposal Propose(Layer layer, IReadOnlyList<string> header, IReadOnlyList<SourceRow> sample, WardCrosswalk wards)
    {
        var fields = FieldLabels.For(layer);
        var reports = layer == LayerCatalog.FieldReports;
        var kinds = (reports ? SubtypeCatalog.All : SubtypeCatalog.Of(layer.Id)).SelectMany(s => new[] { s.Id, SearchKey.Identifier(s.NameVi), SearchKey.Identifier(s.NameEn) }).ToHashSet(StringComparer.Ordinal);
        var profiles = header.Select(c => ColumnProfile.Of(sample.Select(r => r.Cells.GetValueOrDefault(c)), wards.IsWardCode, wards.IsWardName,
            wards.IsDistrictName, RowValidator.IsStatus, v => kinds.Contains(SearchKey.Identifier(v)))).ToList();

        var candidates = new List<Candidate>();
        for (var i = 0; i < header.Count; i++)
        {
            foreach (var (field, _, _) in fields)
            {
                if (Judge(field, header[i], i, profiles[i]) is { } c)
                {
                    candidates.Add(c);
                }
            }
        }
        var chosen = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in candidates.OrderByDescending(c => c.Confidence).ThenByDescending(c => c.Name).ThenByDescending(c => c.Share).ThenBy(c => c.Index))
        {
            if (!chosen.ContainsKey(c.Field) && !used.Contains(c.Column))
            {
                chosen[c.Field] = c;
                used.Add(c.Column);
            }
        }
        // A title (a report's words) by content only once every named column has found its field: the most varied
        // text column left. A report's words are longer than a name, and never a person's name.
        var told = reports ? "description" : "title";
        if (!chosen.ContainsKey(told))
        {
            var text = Enumerable.Range(0, header.Count)
                .Where(i => !used.Contains(header[i]) && profiles[i] is { NonEmpty: > 0, Texts: >= 0.8, DistinctShare: >= 0.5 } p
                    && (reports ? p.AverageLength is >= 20 and <= 4000 : p.AverageLength is >= 4 and <= 200))
                .OrderByDescending(i => profiles[i].DistinctShare).ThenBy(i => reports ? -profiles[i].AverageLength : profiles[i].AverageLength).FirstOrDefault(-1);
            if (text >= 0)
            {
                chosen[told] = reports
                    ? new Candidate(told, header[text], text, Confidence.Medium, 0, profiles[text].DistinctShare,
                        $"Cột chữ dài nhất “{header[text]}”, mỗi dòng một nội dung khác: có thể là nội dung phản ánh.",
                        $"“{header[text]}” is the longest text, different on every row: likely what was reported.")
                    : new Candidate(told, header[text], text, Confidence.Medium, 0, profiles[text].DistinctShare,
                        $"Cột chữ “{header[text]}”, mỗi dòng một giá trị khác: có thể là tên điểm.",
                        $"“{header[text]}” is text that differs from row to row: likely the name.");
            }
        }
        var proposals = fields.Select(f => chosen.TryGetValue(f.Field, out var c)
            ? new FieldProposal(f.Field, f.Vi, f.En, c.Column, c.Confidence, c.ReasonVi, c.ReasonEn)
            : new FieldProposal(f.Field, f.Vi, f.En, null, Confidence.Low, NoColumnVi(f.Field, reports), NoColumnEn(f.Field, reports))).ToList();
        var hasGeometry = sample.Count > 0 && sample.Count(r => r.Geometry is not null) * 2 >= sample.Count;
        return new MappingProposal(header, proposals, hasGeometry, reports);
    }

    private static string NoColumnVi(string field, bool reports) => (field, reports) switch
    {
        ("title", false) => "Không có cột tên: tiêu đề sẽ ghép từ loại và địa điểm.",
        ("description", true) => "Không có cột nội dung phản ánh (bắt buộc).",
        _ => "Không có cột nào phù hợp.",
    };

    private static string NoColumnEn(string field, bool reports) => (field, reports) switch
    {
        ("title", false) => "No name column: titles will be composed from the kind and the place.",
        ("description", true) => "No column holds what was reported (required).",
        _ => "No column fits.",
    };

    // What the values of a field should look like, for the fields whose values say something.
    private static (double Share, string Vi, string En)? Content(string field, ColumnProfile p) => field switch
    {
        "lat" => (p.Latitudes, "giá trị trong khoảng vĩ độ của Hà Nội", "of the values are in Hanoi's latitude range"),
        "lon" => (p.Longitudes, "giá trị trong khoảng kinh độ của Hà Nội", "of the values are in Hanoi's longitude range"),
        "x" => (p.Eastings, "giá trị là tọa độ X (VN-2000, mét) quanh Hà Nội", "of the values are VN-2000 eastings around Hanoi"),
        "y" => (p.Northings, "giá trị là tọa độ Y (VN-2000, mét) quanh Hà Nội", "of the values are VN-2000 northings around Hanoi"),
        "ward_code" => (p.WardCodes, "giá trị là mã phường, xã chính thức", "of the values are official ward codes"),
        "ward" => (p.WardNames, "giá trị là tên phường, xã (126 đơn vị mới hoặc 526 cũ)", "of the values are ward names (126 current or 526 pre-2025)"),
        "district" => (p.Districts, "giá trị là tên quận, huyện cũ", "of the values are pre-2025 district names"),
        "reported_at" or "deadline" or "resolved_at" => (p.Dates, "giá trị là ngày", "of the values are dates"),
        "severity" => (p.SmallWholeNumbers, "giá trị là số nguyên từ 1 đến 5", "of the values are whole numbers 1 to 5"),
        "status" => (p.Statuses, "giá trị là trạng thái đã biết", "of the values are known statuses"),
        "subtype" => (p.Kinds, "giá trị là loại điểm của lớp này", "of the values are kinds of this layer"),
        "address" => (p.Addresses, "giá trị giống địa chỉ (số nhà, ngõ, phố)", "of the values look like addresses"),
        _ => null,
    };

    // Fields whose values are distinctive enough to be chosen by content alone, and how sure that is.
    private static Confidence? ByContentAlone(string field, double share) => field switch
    {
        "lat" or "lon" or "x" or "y" or "ward_code" or "ward" when share >= 0.9 => Confidence.High,
        "lat" or "lon" or "x" or "y" or "ward_code" when share >= 0.6 => Confidence.Medium,
        // Many streets share a ward's name (phố Huế, Kim Liên): names need a clearer majority.
        "ward" or "district" when share >= 0.8 => Confidence.Medium,
        "reported_at" or "status" or "subtype" or "address" when share >= 0.8 => Confidence.Medium,
        _ => null,
    };

    private static Candidate? Judge(string field, string column, int index, ColumnProfile p)
    {
        var key = FieldMap.HeaderKey(column);
        var aliases = FieldMap.Aliases.GetValueOrDefault(field) ?? [];
        var exact = aliases.Contains(key);
        var partial = exact ? null : Partial(key, aliases);
        var content = Content(field, p);
        var share = content?.Share ?? 0;
        var pct = share.ToString("P0", CultureInfo.InvariantCulture);
        if (exact)
        {
            // A known name whose values say otherwise is offered, not trusted. (Latitude and longitude written the
            // wrong way round are still coordinates: the run swaps them back, and says so.)
            var agrees = field is "lat" or "lon" ? p.Latitudes + p.Longitudes : share;
            if (content is { } c && p.NonEmpty >= 3 && agrees < 0.5)
            {
                return new(field, column, index, Confidence.Medium, 3, share,
                    $"Tên cột “{column}” khớp, nhưng chỉ {pct} {c.Vi}.", $"The name “{column}” fits, but only {pct} {c.En}.");
            }
            return new(field, column, index, Confidence.High, 3, share,
                $"Tên cột “{column}” là tên quen thuộc của trường này.", $"“{column}” is a known name for this field.");
        }
        if (partial is not null)
        {
            if (content is { } c && p.NonEmpty >= 3)
            {
                return c.Share >= 0.8
                    ? new(field, column, index, Confidence.High, 2, share, $"Tên cột chứa “{partial}” và {pct} {c.Vi}.", $"The name contains “{partial}” and {pct} {c.En}.")
                    : c.Share >= 0.3 ? new(field, column, index, Confidence.Medium, 2, share, $"Tên cột chứa “{partial}”; {pct} {c.Vi}.", $"The name contains “{partial}”; {pct} {c.En}.")
                    : null;
            }
            return new(field, column, index, Confidence.Medium, 2, share, $"Tên cột chứa “{partial}”.", $"The name contains “{partial}”.");
        }
        if (content is { } only && p.NonEmpty >= 2 && ByContentAlone(field, only.Share) is { } confidence)
        {
            return new(field, column, index, confidence, 0, share, $"{pct} {only.Vi}.", $"{pct} {only.En}.");
        }
        return null;
    }

    // "dia_diem_ngap" contains "dia_diem"; "ten_diem_ngap_ung" begins with "ten_diem". Whole words only, and an alias
    // of one or two letters ("n", "x", "ma") only as the whole name.
    private static string? Partial(string key, string[] aliases)
    {
        var words = key.Split('_');
        string? best = null;
        foreach (var alias in aliases)
        {
            if (alias.Length < 3 || alias.Length <= (best?.Length ?? 0))
            {
                continue;
            }
            var aliasWords = alias.Split('_');
            for (var i = 0; i + aliasWords.Length <= words.Length; i++)
            {
                if (words.AsSpan(i, aliasWords.Length).SequenceEqual(aliasWords))
                {
                    best = alias;
                    break;
                }
            }
        }
        return best;
    }
}
