using Hotspots.Imports.Reading;
using Hotspots.Layers;

namespace Hotspots.Imports.Mapping;

/// <summary>How a file's columns are read, and who decided it: the sender ("person"), the source's saved mapping ("saved") or the proposal.</summary>
public sealed record DecidedMapping(FieldMap Map, MappingProposal Proposal, string How, IReadOnlyDictionary<string, string> Mapping)
{
    /// <summary>"Ánh xạ cột (đề xuất tự động): “Tên điểm” → Tiêu đề; …", for the run's notes.</summary>
    public string Note(Layer layer)
    {
        var labels = FieldLabels.For(layer).ToDictionary(f => f.Field, f => f.Vi);
        var how = How switch { "saved" => "đã lưu cho nguồn này", "proposal" => "đề xuất tự động", _ => "do người gửi chọn" };
        var pairs = Map.Columns.OrderBy(p => Proposal.Columns.ToList().IndexOf(p.Value)).Select(p => $"“{p.Value}” → {labels.GetValueOrDefault(p.Key, p.Key)}");
        return $"Ánh xạ cột ({how}): {string.Join("; ", pairs)}";
    }
}

public static class MappingDecision
{
    /// <summary>
    /// The sender's mapping, completed by the proposal for the columns and fields it does not mention; else the
    /// source's saved mapping when the file has the same columns; else the proposal (Medium confidence and up).
    /// </summary>
    public static DecidedMapping Decide(Layer layer, IReadOnlyList<string> header, IReadOnlyList<SourceRow> sample, WardCrosswalk wards,
        ImportOptions options, SavedMapping? saved)
    {
        var proposal = MappingProposer.Propose(layer, header, sample, wards);
        Dictionary<string, string> mapping;
        string how;
        if (options.Mapping is { Count: > 0 } given)
        {
            mapping = new Dictionary<string, string>(given, StringComparer.Ordinal);
            var columns = given.Keys.Select(FieldMap.HeaderKey).ToHashSet(StringComparer.Ordinal);
            foreach (var (column, field) in proposal.Mapping())
            {
                if (!columns.Contains(FieldMap.HeaderKey(column)) && !given.Values.Contains(field))
                {
                    mapping[column] = field;
                }
            }
            how = options.MappingFrom ?? "person";
        }
        else if (saved is not null && saved.Fits(header))
        {
            mapping = new Dictionary<string, string>(saved.Mapping, StringComparer.Ordinal);
            how = "saved";
        }
        else
        {
            mapping = proposal.Mapping();
            how = "proposal";
        }
        return new DecidedMapping(new FieldMap(header, mapping, byName: false), proposal, how, mapping);
    }

    /// <summary>The run-level refusal when no column can place the rows: the field named, the columns found listed.</summary>
    public static UnreadableFileException Unplaceable(IReadOnlyList<string> header)
    {
        var found = string.Join(", ", header.Select(h => $"“{h}”"));
        return new UnreadableFileException(
            $"Không có cột vị trí: cần cột vĩ độ và kinh độ, X và Y (VN-2000), hoặc tên hay mã phường, xã. Các cột trong tệp: {found}.",
            $"No location column: latitude and longitude, X and Y (VN-2000), or a ward's name or code is needed. The file's columns: {found}.");
    }
}
